import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const WebhooksDocument = graphql(`
  query PortalWebhooks {
    webhooks {
      id
      url
      createdAt
    }
  }
`);

export const CreateWebhookDocument = graphql(`
  mutation PortalCreateWebhook($url: String!) {
    createWebhook(url: $url) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);

export const DisableWebhookDocument = graphql(`
  mutation PortalDisableWebhook($id: ID!) {
    disableWebhook(id: $id) {
      id
      disabledAt
    }
  }
`);

export const SendTestWebhookDocument = graphql(`
  mutation PortalSendTestWebhook($id: ID!) {
    sendTestWebhook(id: $id) {
      id
      status
      lastOutcome
      statusCode
    }
  }
`);

export const WebhookDeliveriesDocument = graphql(`
  query PortalWebhookDeliveries($webhookId: ID!, $first: Int!) {
    webhookDeliveries(webhookId: $webhookId, first: $first) {
      id
      event
      alertId
      status
      attempts
      lastOutcome
      statusCode
      createdAt
      lastAttemptAt
    }
  }
`);

const hooksKey = (tenantId: string) => ["webhooks", tenantId] as const;
const logKey = (tenantId: string, webhookId: string) => ["webhook-deliveries", tenantId, webhookId] as const;

/** The live webhooks, oldest first (at most ten). */
export function useWebhooks(tenantId: string, enabled: boolean) {
  return useQuery({ queryKey: hooksKey(tenantId), queryFn: () => memberRequest(WebhooksDocument, {}).then((r) => r.webhooks), enabled });
}

/** A webhook's 20 latest deliveries, newest first. */
export function useWebhookDeliveries(tenantId: string, webhookId: string) {
  return useQuery({
    queryKey: logKey(tenantId, webhookId),
    queryFn: () => memberRequest(WebhookDeliveriesDocument, { webhookId, first: 20 }).then((r) => r.webhookDeliveries),
  });
}

export function useCreateWebhook(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (url: string) => memberRequest(CreateWebhookDocument, { url }).then((r) => r.createWebhook),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hooksKey(tenantId) }),
  });
}

export function useDisableWebhook(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => memberRequest(DisableWebhookDocument, { id }).then((r) => r.disableWebhook),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hooksKey(tenantId) }),
  });
}

/** Sends a test event now; the log of that webhook is fetched again with it. */
export function useSendTestWebhook(tenantId: string, webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => memberRequest(SendTestWebhookDocument, { id: webhookId }).then((r) => r.sendTestWebhook),
    onSettled: () => queryClient.invalidateQueries({ queryKey: logKey(tenantId, webhookId) }),
  });
}
