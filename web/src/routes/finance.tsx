import { createRoute } from "@tanstack/react-router";
import { shellRoute } from "./shell";

/** What the finance role may see: billing, not machines. */
function FinancePage() {
  return (
    <section aria-labelledby="finance-title" className="page">
      <title>Your access · Predictive maintenance</title>
      <h1 id="finance-title">Your access: finance</h1>
      <p>As a finance member of this company you can see and manage its billing:</p>
      <ul>
        <li>the plan and subscription, and the payment details in the customer portal;</li>
        <li>usage per meter and period, and the running invoice;</li>
        <li>the reconciliation of usage against what was reported for billing;</li>
        <li>the list of the company's members.</li>
      </ul>
      <p>
        Machines, telemetry, predictions and models are not part of this role: ask an owner or an admin of your company for another role if
        you need them.
      </p>
      <p className="muted">The billing pages are coming to this portal; until then the same figures are available through the API.</p>
    </section>
  );
}

export const financeRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/finance",
  component: FinancePage,
});
