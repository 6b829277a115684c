import { useQueries } from "@tanstack/react-query";
import { memberRequest } from "../../../lib/api";
import { ModelVersionsDocument } from "./models";

/** Version id → its number over the given models (the same requests as their version tables, so cached once). */
export function useModelVersionNumbers(tenantId: string, modelIds: readonly string[]): ReadonlyMap<string, number> {
  return useQueries({
    queries: modelIds.map((modelId) => ({
      queryKey: ["models", tenantId, "versions", modelId] as const,
      queryFn: () => memberRequest(ModelVersionsDocument, { modelId }).then((r) => r.modelVersions),
      enabled: tenantId !== "",
    })),
    combine: (results) => {
      const map = new Map<string, number>();
      for (const r of results) for (const e of r.data?.edges ?? []) map.set(e.node.id, e.node.version);
      return map;
    },
  });
}
