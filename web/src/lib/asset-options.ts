import { useQuery } from "@tanstack/react-query";
import { graphql } from "../gql";
import { memberRequest } from "./api";

export const AssetOptionsDocument = graphql(`
  query PortalAssetOptions($first: Int!) {
    assets(first: $first) {
      edges {
        node {
          id
          name
          externalId
        }
      }
    }
  }
`);

/** The most assets a filter or form lists; a link may still name any asset (`?asset=<id>`). */
export const ASSET_OPTIONS = 100;

/** The tenant's first assets, to choose from in a filter or a form. */
export function useAssetOptions(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: ["asset-options", tenantId],
    queryFn: () => memberRequest(AssetOptionsDocument, { first: ASSET_OPTIONS }).then((r) => r.assets.edges.map((e) => e.node)),
    enabled: tenantId !== "" && enabled,
  });
}

export interface AssetOption {
  readonly id: string;
  readonly name: string;
  readonly externalId: string;
}

/** The assets, plus one the address names that they do not hold (beyond the first ASSET_OPTIONS), by its id: it still shows as chosen. */
export function withSelected(assets: readonly AssetOption[], selected: string | undefined): readonly AssetOption[] {
  return selected && !assets.some((a) => a.id === selected) ? [...assets, { id: selected, name: selected, externalId: "" }] : assets;
}

/** The assets as a filter's choices: "name (external id)". */
export const assetChoices = (assets: readonly AssetOption[]): { value: string; label: string }[] =>
  assets.map((a) => ({ value: a.id, label: a.externalId ? `${a.name} (${a.externalId})` : a.name }));
