import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { contentSecurityPolicy } from "../src/portal/csp.js";
import { assertClean, launchChromium, openPortal, type PageWatch, screenshot } from "./support/browser.js";
import { type Api, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";

/** Every request of the page that is not to the test's API (127.0.0.1) is aborted, and kept here. */
async function offline(watch: PageWatch): Promise<string[]> {
  const attempted: string[] = [];
  await watch.context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    attempted.push(url.href);
    return route.abort("internetdisconnected");
  });
  return attempted;
}

/** GraphiQL's editors load after the page: the query editor shows the default operation once it can run it. */
async function editorReady(page: Page): Promise<void> {
  await page.locator(".graphiql-query-editor .CodeMirror-line", { hasText: "viewer" }).first().waitFor();
}

describe("the GraphQL IDE at GET /graphql", () => {
  let api: Api;
  let off: Api;
  let browser: Browser;
  let owner: TestTenant;

  before(async () => {
    api = await startApi();
    off = await startApi(testConfig({ GRAPHQL_IDE: "off" }));
    browser = await launchChromium();
    owner = await newTenant(api, "Introspective Pumps");
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await off?.close();
  });

  it("is GraphiQL from this server only: the docs show our schema, and a pasted token runs as that member", async () => {
    const watch = await openPortal(browser, api.url);
    const attempted = await offline(watch);
    const { page } = watch;
    const response = await page.goto("/graphql");
    assert.equal(response?.status(), 200);
    assert.match((await response?.headerValue("content-type")) ?? "", /^text\/html/);
    assert.equal(await response?.headerValue("content-security-policy"), contentSecurityPolicy(new URL(api.url).host));

    await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
    const docs = page.locator(".graphiql-doc-explorer");
    await docs.getByRole("link", { name: "Query" }).click();
    await docs.getByRole("link", { name: "viewer" }).first().waitFor();
    await docs.getByRole("link", { name: "Viewer", exact: true }).first().click();
    await docs.getByText("tenantId").first().waitFor();

    await editorReady(page);
    await page.getByLabel("Token").fill(owner.token);
    await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
    const result = page.locator(".result-window");
    await result.getByText(owner.tenantId).waitFor();
    const text = ((await result.textContent()) ?? "").replace(/\s+/g, " ");
    assert.match(text, /"kind": "MEMBER"/);
    assert.match(text, /"role": "OWNER"/);
    await screenshot(page, "graphql-ide");

    assert.deepEqual(attempted, [], "requests that left this machine");
    assertClean(watch);
    await watch.context.close();
  });

  it("without a token, shows the API's own refusal", async () => {
    const watch = await openPortal(browser, api.url);
    const attempted = await offline(watch);
    await watch.page.goto("/graphql");
    await editorReady(watch.page);
    await watch.page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
    await watch.page.locator(".result-window").getByText('"UNAUTHENTICATED"').waitFor();
    assert.deepEqual(attempted, []);
    assertClean(watch);
    await watch.context.close();
  });

  it("is served like the portal: no-cache page, year-long hashed files, never under its file name", async () => {
    const res = await fetch(`${api.url}/graphql`, { headers: { accept: "text/html" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const html = await res.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, "the page loads a hashed script");
    const js = await fetch(`${api.url}${script}`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.doesNotMatch(html, /https?:\/\//, "the page names no other origin");

    const byName = await fetch(`${api.url}/graphiql.html`, { headers: { accept: "text/html" } });
    assert.equal(byName.status, 404);
    const portal = await fetch(`${api.url}/`, { headers: { accept: "text/html" } });
    assert.match(await portal.text(), /<div id="root">/, "the portal keeps its own page");
  });

  it("leaves operations sent with GET to GraphQL, and tells a GET without one what to send", async () => {
    const query = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { accept: "text/html, application/json", "apollo-require-preflight": "1" },
    });
    assert.equal(query.status, 200);
    assert.deepEqual(((await query.json()) as { data: unknown }).data, { __typename: "Query" });

    const plain = await fetch(`${api.url}/graphql`, { headers: { accept: "application/json" } });
    assert.equal(plain.status, 400);
    const body = (await plain.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "VALIDATION");
    assert.match(body.errors[0]?.message ?? "", /needs a `query` parameter.*Open \/graphql in a browser/);
  });

  it("when GRAPHQL_IDE=off, a browser gets the same 400 as a plain GET, and no HTML", async () => {
    const answers = [];
    for (const accept of ["text/html,application/xhtml+xml,*/*;q=0.8", "application/json", "*/*"]) {
      const res = await fetch(`${off.url}/graphql`, { headers: { accept } });
      assert.equal(res.status, 400, accept);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/, accept);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      assert.equal(body.errors[0]?.extensions.code, "VALIDATION");
      answers.push(body.errors[0]?.message);
    }
    assert.match(answers[0] ?? "", /The GraphQL IDE is off on this server \(GRAPHQL_IDE=off\)/);
    assert.deepEqual(new Set(answers).size, 1, "one answer whatever the client accepts");

    const watch = await openPortal(browser, off.url);
    const attempted = await offline(watch);
    const response = await watch.page.goto("/graphql");
    assert.equal(response?.status(), 400);
    assert.doesNotMatch((await response?.headerValue("content-type")) ?? "", /html/);
    assert.equal(await watch.page.locator(".graphiql-container").count(), 0);
    assert.deepEqual(attempted, []);
    await watch.context.close();
    const byName = await fetch(`${off.url}/graphiql.html`, { headers: { accept: "text/html" } });
    assert.equal(byName.status, 404);
  });
});
