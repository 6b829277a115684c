import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/**
 * The portal's language checks, read from the source by the TypeScript compiler: words a person
 * reads that are written into a component instead of coming from a catalogue, and the catalogues
 * themselves (`defineMessages({ en: {…}, de: {…} })`), extracted without running the portal.
 */

/** JSX attributes a person reads (or a screen reader says). */
const READ_ATTRIBUTES = new Set(["aria-label", "title", "placeholder", "alt", "label"]);

/** A letter of any script: text without one is punctuation or a symbol (…, —, ›, ·, %) and needs no translation. */
const LETTER = /\p{L}/u;

export interface Literal {
  readonly file: string;
  readonly line: number;
  readonly where: string;
  readonly text: string;
}

/**
 * The string literals an expression renders: itself, or the branches of a condition (`a ? "x" : "y"`,
 * `a && "x"`, `a ?? "x"`), and the fixed parts of a template. Calls (`t("key")`) render their answer, not their arguments.
 */
function renderedStrings(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  if (ts.isParenthesizedExpression(node)) return renderedStrings(node.expression);
  if (ts.isConditionalExpression(node)) return [...renderedStrings(node.whenTrue), ...renderedStrings(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return renderedStrings(node.right);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return [...renderedStrings(node.left), ...renderedStrings(node.right)];
    }
    if (op === ts.SyntaxKind.PlusToken) return [...renderedStrings(node.left), ...renderedStrings(node.right)];
  }
  return [];
}

const tagName = (node: ts.JsxElement | ts.JsxSelfClosingElement): string =>
  (ts.isJsxElement(node) ? node.openingElement.tagName : node.tagName).getText();

/**
 * Every literal word of a TSX source a person would read: JSX text with a letter, a read attribute
 * (aria-label, title, placeholder, alt, label) given a string, and strings rendered as JSX children
 * (`{busy ? "Saving…" : "Save"}`, the text of `<title>`).
 */
export function findLiterals(source: string, file = "source.tsx"): Literal[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Literal[] = [];
  const add = (node: ts.Node, where: string, text: string) => {
    if (!LETTER.test(text)) return;
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, where, text: text.trim() });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const parent = node.parent;
      const inside = ts.isJsxElement(parent) ? `<${tagName(parent)}>` : "JSX";
      add(node, `text in ${inside}`, node.text);
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(sf);
      if (READ_ATTRIBUTES.has(name) && node.initializer) {
        const init = node.initializer;
        if (ts.isStringLiteral(init)) add(node, `${name}=`, init.text);
        else if (ts.isJsxExpression(init) && init.expression) {
          for (const text of renderedStrings(init.expression)) add(node, `${name}=`, text);
        }
      }
    } else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const inside = ts.isJsxElement(node.parent) ? `<${tagName(node.parent)}>` : "a fragment";
      for (const text of renderedStrings(node.expression)) add(node, `string in ${inside}`, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export interface ExtractedCatalogue {
  readonly file: string;
  /** The constant it is assigned to (`fleetMessages`). */
  readonly name: string;
  readonly en: ReadonlyMap<string, string>;
  readonly de: ReadonlyMap<string, string>;
}

function messagesOf(node: ts.ObjectLiteralExpression, where: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of node.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isStringLiteral(p.name) || ts.isIdentifier(p.name))) {
      throw new Error(`${where}: every message must be a plain "key": "text" entry`);
    }
    const value = p.initializer;
    if (!(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) {
      throw new Error(`${where}: the message ${p.name.text} is not a string literal`);
    }
    out.set(p.name.text, value.text);
  }
  return out;
}

/** Every `defineMessages({ en: {…}, de: {…} })` of a source, its messages read from the syntax tree. */
export function extractCatalogues(source: string, file = "source.ts"): ExtractedCatalogue[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: ExtractedCatalogue[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "defineMessages") {
      const arg = node.arguments[0];
      const declaration = node.parent;
      const name = ts.isVariableDeclaration(declaration) ? declaration.name.getText(sf) : "(unnamed)";
      const where = `${file} ${name}`;
      if (!arg || !ts.isObjectLiteralExpression(arg)) throw new Error(`${where}: defineMessages needs an object literal`);
      const side = (locale: "en" | "de") => {
        const p = arg.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText(sf) === locale);
        if (!p || !ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer)) {
          throw new Error(`${where}: no ${locale} object literal`);
        }
        return messagesOf(p.initializer, `${where}.${locale}`);
      };
      found.push({ file, name, en: side("en"), de: side("de") });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * English words that stay the same in German (loanwords the product uses as they are). Nothing else
 * may read the same in both: an equal German text is almost always a text nobody translated.
 */
const SAME_WORDS = new Set([
  ...["Team", "Token", "Tokens", "CSV", "Webhook", "Webhooks", "Status", "Sensor", "Name", "URL", "Client", "Support", "System"],
  ...["Champion", "Version", "Training", "HTTP", "MQTT", "RMSE", "PSI", "Telegraf", "curl", "mosquitto_pub"],
]);

/** Whether a text may read the same in both languages: its words (placeholders aside) are all such loanwords or names. */
export function sameInBoth(text: string): boolean {
  const words = text.replace(/\{\w+\}/g, " ").match(/[\p{L}_]+/gu) ?? [];
  return words.every((word) => SAME_WORDS.has(word));
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();

/** What is wrong with the catalogues: keys on one side only, German equal to English, placeholders that differ. */
export function catalogueProblems(catalogues: readonly ExtractedCatalogue[]): string[] {
  const problems: string[] = [];
  for (const c of catalogues) {
    const where = `${c.file} ${c.name}`;
    for (const key of c.en.keys()) if (!c.de.has(key)) problems.push(`${where}: "${key}" has no German text`);
    for (const key of c.de.keys()) if (!c.en.has(key)) problems.push(`${where}: "${key}" is German only`);
    for (const [key, en] of c.en) {
      const de = c.de.get(key);
      if (de === undefined) continue;
      if (de === en && !sameInBoth(en)) problems.push(`${where}: "${key}" reads the same in German: "${en}"`);
      if (placeholders(en).join() !== placeholders(de).join()) {
        problems.push(
          `${where}: "${key}" has placeholders {${placeholders(en).join("}, {")}} in English, {${placeholders(de).join("}, {")}} in German`,
        );
      }
    }
  }
  return problems;
}

/** The portal's source files under `dir` (web/src), without the generated GraphQL documents. */
export function portalSources(dir: string, extensions: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(dir, "gql")) walk(path);
      } else if (extensions.some((e) => entry.name.endsWith(e))) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every catalogue of the portal at `root` (the repository), extracted from web/src. */
export function portalCatalogues(root: string): ExtractedCatalogue[] {
  const dir = join(root, "web/src");
  return portalSources(dir, [".ts", ".tsx"]).flatMap((path) => {
    const source = readFileSync(path, "utf8");
    return source.includes("defineMessages(") ? extractCatalogues(source, relative(root, path)) : [];
  });
}
