import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const StartCheckoutDocument = graphql(`
  mutation PortalStartCheckout($planCode: String!) {
    startCheckout(planCode: $planCode) {
      url
      sessionId
    }
  }
`);

export const OpenCustomerPortalDocument = graphql(`
  mutation PortalOpenCustomerPortal {
    openCustomerPortal {
      url
    }
  }
`);

/** Leaves the portal for a page of Stripe's (Checkout, Customer Portal); Stripe sends the person back to /billing. */
function goTo(url: string) {
  window.location.assign(url);
}

/** Starts Stripe Checkout for a plan and sends the browser there. */
export function useStartCheckout() {
  return useMutation({
    mutationFn: (planCode: string) => memberRequest(StartCheckoutDocument, { planCode }).then((r) => r.startCheckout),
    onSuccess: (session) => goTo(session.url),
  });
}

/** Opens Stripe's Customer Portal (payment methods, invoices, plan changes) and sends the browser there. */
export function useOpenCustomerPortal() {
  return useMutation({
    mutationFn: () => memberRequest(OpenCustomerPortalDocument, {}).then((r) => r.openCustomerPortal),
    onSuccess: (session) => goTo(session.url),
  });
}
