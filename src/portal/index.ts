// The portal as the edge serves it: its built files and its persisted GraphQL documents.
export { DEFAULT_DOCUMENTS_FILE, loadPortalDocuments } from "./documents.js";
export { DEFAULT_PORTAL_DIR, loadPortal, registerPortal } from "./static.js";
