import { useSyncExternalStore } from "react";

/** The portal's languages; the first is the fallback. */
export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = "pdm.portal.locale";

const isLocale = (value: string | null | undefined): value is Locale => (LOCALES as readonly (string | null | undefined)[]).includes(value);

/** The person's choice if made, else the browser's first language we speak, else English. */
function detect(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage refused (privacy mode): the browser's languages decide
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

let current: Locale = detect();
const listeners = new Set<() => void>();
document.documentElement.lang = current;

/** Switches the language of every page at once and remembers the choice in this browser. */
export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered; still switched for this tab
  }
  for (const listener of listeners) listener();
}

export function getLocale(): Locale {
  return current;
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The current language; the component renders again when it changes. */
export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, getLocale);
}
