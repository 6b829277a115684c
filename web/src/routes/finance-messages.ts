import { defineMessages } from "../lib/i18n";

/** The finance role's landing page. */
export const financeMessages = defineMessages({
  en: {
    "finance.heading": "Your access: finance",
    "finance.intro": "As a finance member of this company you can see and manage its billing:",
    "finance.plan": "the plans, the subscription (subscribe, change the plan) and the payment details in Stripe's customer portal;",
    "finance.usage":
      "usage this period against the plan's limits, the running invoice and the hour-by-hour reconciliation with Stripe, each as CSV;",
    "finance.members": "the company's members and their roles.",
    "finance.notHere":
      "Machines, telemetry, predictions and models are not part of this role: ask an owner or an admin of your company for another role if you need them.",
  },
  de: {
    "finance.heading": "Ihr Zugang: Finanzen",
    "finance.intro": "Als Mitglied mit der Rolle Finanzen sehen und verwalten Sie die Abrechnung dieses Unternehmens:",
    "finance.plan": "die Tarife, das Abonnement (abschließen, Tarif wechseln) und die Zahlungsdaten im Kundenportal von Stripe;",
    "finance.usage":
      "den Verbrauch dieses Zeitraums gegenüber den Limits des Tarifs, die laufende Rechnung und den stündlichen Abgleich mit Stripe, jeweils als CSV;",
    "finance.members": "die Mitglieder des Unternehmens und ihre Rollen.",
    "finance.notHere":
      "Maschinen, Telemetrie, Vorhersagen und Modelle gehören nicht zu dieser Rolle: Bitten Sie einen Inhaber oder Administrator Ihres Unternehmens um eine andere Rolle, wenn Sie sie brauchen.",
  },
});
