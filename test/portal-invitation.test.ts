import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { connectDb } from "../src/db/client.js";
import { CreateInvitationDocument, MemberDocument, RevokeInvitationDocument } from "./generated/graphql.js";
import { assertClean, axeViolations, launchChromium, openPortal, portalSession, screenshot, writeControls } from "./support/browser.js";
import { type Api, addMember, gqlOk, newTenant, ownerUrl, PASSWORD, startApi, type TestTenant, uniqueEmail } from "./support/harness.js";

let api: Api;
let browser: Browser;

before(async () => {
  api = await startApi();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await api?.close();
});

/** An invitation's link as the API answers it, and the path (with the fragment) a browser opens on this API. */
async function invite(t: TestTenant, email: string, role: "ADMIN" | "ENGINEER" | "VIEWER" | "FINANCE") {
  const { createInvitation } = await gqlOk(api, CreateInvitationDocument, { email, role }, t.token);
  const url = new URL(createInvitation.url);
  assert.equal(url.pathname, "/invitation");
  assert.equal(url.hash, `#${createInvitation.token}`);
  assert.ok(
    createInvitation.url.startsWith(api.services.config.PORTAL_URL.replace(/\/+$/, "")),
    "the link is on the portal's public address",
  );
  return { path: `${url.pathname}${url.hash}`, id: createInvitation.invitation.id, token: createInvitation.token };
}

describe("accepting an invitation in the portal", () => {
  it("a new person creates an account (the password policy's refusals next to the field) and lands signed in on the fleet", async () => {
    const owner = await newTenant(api, "Invite Turbines");
    const email = uniqueEmail("newcomer");
    const link = await invite(owner, email, "ENGINEER");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto(link.path);
    await page.getByRole("heading", { name: "Join Invite Turbines" }).waitFor();
    await page.getByText("You are invited to Invite Turbines as an engineer.").waitFor();
    assert.equal(await page.getByTestId("invited-email").textContent(), email);

    await page.getByRole("button", { name: "Create account and join" }).click();
    await page.getByText("Give your name: your colleagues see it.").waitFor();
    await page.getByText("Choose a password.").waitFor();
    await page.getByLabel("Your name").fill("Nina Newcomer");
    await page.getByLabel("Choose a password").fill("password1234");
    await page.getByRole("button", { name: "Create account and join" }).click();
    await page.getByText(/too easy to guess/).waitFor();
    assert.equal(await page.getByLabel("Choose a password").getAttribute("aria-invalid"), "true");
    await page.getByLabel("Choose a password").fill("short");
    await page.getByRole("button", { name: "Create account and join" }).click();
    await page.getByText("The password must be at least 12 characters long.").waitFor();
    await screenshot(page, "invitation");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the invitation page with a refusal");

    await page.getByLabel("Choose a password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account and join" }).click();
    await page.waitForURL(/\/fleet$/);
    await page.getByText("No assets yet").waitFor();
    assert.ok(await page.getByText("Invite Turbines").isVisible(), "the shell names the company joined");
    const session = await portalSession(page);
    assert.equal(session.tenantId, owner.tenantId);
    assert.equal(session.email, email);
    const { member } = await gqlOk(api, MemberDocument, { userId: session.userId }, owner.token);
    assert.deepEqual([member.email, member.role], [email, "ENGINEER"]);
    assertClean(watch, [/status of 400/]);
    await watch.context.close();
  });

  it("an existing account proves its password and joins; a viewer lands on the fleet without write controls, finance on its page", async () => {
    const joining = await newTenant(api, "Second Home");
    const host = await newTenant(api, "Host Pumps");
    const link = await invite(host, joining.ownerEmail, "VIEWER");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto(link.path);
    await page.getByText(`You have an account with ${joining.ownerEmail}: enter its password to join.`).waitFor();
    assert.equal(await page.getByLabel("Your name").count(), 0, "an existing account is not asked for a name");
    await screenshot(page, "invitation-existing-account");
    await page.getByLabel("Your password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in and join" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? "", /Could not accept the invitation.*Request id: req_[0-9a-f]+/);
    await page.getByLabel("Your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in and join" }).click();
    await page.waitForURL(/\/fleet$/);
    await page.getByText("No assets yet").waitFor();
    assert.equal((await portalSession(page)).tenantId, host.tenantId);
    await page.getByText("Viewer", { exact: true }).waitFor();
    assert.deepEqual(await writeControls(page), []);
    assertClean(watch, [/status of 401/]);
    await watch.context.close();

    const financeEmail = uniqueEmail("finance");
    const financeLink = await invite(host, financeEmail, "FINANCE");
    const financeWatch = await openPortal(browser, api.url);
    await financeWatch.page.goto(financeLink.path);
    await financeWatch.page.getByLabel("Your name").fill("Fiona Finance");
    await financeWatch.page.getByLabel("Choose a password").fill(PASSWORD);
    await financeWatch.page.getByRole("button", { name: "Create account and join" }).click();
    await financeWatch.page.getByRole("heading", { name: "Your access: finance" }).waitFor();
    assert.equal(new URL(financeWatch.page.url()).pathname, "/finance");
    assertClean(financeWatch);
    await financeWatch.context.close();
  });

  it("an expired, withdrawn, used, unknown or cut-off link says so clearly, and offers sign-in", async () => {
    const owner = await newTenant(api, "Closed Doors");
    const expired = await invite(owner, uniqueEmail("late"), "VIEWER");
    const db = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    try {
      await db.sql`update invitations set expires_at = now() - interval '1 day' where id = ${expired.id}`;
    } finally {
      await db.close();
    }
    const revoked = await invite(owner, uniqueEmail("withdrawn"), "VIEWER");
    await gqlOk(api, RevokeInvitationDocument, { id: revoked.id }, owner.token);
    const used = await addMember(api, owner, "ENGINEER");
    const usedLink = (await gqlOk(api, CreateInvitationDocument, { email: uniqueEmail("twice"), role: "VIEWER" }, owner.token))
      .createInvitation;
    const { AcceptInvitationDocument } = await import("./generated/graphql.js");
    await gqlOk(api, AcceptInvitationDocument, { input: { token: usedLink.token, password: PASSWORD, name: "Used Once" } });
    assert.ok(used.userId);

    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    const cases: { path: string; heading: string; text: RegExp; shot?: string }[] = [
      {
        path: expired.path,
        heading: "Invitation expired",
        text: /expired on .* Ask the person who invited you/,
        shot: "invitation-expired",
      },
      { path: revoked.path, heading: "Invitation withdrawn", text: /was withdrawn/ },
      { path: `/invitation#${usedLink.token}`, heading: "Invitation already used", text: /accepted already/ },
      { path: `/invitation#${"A".repeat(43)}`, heading: "Invitation not found", text: /does not match any invitation/ },
      { path: "/invitation", heading: "Invitation link incomplete", text: /holds no invitation/ },
    ];
    for (const c of cases) {
      await page.goto("about:blank");
      await page.goto(c.path);
      await page.getByRole("heading", { name: c.heading }).waitFor();
      assert.match((await page.getByRole("alert").textContent()) ?? "", c.text);
      assert.equal(await page.getByRole("button", { name: /join/ }).count(), 0, `${c.heading}: no form`);
      await page.getByRole("link", { name: "Sign in" }).waitFor();
      if (c.shot) await screenshot(page, c.shot);
      assert.deepEqual(await axeViolations(page), [], `accessibility violations: ${c.heading}`);
    }
    assertClean(watch, [/status of 404/]);
    await watch.context.close();
  });

  it("the public pages pass axe: sign-in, sign-up and page not found", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/sign-in");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on sign-in");
    await page.goto("/sign-up");
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on sign-up");
    await page.goto("/nothing-here");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await screenshot(page, "not-found");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on page not found");
    assertClean(watch);
    await watch.context.close();
  });
});
