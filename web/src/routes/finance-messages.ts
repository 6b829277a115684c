import { defineMessages } from "../lib/i18n";

/** The finance role's landing page. */
export const financeMessages = defineMessages({
  en: {
    "finance.heading": "Your access: finance",
    "finance.intro": "As a finance member of this company you can see and manage its billing:",
    "finance.plan": "the plan and subscription, and the payment details in the customer portal;",
    "finance.usage": "usage per meter and period, and the running invoice;",
    "finance.reconciliation": "the reconciliation of usage against what was reported for billing;",
    "finance.members": "the list of the company's members.",
    "finance.notHere":
      "Machines, telemetry, predictions and models are not part of this role: ask an owner or an admin of your company for another role if you need them.",
    "finance.coming": "The billing pages are coming to this portal; until then the same figures are available through the API.",
  },
  de: {
    "finance.heading": "Ihr Zugang: Finanzen",
    "finance.intro": "Als Mitglied mit der Rolle Finanzen sehen und verwalten Sie die Abrechnung dieses Unternehmens:",
    "finance.plan": "den Tarif und das Abonnement sowie die Zahlungsdaten im Kundenportal;",
    "finance.usage": "den Verbrauch je Zähler und Zeitraum und die laufende Rechnung;",
    "finance.reconciliation": "den Abgleich des Verbrauchs mit dem, was zur Abrechnung gemeldet wurde;",
    "finance.members": "die Liste der Mitglieder des Unternehmens.",
    "finance.notHere":
      "Maschinen, Telemetrie, Vorhersagen und Modelle gehören nicht zu dieser Rolle: Bitten Sie einen Inhaber oder Administrator Ihres Unternehmens um eine andere Rolle, wenn Sie sie brauchen.",
    "finance.coming": "Die Abrechnungsseiten kommen in dieses Portal; bis dahin stehen dieselben Zahlen über die API bereit.",
  },
});
