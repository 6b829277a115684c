import { defineMessages } from "../lib/i18n";

/** The words of the shared components (web/src/components). */
export const componentMessages = defineMessages({
  en: {
    "invoice.item": "Item",
    "invoice.quantity": "Quantity",
    "invoice.unitPrice": "Unit price",
    "invoice.amount": "Amount",
    "invoice.total": "Total",
    "invoice.perThousand": "{price} per 1,000",
    "invoice.component.BASE": "Base price",
    "invoice.component.POINTS_INGESTED": "Points ingested",
    "invoice.component.PREDICTIONS": "Predictions",
    "invoice.component.TRAINING_RUNS": "Training runs",
  },
  de: {
    "invoice.item": "Posten",
    "invoice.quantity": "Menge",
    "invoice.unitPrice": "Einzelpreis",
    "invoice.amount": "Betrag",
    "invoice.total": "Summe",
    "invoice.perThousand": "{price} je 1.000",
    "invoice.component.BASE": "Grundpreis",
    "invoice.component.POINTS_INGESTED": "Empfangene Messpunkte",
    "invoice.component.PREDICTIONS": "Vorhersagen",
    "invoice.component.TRAINING_RUNS": "Trainingsläufe",
  },
});
