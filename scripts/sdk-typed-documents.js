// A codegen plugin for sdk/codegen.yml: the typed documents of @graphql-codegen/typed-document-node (documentMode: string),
// with the one type they need (DocumentTypeDecoration) imported from the SDK's own src/document.ts
// instead of @graphql-typed-document-node/core, so the published package has no dependency at all.
import { plugin as typedDocumentNode } from "@graphql-codegen/typed-document-node";

const PACKAGE_IMPORT = /from ['"]@graphql-typed-document-node\/core['"]/;

export const plugin = async (schema, documents, config, info) => {
  const output = await typedDocumentNode(schema, documents, config, info);
  const prepend = (output.prepend ?? []).map((line) => line.replace(PACKAGE_IMPORT, `from "${config.documentTypesFrom}"`));
  if (prepend.some((line) => PACKAGE_IMPORT.test(line)))
    throw new Error("typed-documents: an import of @graphql-typed-document-node/core is left");
  return { ...output, prepend };
};
