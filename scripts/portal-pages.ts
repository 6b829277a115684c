import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";

/**
 * The portal's pages as pictures: one entry per screenshot, saying who is signed in, where to go
 * and what to wait for. `./run screenshots` (docs/portal) and the demo without a terminal take
 * them all, in this order, on the demo's data. To add a page, add an entry to PORTAL_PAGES.
 */

/** The demo's people: the owner, a finance member, and a newcomer in two companies (one of them empty). */
export type Persona = "owner" | "finance" | "newcomer";

export interface PortalPerson {
  readonly email: string;
  readonly password: string;
  /** The company to choose at sign-in, for an account in several. */
  readonly company?: string;
}

/** What the pages are shown on: the demo's tenant after loading, training and scoring. */
export interface PortalData {
  readonly people: Readonly<Record<Persona, PortalPerson>>;
  /** The company the demo's tenant is called. */
  readonly company: string;
  /** The newcomer's own company, with no assets. */
  readonly emptyCompany: string;
  /** An engine with telemetry, and the span of its cycles (ISO times). */
  readonly asset: { readonly id: string; readonly name: string; readonly from: string; readonly to: string };
  /** The portal's path (fragment included) of an open invitation to the demo's company. */
  readonly invitationPath: string;
}

export interface PortalPage {
  /** The picture's file name, without `.png`. */
  readonly name: string;
  /** What the picture shows (printed while taking it). */
  readonly shows: string;
  /** Who signs in first; null: nobody (the page is public, or signing in is what it shows). */
  readonly as: Persona | null;
  /** The company to sign in to, for a person in several (default: the person's own choice). */
  readonly company?: (data: PortalData) => string;
  /** The address to open (a path of the portal). */
  readonly path: (data: PortalData) => string;
  /** Steps once there, ending when the page shows what the picture is about; they fail when it does not. */
  readonly ready: (page: Page, data: PortalData) => Promise<void>;
  /** The window's height, when the page needs more than 700 pixels. */
  readonly height?: number;
  /** Console errors the page logs on purpose (the API's refusals the page shows). */
  readonly expectedErrors?: readonly RegExp[];
}

const heading = (page: Page, name: string) => page.getByRole("heading", { name, exact: true }).first().waitFor();

export const PORTAL_PAGES: readonly PortalPage[] = [
  {
    name: "sign-in",
    shows: "the sign-in page",
    as: null,
    path: () => "/sign-in",
    ready: (page) => heading(page, "Sign in"),
  },
  {
    name: "sign-up",
    shows: "the sign-up page, filled in",
    as: null,
    path: () => "/sign-up",
    ready: async (page) => {
      await page.getByLabel("Your name").fill("Sam Sample");
      await page.getByLabel("Company").fill("Sample Pumps");
      await page.getByLabel("Email").fill("sam.sample@example.com");
      await page.getByLabel("Password").fill("a long sample password");
    },
  },
  {
    name: "fleet",
    shows: "the fleet, signed in as the owner",
    as: "owner",
    path: () => "/fleet",
    ready: (page) => page.locator("tbody tr").first().waitFor(),
  },
  {
    name: "fleet-empty",
    shows: "the fleet of a company without assets",
    as: "newcomer",
    company: (data) => data.emptyCompany,
    path: () => "/fleet",
    ready: (page) => page.getByText("No assets yet").waitFor(),
  },
  {
    name: "tenant-switcher",
    shows: "an account in two companies, with the company switcher",
    as: "newcomer",
    company: (data) => data.company,
    path: () => "/fleet",
    ready: async (page) => {
      await page.locator("tbody tr").first().waitFor();
      await page.getByLabel("Company").focus();
    },
  },
  {
    name: "asset",
    shows: "an engine's page over its whole life",
    as: "owner",
    path: ({ asset }) =>
      `/assets/${asset.id}?${new URLSearchParams({ range: "custom", from: asset.from, to: asset.to, tz: "UTC", sensors: "s2,s3,s4,s7,s11" })}`,
    ready: async (page, { asset }) => {
      await heading(page, asset.name);
      await page.locator('.plots[data-state="success"] figure.plot').first().waitFor();
      await page
        .getByText(/version \d+/)
        .first()
        .waitFor();
    },
    height: 1000,
  },
  {
    name: "asset-not-found",
    shows: "an asset that does not exist",
    as: "owner",
    path: () => `/assets/${randomUUID()}`,
    ready: (page) => heading(page, "Asset not found"),
    expectedErrors: [/status of 404/],
  },
  {
    name: "alerts",
    shows: "the alerts inbox with the engines below the alert rule",
    as: "owner",
    path: () => "/alerts",
    ready: async (page) => {
      await page.locator("[data-status]").first().waitFor();
      await page.locator('[data-live="live"]').waitFor();
    },
  },
  {
    name: "maintenance",
    shows: "the fleet's maintenance log: the training engines' failures",
    as: "owner",
    path: () => "/maintenance",
    ready: (page) => page.locator("table.maintenance tbody tr").first().waitFor(),
  },
  {
    name: "maintenance-record",
    shows: "recording a maintenance event",
    as: "owner",
    path: () => "/maintenance",
    ready: async (page) => {
      await page.locator("table.maintenance tbody tr").first().waitFor();
      await page.getByRole("button", { name: "Record an event" }).click();
      await page.getByRole("heading", { name: "Record an event" }).waitFor();
    },
    height: 900,
  },
  {
    name: "asset-maintenance",
    shows: "one engine's maintenance log",
    as: "owner",
    path: ({ asset }) => `/assets/${asset.id}/maintenance`,
    ready: (page, { asset }) => heading(page, `Maintenance log: ${asset.name}`),
  },
  {
    name: "invitation",
    shows: "an invitation link opened by a person without an account",
    as: null,
    path: ({ invitationPath }) => invitationPath,
    ready: (page, { company }) => heading(page, `Join ${company}`),
  },
  {
    name: "not-found",
    shows: "an address the portal does not have",
    as: null,
    path: () => "/no-such-page",
    ready: (page) => heading(page, "Page not found"),
  },
  {
    name: "finance",
    shows: "the landing page of a finance member",
    as: "finance",
    path: () => "/",
    ready: (page) => heading(page, "Your access: finance"),
  },
  {
    name: "fleet-error",
    shows: "the fleet refused to a finance member: the API's message and request id",
    as: "finance",
    path: () => "/fleet",
    ready: (page) =>
      page
        .getByRole("alert")
        .getByText(/Request id/)
        .waitFor(),
    expectedErrors: [/status of 403/],
  },
  {
    name: "session-ended",
    shows: "a session past its expiry: sign in again",
    as: "owner",
    path: () => "/fleet",
    ready: async (page) => {
      await page.locator("tbody tr").first().waitFor();
      await page.evaluate(() => {
        const key = "pdm.portal.session";
        const session = JSON.parse(sessionStorage.getItem(key) ?? "{}") as Record<string, unknown>;
        sessionStorage.setItem(key, JSON.stringify({ ...session, expiresAt: new Date(Date.now() - 1000).toISOString() }));
      });
      await page.reload();
      await page.getByText("Your session has ended").waitFor();
    },
  },
];
