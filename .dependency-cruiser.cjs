/**
 * The architecture's boundaries, checked by `npm run lint:deps` (part of `npm run lint`).
 *
 * Layers, bottom up: the foundation (src/core, src/db, src/ml, src/outbound, src/config.ts), the
 * capabilities (every other folder of src/), and the edge (src/api, src/worker, src/app.ts,
 * src/main.ts) that composes them. workflows/ runs in Temporal's sandbox and sees src only as types
 * (and the pure query definitions of src/<capability>/workflow-queries.ts); nothing in src/ imports it.
 * Type-only imports count like any other.
 *
 * Violations that exist today are listed in .dependency-cruiser-known-violations.json and do not
 * fail the check; a new one does. After removing some, write the list again:
 *   ./run npm run lint:deps:baseline
 */

/** The foundation: folders below every capability, whose files anyone may import. */
const FOUNDATION = "^src/(core|db|ml|outbound|temporal)/|^src/config\\.ts$";
const EDGE = "^src/(api|worker)/|^src/(app|main|tables)\\.ts$";
/** A capability's tables: other tables reference them (foreign keys), and src/tables.ts lists them all. */
const TABLES = "^src/[^/]+/schema\\.ts$";
/** A capability's GraphQL face: its resolvers and object types, for the edge and for other GraphQL faces. */
const GRAPHQL_FACE = "^src/[^/]+/[^/]*graphql[^/]*\\.ts$";
const PUBLIC_FACE = "^src/[^/]+/index\\.ts$";
/**
 * A capability's workflow queries and signals (`src/<capability>/workflow-queries.ts`): definitions that
 * both the workflow code (inside Temporal's sandbox) and the capability's verbs use. The only files of src/
 * whose values workflows/ may import; they import nothing from src/ but types.
 */
const WORKFLOW_QUERIES = "^src/[^/]+/workflow-queries\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A file of src/ or workflows/ reaches itself again through its imports: break the cycle.",
      from: { path: "^(src|workflows)/" },
      to: { circular: true },
    },
    {
      name: "no-folder-cycle",
      severity: "error",
      comment: "Two folders of src/ import each other (through any of their files): one of them must sit below the other.",
      scope: "folder",
      from: { path: "^src/[^/]+$" },
      to: { path: "^src/[^/]+$", circular: true },
    },
    {
      name: "capability-through-index",
      severity: "error",
      comment: "Another capability is reached through its index.ts only (its tables excepted): export what you need there.",
      from: { path: "^src/([^/]+)/", pathNot: [EDGE, GRAPHQL_FACE] },
      to: { path: "^src/[^/]+/", pathNot: ["^src/$1/", PUBLIC_FACE, TABLES, FOUNDATION] },
    },
    {
      name: "graphql-face-through-faces",
      severity: "error",
      comment: "A resolver file reaches another capability through its index.ts, its tables or its GraphQL face (shared object types).",
      from: { path: "^src/([^/]+)/[^/]*graphql[^/]*\\.ts$", pathNot: EDGE },
      to: { path: "^src/[^/]+/", pathNot: ["^src/$1/", PUBLIC_FACE, TABLES, GRAPHQL_FACE, FOUNDATION] },
    },
    {
      name: "edge-through-faces",
      severity: "error",
      comment: "The edge composes capabilities through their index.ts, their tables and their GraphQL faces.",
      from: { path: EDGE },
      to: { path: "^src/[^/]+/", pathNot: ["^src/(api|worker)/", PUBLIC_FACE, TABLES, GRAPHQL_FACE, FOUNDATION] },
    },
    {
      name: "edge-not-imported",
      severity: "error",
      comment: "src/api, src/worker, src/app.ts and src/main.ts compose the rest; nothing below them imports them.",
      from: { path: "^src/", pathNot: EDGE },
      to: { path: EDGE },
    },
    {
      name: "workflows-see-types-only",
      severity: "error",
      comment:
        "Workflow code runs in Temporal's sandbox: it imports from src/ only types (import type …), and the query and signal definitions of src/<capability>/workflow-queries.ts.",
      from: { path: "^workflows/" },
      to: { path: "^src/", pathNot: WORKFLOW_QUERIES, dependencyTypesNot: ["type-only", "pre-compilation-only"] },
    },
    {
      name: "workflow-queries-pure",
      severity: "error",
      comment:
        "A workflow-queries.ts file is loaded into Temporal's sandbox with the workflow code: it imports from src/ only types (import type …).",
      from: { path: WORKFLOW_QUERIES },
      to: { path: "^src/", dependencyTypesNot: ["type-only", "pre-compilation-only"] },
    },
    {
      name: "src-not-into-workflows",
      severity: "error",
      comment:
        "workflows/ sits above src/: it implements the workflow types the capabilities declare (their workflow-contracts.ts). Start workflows through those types; the worker loads workflows/ by its path.",
      from: { path: "^src/" },
      to: { path: "^workflows/" },
    },
  ],
  options: {
    includeOnly: "^(src|workflows)/",
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
