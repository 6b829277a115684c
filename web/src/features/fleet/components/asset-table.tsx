import { Link } from "@tanstack/react-router";
import type { PortalFleetAssetsQuery } from "../../../gql/graphql";

type Asset = PortalFleetAssetsQuery["assets"]["edges"][number]["node"];

export function AssetTable({ assets }: { assets: readonly Asset[] }) {
  return (
    <table>
      <caption className="visually-hidden">Assets of this company</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">External id</th>
        </tr>
      </thead>
      <tbody>
        {assets.map((a) => (
          <tr key={a.id}>
            <td>
              <Link to="/assets/$assetId" params={{ assetId: a.id }}>
                {a.name}
              </Link>
            </td>
            <td>
              <code>{a.externalId}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
