// The portal as the edge serves it: its built files, its persisted GraphQL documents and the GraphQL IDE's page.
export { DEFAULT_DOCUMENTS_FILE, loadPortalDocuments } from "./documents.js";
export { answerWithoutOperation } from "./ide.js";
export type { PortalPages } from "./static.js";
export { DEFAULT_PORTAL_DIR, loadPortal, registerPortal } from "./static.js";
