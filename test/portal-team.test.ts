import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { connectDb } from "../src/db/client.js";
import {
  CreateInvitationDocument,
  MembersDocument,
  OperatorTenantDocument,
  RemoveMemberDocument,
  TeamAuditLogDocument,
  UpdateMemberRoleDocument,
} from "./generated/graphql.js";
import {
  assertClean,
  axeViolations,
  launchChromium,
  openPortal,
  type PageWatch,
  portalSession,
  screenshot,
  signIn,
  writeControls,
} from "./support/browser.js";
import {
  type Api,
  addMember,
  gqlOk,
  newOperator,
  newTenant,
  ownerUrl,
  PASSWORD,
  startApi,
  type TestTenant,
  uniqueEmail,
} from "./support/harness.js";
import { openSignedIn } from "./support/portal-team.js";

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

/** Signed in on `path`, with the shell's navigation shown (the role is known, so controls that depend on it are settled). */
async function openAs(watch: PageWatch, email: string, path: string) {
  await watch.page.goto(path);
  await signIn(watch, email);
  await watch.page.getByRole("navigation", { name: "Main" }).getByRole("link").first().waitFor();
}

/** The members the API lists, as [name, role]. */
async function apiMembers(t: TestTenant) {
  const { members } = await gqlOk(api, MembersDocument, { first: 100 }, t.token);
  return members.edges.map((e) => e.node);
}

const memberRow = (page: Page, userId: string) => page.locator(`tr[data-user-id="${userId}"]`);

/** The audit rows' ids and actions on the page, in order. */
const auditRows = (page: Page) =>
  page
    .locator("tr[data-audit-id]")
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-audit-id"), r.getAttribute("data-action")]));

/** Waits until the audit table shows exactly `n` rows (the filtered answer replaced the former one). */
const auditRowCount = (page: Page, n: number) =>
  page.waitForFunction(
    (want: number) =>
      (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document.querySelectorAll(
        "tr[data-audit-id]",
      ).length === want,
    n,
  );

describe("the team page", () => {
  it("an owner changes a role and removes a member; the only owner cannot be demoted or removed; the API's refusal shows; the audit log lists it", async () => {
    const owner = await newTenant(api, "Team Turbines");
    const engineer = await addMember(api, owner, "ENGINEER");
    const viewer = await addMember(api, owner, "VIEWER");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, "/team");
    await page.getByRole("heading", { name: "Team", level: 1 }).waitFor();
    await memberRow(page, viewer.userId).waitFor();

    // The only owner: role choice and Remove disabled, and why.
    const own = memberRow(page, owner.ownerId);
    assert.equal(await own.getByLabel("Role of Olivia Owner", { exact: true }).isDisabled(), true);
    assert.equal(await own.getByRole("button", { name: "Remove Olivia Owner" }).isDisabled(), true);
    await own.getByText("The only owner: make someone else owner first.").waitFor();
    assert.equal(await own.getByRole("button", { name: "Apply the new role of Olivia Owner" }).isDisabled(), true);

    // Change a role.
    const eng = memberRow(page, engineer.userId);
    assert.equal(
      await eng.getByRole("button", { name: "Apply the new role of ENGINEER person" }).isDisabled(),
      true,
      "nothing to apply yet",
    );
    await eng.getByLabel("Role of ENGINEER person", { exact: true }).selectOption("ADMIN");
    await eng.getByRole("button", { name: "Apply the new role of ENGINEER person" }).click();
    await page.getByText("ENGINEER person is now Admin.").waitFor();
    await page.locator(`tr[data-user-id="${engineer.userId}"][data-role="ADMIN"]`).waitFor();

    // Remove a member: asked once more, then gone.
    await memberRow(page, viewer.userId).getByRole("button", { name: "Remove VIEWER person" }).click();
    await memberRow(page, viewer.userId)
      .getByText(/Remove VIEWER person from Team Turbines\?/)
      .waitFor();
    await memberRow(page, viewer.userId).getByRole("button", { name: "Remove for good" }).click();
    await page.getByText("VIEWER person was removed.").waitFor();
    await memberRow(page, viewer.userId).waitFor({ state: "detached" });
    assert.deepEqual(
      (await apiMembers(owner)).map((m) => [m.userId, m.role]).sort(),
      [
        [owner.ownerId, "OWNER"],
        [engineer.userId, "ADMIN"],
      ].sort(),
    );

    // A second owner: the first one's controls are enabled. The second owner is removed behind the
    // page's back; the page still shows two owners, so demoting oneself is offered, and the API's refusal shows.
    await memberRow(page, engineer.userId).getByLabel("Role of ENGINEER person", { exact: true }).selectOption("OWNER");
    await memberRow(page, engineer.userId).getByRole("button", { name: "Apply the new role of ENGINEER person" }).click();
    await page.getByText("ENGINEER person is now Owner.").waitFor();
    assert.equal(await own.getByLabel("Role of Olivia Owner", { exact: true }).isDisabled(), false);
    await gqlOk(api, RemoveMemberDocument, { userId: engineer.userId }, owner.token);
    await own.getByLabel("Role of Olivia Owner", { exact: true }).selectOption("ADMIN");
    await own.getByRole("button", { name: "Apply the new role of Olivia Owner" }).click();
    const refusal = page.getByRole("alert");
    await refusal.getByText("The change was refused").waitFor();
    await refusal.getByText("A tenant must keep at least one owner; make someone else owner first.").waitFor();
    assert.match((await refusal.textContent()) ?? "", /Request id: \S+/);
    // The list is fetched again: the other owner is gone, and the only owner's controls are disabled again.
    await memberRow(page, engineer.userId).waitFor({ state: "detached" });
    await own.getByText("The only owner: make someone else owner first.").waitFor();
    assert.equal(await own.getByLabel("Role of Olivia Owner", { exact: true }).isDisabled(), true);
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the team page with a refusal");

    // The audit log lists what was done, by whom.
    await page.getByRole("navigation", { name: "Team sections" }).getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL(/\/team\/audit$/);
    await page.locator("tr[data-audit-id]").first().waitFor();
    const { auditLog } = await gqlOk(api, TeamAuditLogDocument, { first: 25 }, owner.token);
    assert.deepEqual(
      await auditRows(page),
      auditLog.edges.map((e) => [e.node.id, e.node.action]),
      "the page shows the API's entries in its order",
    );
    const roleChange = page.locator(`tr[data-audit-id="${auditLog.edges.find((e) => e.node.action === "member.role_changed")?.node.id}"]`);
    await roleChange.getByText("Changed a member's role").waitFor();
    await roleChange.getByText("Olivia Owner").waitFor();
    await roleChange.getByText("Admin → Owner").waitFor();
    const removals = page.locator('tr[data-action="member.removed"]');
    assert.equal(await removals.count(), 2, "the viewer, then the second owner");
    assertClean(watch, [/status of (400|409)/]);
    await watch.context.close();
  });

  it("an invitation sent in the browser: its copied link accepted in another browser adds a member; a withdrawn one's link is refused", async () => {
    const owner = await newTenant(api, "Invite Works");
    const watch = await openPortal(browser, api.url);
    const { page, context } = watch;
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(api.url).origin });
    await openAs(watch, owner.ownerEmail, "/team");
    await page.getByText("No invitations sent yet").waitFor();

    const form = page.getByRole("form", { name: "Invite someone" });
    await form.getByRole("button", { name: "Send invitation" }).click();
    await form.getByText("Enter the address to invite.").waitFor();
    const email = uniqueEmail("joiner");
    await form.getByLabel("Email address").fill(email);
    await form.getByLabel("Role").selectOption("ENGINEER");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await form.getByText(`Invitation for ${email} as Engineer created.`).waitFor();
    const shown = await form.getByLabel("Invitation link").inputValue();
    await form.getByRole("button", { name: "Copy link" }).click();
    await form.getByRole("button", { name: "Copied" }).waitFor();
    const copied = String(await page.evaluate("navigator.clipboard.readText()"));
    assert.equal(copied, shown, "the copied link is the one shown");
    const link = new URL(copied);
    assert.equal(link.pathname, "/invitation");
    assert.match(link.hash, /^#.{20,}/);
    await page.locator('tr[data-state="PENDING"]').getByText(email).waitFor();
    await page.setViewportSize({ width: 1100, height: 1150 });
    await page.getByRole("heading", { name: "Team", level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, "team");
    await page.setViewportSize({ width: 1100, height: 700 });

    // An owner may invite an owner (an admin is not offered the role).
    assert.ok((await form.getByLabel("Role").locator("option").allTextContents()).includes("Owner"));

    // Accepted in a second browser context: the member appears.
    const joiner = await openPortal(browser, api.url);
    await joiner.page.goto(`${link.pathname}${link.hash}`);
    await joiner.page.getByLabel("Your name").fill("Jana Joiner");
    await joiner.page.getByLabel("Choose a password").fill(PASSWORD);
    await joiner.page.getByRole("button", { name: "Create account and join" }).click();
    await joiner.page.waitForURL(/\/fleet$/);
    const joined = await portalSession(joiner.page);
    assertClean(joiner);
    await joiner.context.close();
    const members = await apiMembers(owner);
    assert.deepEqual(
      members.filter((m) => m.userId === joined.userId).map((m) => [m.email, m.role]),
      [[email, "ENGINEER"]],
    );
    await page.reload();
    await memberRow(page, joined.userId).getByText("Jana Joiner").waitFor();
    await page.locator('tr[data-state="ACCEPTED"]').getByText(email).waitFor();

    // A second invitation, withdrawn: its link is refused.
    const other = uniqueEmail("withdrawn");
    await form.getByLabel("Email address").fill(other);
    await form.getByRole("button", { name: "Send invitation" }).click();
    await form.getByText(`Invitation for ${other} as Viewer created.`).waitFor();
    const withdrawnLink = new URL(await form.getByLabel("Invitation link").inputValue());
    await page.getByRole("button", { name: `Withdraw the invitation of ${other}` }).click();
    await page.getByText(`The invitation of ${other} was withdrawn; its link no longer works.`).waitFor();
    await page.locator('tr[data-state="REVOKED"]').getByText(other).waitFor();
    assert.equal(await page.getByRole("button", { name: `Withdraw the invitation of ${other}` }).count(), 0);
    const refused = await openPortal(browser, api.url);
    await refused.page.goto(`${withdrawnLink.pathname}${withdrawnLink.hash}`);
    await refused.page.getByRole("heading", { name: "Invitation withdrawn" }).waitFor();
    assert.equal(await refused.page.getByLabel("Choose a password").count(), 0);
    await refused.context.close();

    // An invitation past its time: Expired, nothing to withdraw.
    const late = await gqlOk(api, CreateInvitationDocument, { email: uniqueEmail("late"), role: "VIEWER" }, owner.token);
    const db = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    try {
      await db.sql`update invitations set expires_at = now() - interval '1 minute' where id = ${late.createInvitation.invitation.id}`;
    } finally {
      await db.close();
    }
    await page.reload();
    const lateRow = page.locator(`tr[data-invitation-id="${late.createInvitation.invitation.id}"]`);
    await lateRow.getByText("Expired").waitFor();
    assert.equal(await lateRow.getByRole("button").count(), 0);

    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the team page with invitations");
    assertClean(watch);
    await watch.context.close();
  });

  it("the audit log: a support operator's read appears with its reason; who, what and days filter it, in the address", async () => {
    const owner = await newTenant(api, "Audit Pumps");
    const admin = await addMember(api, owner, "ADMIN");
    const viewer = await addMember(api, owner, "VIEWER");
    await gqlOk(api, UpdateMemberRoleDocument, { userId: viewer.userId, role: "ENGINEER" }, owner.token);
    await gqlOk(api, CreateInvitationDocument, { email: uniqueEmail("pending"), role: "FINANCE" }, admin.token);
    const operator = await newOperator(api, "support");
    const reason = "Ticket 4711: the customer asks who changed the roles";
    await gqlOk(api, OperatorTenantDocument, { tenantId: owner.tenantId, reason }, operator.token);

    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, admin.email, "/team/audit");
    await page.getByRole("heading", { name: "Team", level: 1 }).waitFor();
    const operatorRow = page.locator('tr[data-actor-kind="operator"]');
    await operatorRow.getByText(`Reason: ${reason}`).waitFor();
    await operatorRow.getByText("Operator of the machine maker").waitFor();
    await operatorRow.getByText("Viewed the company and its members").waitFor();
    await operatorRow.getByText(operator.id).waitFor();
    await page.setViewportSize({ width: 1100, height: 1000 });
    const roleChange = page.locator('tr[data-action="member.role_changed"]');
    await roleChange.getByText("VIEWER person").waitFor();
    await roleChange.getByText("Viewer → Engineer").waitFor();
    await screenshot(page, "team-audit");
    await page.setViewportSize({ width: 1100, height: 700 });
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the audit log");

    // Who: the machine maker's staff only.
    await page.getByLabel("Who").selectOption({ label: "The machine maker's staff" });
    await page.waitForURL(/who=operator/);
    await auditRowCount(page, 1);
    assert.deepEqual(
      (await auditRows(page)).map((r) => r[1]),
      ["operator.tenant_viewed"],
    );

    // Who: one member; What: a family.
    await page.getByLabel("Who").selectOption({ label: "ADMIN person" });
    await page.waitForURL(new RegExp(`who=user%3A${admin.userId}`));
    await page.getByLabel("What").selectOption({ label: "Invitations" });
    await page.waitForURL(/what=invitation\./);
    const expected = await gqlOk(
      api,
      TeamAuditLogDocument,
      { first: 25, actorKind: "user", actorId: admin.userId, action: "invitation." },
      owner.token,
    );
    assert.deepEqual(
      expected.auditLog.edges.map((e) => e.node.action),
      ["invitation.created", "invitation.accepted"],
    );
    await auditRowCount(page, 2);
    assert.deepEqual(
      await auditRows(page),
      expected.auditLog.edges.map((e) => [e.node.id, e.node.action]),
    );

    // Over a reload, the filters stay (they are the address).
    await page.reload();
    assert.equal(await page.getByLabel("What").inputValue(), "invitation.");
    await auditRowCount(page, 2);

    // Days: from tomorrow on, nothing; a first day after the last is refused before asking.
    const day = (offset: number) => {
      const d = new Date(Date.now() + offset * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    };
    await page.getByLabel("From (day)").fill(day(1));
    await page.getByText("No entries match these filters").waitFor();
    await page.getByLabel("To (day, included)").fill(day(0));
    await page.getByText("The first day must not be after the last.").waitFor();
    await page.getByLabel("From (day)").fill(day(0));
    await auditRowCount(page, 2);
    await page.getByLabel("Who").selectOption({ label: "Anyone" });
    await page.getByLabel("What").selectOption({ label: "Anything" });
    await page.getByLabel("From (day)").fill(day(1));
    await page.getByLabel("To (day, included)").fill("");
    await page.getByText("No entries match these filters").waitFor();
    await page.getByRole("link", { name: "Clear the filters" }).click();
    await operatorRow.waitFor();
    assert.equal(new URL(page.url()).search, "");
    assertClean(watch);
    await watch.context.close();
  });

  it("a viewer sees the members but no control that changes them, and no audit log", async () => {
    const owner = await newTenant(api, "Read Only Rotors");
    const viewer = await addMember(api, owner, "VIEWER");
    await gqlOk(api, CreateInvitationDocument, { email: uniqueEmail("someone"), role: "ENGINEER" }, owner.token);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    const auditRequests: string[] = [];
    page.on("request", (request) => {
      if (request.postData()?.includes("PortalTeamAuditLog")) auditRequests.push(request.url());
    });
    await openAs(watch, viewer.email, "/team");
    await memberRow(page, owner.ownerId)
      .locator(".badge", { hasText: /^Owner$/ })
      .waitFor();
    await memberRow(page, viewer.userId)
      .locator(".badge", { hasText: /^Viewer$/ })
      .waitFor();
    await page.locator('tr[data-state="PENDING"]').waitFor();
    await page.getByText("Your role may see the team but not change it; owners and admins can.").waitFor();
    assert.deepEqual(await writeControls(page), []);
    assert.equal(await page.getByRole("link", { name: "Audit log" }).count(), 0, "no audit log tab");
    assert.equal(await page.locator("main select").count(), 0, "no role choice");
    await screenshot(page, "team-viewer");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the viewer's team page");

    await page.goto("/team/audit");
    await page.getByText("Your role cannot read the audit log; owners and admins can.").waitFor();
    assert.equal(await page.locator("tr[data-audit-id]").count(), 0);
    assert.deepEqual(await writeControls(page), []);
    assert.deepEqual(auditRequests, [], "the page does not ask for what the role may not read");
    assertClean(watch);
    await watch.context.close();
  });

  it("renders in German for a browser in de-DE", async () => {
    const owner = await newTenant(api, "Deutsche Turbinen GmbH");
    await addMember(api, owner, "ENGINEER");
    const watch = await openSignedIn(
      browser,
      api.url,
      { token: owner.token, tenantId: owner.tenantId, userId: owner.ownerId, email: owner.ownerEmail },
      "de-DE",
    );
    const { page } = watch;
    await page.goto("/team");
    await page.getByRole("heading", { name: "Team", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Mitglieder" }).waitFor();
    await page.getByRole("heading", { name: "Jemanden einladen" }).waitFor();
    await page.getByRole("button", { name: "Einladung senden" }).waitFor();
    await page.getByRole("columnheader", { name: "Beigetreten" }).waitFor();
    await page.getByText("Einziger Inhaber: Machen Sie zuerst jemand anderen zum Inhaber.").waitFor();
    assert.equal(await page.title(), "Team · Vorausschauende Wartung");
    await screenshot(page, "team-de");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the German team page");

    await page.getByRole("link", { name: "Prüfprotokoll" }).click();
    await page.getByRole("columnheader", { name: "Einzelheiten" }).waitFor();
    await page.getByLabel("Was").selectOption({ label: "Einladungen" });
    await page.locator('tr[data-action="invitation.created"]').getByText("Jemanden eingeladen").waitFor();
    assertClean(watch);
    await watch.context.close();
  });
});
