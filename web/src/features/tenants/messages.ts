import { defineMessages } from "../../lib/i18n";

export const tenantMessages = defineMessages({
  en: { "tenant.label": "Company" },
  de: { "tenant.label": "Unternehmen" },
});
