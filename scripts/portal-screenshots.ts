import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { PORTAL_PAGES, type PortalData, type PortalPage, type PortalPerson } from "./portal-pages.js";

/** Debian's Chromium (installed with the stack's packages); no browser is ever downloaded. */
const CHROMIUM = "/usr/bin/chromium";

const launch = (): Promise<Browser> =>
  // Chromium's sandbox needs an unprivileged user; as root it refuses to start without this.
  chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });

async function signIn(page: Page, person: PortalPerson, company: string | undefined): Promise<void> {
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (company) {
    await page.getByText("Your account belongs to several companies").waitFor();
    await page.getByLabel("Company").selectOption({ label: company });
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** One page: a fresh browser context, signed in as the page says, the steps, then the picture. */
async function take(browser: Browser, url: string, data: PortalData, entry: PortalPage, folder: string): Promise<string> {
  const origin = new URL(url).origin;
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1100, height: entry.height ?? 700 } });
  const problems: string[] = [];
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on("request", (request) => {
      if (new URL(request.url()).origin !== origin) problems.push(`request to another origin: ${request.url()}`);
    });
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && !(entry.expectedErrors ?? []).some((e) => e.test(text))) problems.push(`console error: ${text}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
    await page.goto(entry.path(data));
    if (entry.as) {
      const person = data.people[entry.as];
      await signIn(page, person, entry.company?.(data) ?? person.company);
    }
    await entry.ready(page, data);
    const file = join(folder, `${entry.name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    if (problems.length > 0) throw new Error(problems.join("; "));
    return file;
  } catch (error) {
    throw new Error(`the ${entry.name} page (${entry.shows}): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await context.close();
  }
}

/**
 * Takes a screenshot of every page of PORTAL_PAGES (or of those named in `only`) into `folder`,
 * in Debian's Chromium against the portal the API at `url` serves. Fails on the first page that
 * does not show what it should, requests another origin or logs an unexpected console error.
 */
export async function takeScreenshots(
  url: string,
  data: PortalData,
  folder: string,
  say: (line: string) => void,
  only: readonly string[] = [],
): Promise<string[]> {
  const unknown = only.filter((name) => !PORTAL_PAGES.some((p) => p.name === name));
  if (unknown.length > 0)
    throw new Error(`no such portal page: ${unknown.join(", ")} (known: ${PORTAL_PAGES.map((p) => p.name).join(", ")})`);
  await mkdir(folder, { recursive: true });
  const browser = await launch();
  const files: string[] = [];
  try {
    for (const entry of PORTAL_PAGES.filter((p) => only.length === 0 || only.includes(p.name))) {
      const started = performance.now();
      files.push(await take(browser, url, data, entry, folder));
      say(`  ${entry.name.padEnd(16)} ${entry.shows} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await browser.close();
  }
  return files;
}
