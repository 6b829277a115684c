import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalOperatorTenantQuery } from "../../../gql/graphql";
import { operatorRequest } from "./request";

export const OperatorTenantDocument = graphql(`
  query PortalOperatorTenant($tenantId: ID!, $reason: String!) {
    operatorTenant(tenantId: $tenantId, reason: $reason) {
      tenant {
        id
        name
        status
        memberCount
        createdAt
      }
      members {
        userId
        email
        name
        role
        joinedAt
      }
    }
    operatorTenantFleet(tenantId: $tenantId, reason: $reason) {
      assetCount
      assets {
        id
        externalId
        name
        assetTypeName
        unresolvedAlerts
      }
      unresolvedAlertCount
      alerts {
        alertId
        assetId
        assetExternalId
        kind
        status
        value
        threshold
        openedAt
      }
    }
  }
`);

export type OperatorTenantView = PortalOperatorTenantQuery;

/** One customer's members, machines and unresolved alerts; logged with the reason in the customer's own audit log. */
export function useOperatorTenant(tenantId: string, reason: string) {
  return useQuery({
    queryKey: ["operator", "tenant", tenantId, reason],
    queryFn: () => operatorRequest(OperatorTenantDocument, { tenantId, reason }),
  });
}

export const OperatorTenantNameDocument = graphql(`
  query PortalOperatorTenantName($tenantId: ID!, $reason: String!) {
    operatorTenant(tenantId: $tenantId, reason: $reason) {
      tenant {
        id
        name
      }
    }
  }
`);

/** A customer's name, for a finance view of one customer (the read is logged with the same reason). */
export function useOperatorTenantName(tenantId: string, reason: string) {
  return useQuery({
    queryKey: ["operator", "tenant-name", tenantId, reason],
    queryFn: () => operatorRequest(OperatorTenantNameDocument, { tenantId, reason }).then((r) => r.operatorTenant.tenant.name),
  });
}
