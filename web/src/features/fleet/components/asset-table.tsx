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
            <td>{a.name}</td>
            <td>
              <code>{a.externalId}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
