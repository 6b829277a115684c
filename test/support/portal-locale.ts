import type { Page } from "playwright-core";
import { PASSWORD } from "./harness.js";
import { type ExtractedCatalogue, sameInBoth } from "./portal-i18n.js";

/** A catalogue text that must not show in the other language: where it comes from, and how to find it in a page. */
export interface Telltale {
  readonly source: string;
  readonly text: string;
  readonly pattern: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const WORD = /[\p{L}\p{N}]/u;

/**
 * The texts of one language that the other translates differently, as patterns: a placeholder
 * matches any text, and a text that starts or ends with a letter matches only whole words there
 * ("Model" is not found in "Modell"). Left out: texts of fewer than 4 characters (without
 * placeholders), the words both languages share, and a text the other language itself uses as
 * words ("Name" in "Ihr Name", "Sensors" in "jedes Sensors"), which would be found in a correct page.
 */
export function telltales(catalogues: readonly ExtractedCatalogue[], of: "en" | "de"): Telltale[] {
  const other = of === "en" ? "de" : "en";
  const otherTexts = catalogues.flatMap((c) => [...c[other].values()]).join("\n");
  const out: Telltale[] = [];
  for (const c of catalogues) {
    for (const [key, text] of c[of]) {
      const translated = c[other].get(key);
      if (translated === undefined || translated === text || sameInBoth(text)) continue;
      const parts = text.split(/\{\w+\}/);
      if (parts.join("").trim().length < 4) continue;
      const body = parts.map(escapeRegExp).join(".+?");
      const start = WORD.test(text.charAt(0)) ? "(?<![\\p{L}\\p{N}])" : "";
      const end = WORD.test(text.charAt(text.length - 1)) ? "(?![\\p{L}\\p{N}])" : "";
      const pattern = new RegExp(`${start}${body}${end}`, "u");
      if (pattern.test(otherTexts)) continue;
      out.push({ source: `${c.name} ${key}`, text, pattern });
    }
  }
  return out;
}

/** What a person reads on the page: the visible text, the document's title and the read attributes. */
export async function readableText(page: Page): Promise<string> {
  // The rendered text (innerText: what shows, not hidden templates), run in the page as a script.
  return page.evaluate<string>(`[
    document.title,
    document.body.innerText,
    ...[...document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")].flatMap((e) =>
      ["aria-label", "title", "placeholder", "alt"].map((a) => e.getAttribute(a) ?? ""),
    ),
  ].join("\\n")`);
}

/** The page's rendered text. */
export const visibleText = (page: Page): Promise<string> => page.evaluate<string>("document.body.innerText");

/** The document's language (`<html lang>`). */
export const documentLang = (page: Page): Promise<string> => page.evaluate<string>("document.documentElement.lang");

/** The telltales found in the page's text, each with the line it was found on; `data` (names the test chose) is taken out first. */
export async function foundTelltales(page: Page, list: readonly Telltale[], data: readonly string[] = []): Promise<string[]> {
  let text = await readableText(page);
  for (const d of data) text = text.split(d).join(" ");
  const lines = text.split("\n");
  const out: string[] = [];
  for (const t of list) {
    const line = lines.find((l) => t.pattern.test(l));
    if (line !== undefined) out.push(`${t.source} "${t.text}" in "${line.trim().slice(0, 160)}"`);
  }
  return out;
}

/** Signs in through the German sign-in page. */
export async function signInGerman(page: Page, email: string): Promise<void> {
  await page.getByRole("heading", { name: "Anmelden", level: 1 }).waitFor();
  await page.getByLabel("E-Mail").fill(email);
  await page.getByLabel("Passwort").fill(PASSWORD);
  await page.getByRole("button", { name: "Anmelden" }).click();
}

/** The page has its heading and no request in flight (a WebSocket does not count). */
export async function settled(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForLoadState("networkidle");
  await page.locator('[role="status"]:has-text("…")').first().waitFor({ state: "detached" });
}
