import { defineMessages } from "../lib/i18n";

/** The bar above the GraphQL IDE (GraphiQL itself speaks English). */
export const ideMessages = defineMessages({
  en: {
    "ide.title": "GraphQL IDE",
    "ide.token": "Token",
    "ide.placeholder": "Paste an access token or API key (sent as Authorization: Bearer …)",
    "ide.anonymous": "No token: anonymous",
    "ide.bearer": "Sent as Authorization: Bearer",
  },
  de: {
    "ide.title": "GraphQL-IDE",
    "ide.token": "Token",
    "ide.placeholder": "Zugriffstoken oder API-Schlüssel einfügen (gesendet als Authorization: Bearer …)",
    "ide.anonymous": "Kein Token: anonym",
    "ide.bearer": "Gesendet als Authorization: Bearer",
  },
});
