import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { catalogueProblems, extractCatalogues, findLiterals, portalCatalogues, portalSources } from "./support/portal-i18n.js";

// Every word of the portal comes from a catalogue, in English and German: the checks read the
// source with the TypeScript compiler (no browser, no build) and are proven on small sources first.

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Placeholder pages of areas being built elsewhere, pinned by their exact content: while a file is
 * still that stub it is not checked; any change to it (the real page) is checked in full.
 */
const STUBS: Record<string, string> = {
  "web/src/routes/operator.tsx": "30f0541f39602b38d26a4918110ec3fa32a65a0b36cf3f08cb57ae27aab1b35f",
};

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("literal words in components", () => {
  it("finds JSX text, read attributes, rendered strings and <title> text, and lets punctuation and catalogue calls pass", () => {
    const source = `
      export function Page({ busy, n }: { busy: boolean; n: number }) {
        const label = "kept in code";
        return (
          <section aria-label="Overview" className="page wide" data-state="ready">
            <title>{\`Fleet · \${n}\`}</title>
            <h1>Fleet</h1>
            <p>{t("fleet.title")} — {n} › {"…"}</p>
            <input placeholder="Search" title={busy ? "Busy" : t("idle")} alt={t("x")} />
            <ChoiceFilter label="Kind" allLabel={t("all")} />
            <button type="button">{busy ? "Saving…" : t("save")}</button>
            <img alt={\`Photo of \${n}\`} />
            {busy && "Loading"}
            <span>{label}</span>
          </section>
        );
      }`;
    const found = findLiterals(source).map((l) => `${l.line} ${l.where} ${l.text}`);
    assert.deepEqual(found, [
      "5 aria-label= Overview",
      "6 string in <title> Fleet ·",
      "7 text in <h1> Fleet",
      "9 placeholder= Search",
      "9 title= Busy",
      "10 label= Kind",
      "11 string in <button> Saving…",
      "12 alt= Photo of",
      "13 string in <section> Loading",
    ]);
  });

  it("the portal's components hold none", () => {
    const dir = join(root, "web/src");
    const found = portalSources(dir, [".tsx"]).flatMap((path) => {
      const file = relative(root, path);
      const source = readFileSync(path, "utf8");
      if (STUBS[file] === sha256(source)) return [];
      return findLiterals(source, file);
    });
    assert.deepEqual(
      found.map((l) => `${l.file}:${l.line} ${l.where}: "${l.text}"`),
      [],
      "words written into components: move each into the feature's messages.ts (or the route's <area>-messages.ts)",
    );
  });
});

describe("catalogues", () => {
  it("are read from the syntax tree, and a missing key, an untranslated text and a changed placeholder are each reported", () => {
    const source = `
      export const demoMessages = defineMessages({
        en: { "a.title": "Plan and billing", "a.count": "{count} devices", "a.name": "Team", "a.only": "English only", "a.same": "Export" },
        de: { "a.title": "Tarif und Abrechnung", "a.count": "{anzahl} Geräte", "a.name": "Team", "a.same": "Export", "a.extra": "Nur Deutsch" },
      });`;
    const [catalogue, ...rest] = extractCatalogues(source, "demo.ts");
    assert.equal(rest.length, 0);
    assert.equal(catalogue?.name, "demoMessages");
    assert.equal(catalogue?.en.get("a.title"), "Plan and billing");
    assert.equal(catalogue?.de.get("a.count"), "{anzahl} Geräte");
    assert.deepEqual(catalogueProblems(catalogue ? [catalogue] : []), [
      'demo.ts demoMessages: "a.only" has no German text',
      'demo.ts demoMessages: "a.extra" is German only',
      'demo.ts demoMessages: "a.count" has placeholders {count} in English, {anzahl} in German',
      'demo.ts demoMessages: "a.same" reads the same in German: "Export"',
    ]);
    assert.throws(() => extractCatalogues(`const m = defineMessages({ en: { a: text }, de: { a: "b" } });`), /not a string literal/);
  });

  it("the portal's are complete in both languages", () => {
    const catalogues = portalCatalogues(root);
    // Every area has its catalogue: the check is not looking at an empty set.
    const files = catalogues.map((c) => c.file);
    for (const f of ["web/src/lib/i18n/common.ts", "web/src/features/fleet/messages.ts", "web/src/features/alerts/messages.ts"]) {
      assert.ok(files.includes(f), `${f} is read`);
    }
    assert.deepEqual(catalogueProblems(catalogues), []);
  });
});
