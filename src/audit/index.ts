export { actorName } from "./actor-name.js";
export type { AuditEntry, AuditInput } from "./audit.js";
export { listAudit, recordAudit, recordAudits, recordForeignAudit } from "./audit.js";
