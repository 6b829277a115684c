export { recordAudit } from "./audit.js";
export { auditLog, tenants } from "./schema.js";
export { getTenant, type Tenant } from "./tenant.js";
