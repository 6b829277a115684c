import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "../src/config.js";
import { AppError } from "../src/core/errors.js";
import {
  type AddressUse,
  addressUse,
  checkOutboundUrl,
  type OutboundPolicy,
  parseAllowedAddress,
  parseIp,
  resolveChecked,
} from "../src/outbound/index.js";

/** Every spelling of an address a URL host or a resolver can give, and what it is for. */
const ADDRESSES: readonly [string, AddressUse][] = [
  // IPv4, dotted
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["0.0.0.0", "unspecified"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.1", "public"],
  ["192.168.1.1", "private"],
  ["169.254.169.254", "link-local"],
  ["100.64.0.1", "carrier-nat"],
  ["100.127.255.255", "carrier-nat"],
  ["100.128.0.1", "public"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["240.0.0.1", "reserved"],
  ["192.0.0.8", "reserved"],
  ["198.18.0.1", "reserved"],
  ["192.0.2.1", "documentation"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["8.8.8.8", "public"],
  ["93.184.216.34", "public"],
  // IPv4, the short, decimal, octal and hex forms URL parsers accept
  ["127.1", "loopback"],
  ["2130706433", "loopback"],
  ["0x7f.1", "loopback"],
  ["0x7f000001", "loopback"],
  ["0177.0.0.1", "loopback"],
  ["0", "unspecified"],
  ["0xa9.0xfe.0xa9.0xfe", "link-local"],
  ["2852039166", "link-local"],
  ["3232235777", "private"],
  ["012.1", "private"],
  ["134744072", "public"],
  // IPv6
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::", "unspecified"],
  ["fd00::1", "unique-local"],
  ["[fd00::1]", "unique-local"],
  ["fc00::1", "unique-local"],
  ["fe80::1", "link-local"],
  ["fe80::1%eth0", "link-local"],
  ["febf::1", "link-local"],
  ["fec0::1", "reserved"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "documentation"],
  ["3fff::1", "documentation"],
  ["100::1", "reserved"],
  ["2001:10::1", "reserved"],
  ["5f00::1", "reserved"],
  ["2606:4700:4700::1111", "public"],
  ["2a00:1450:4001:80b::200e", "public"],
  // IPv4 inside IPv6: mapped, compatible, NAT64, 6to4, Teredo
  ["::ffff:127.0.0.1", "loopback"],
  ["[::ffff:127.0.0.1]", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:169.254.169.254", "link-local"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:8.8.8.8", "public"],
  ["::127.0.0.1", "reserved"],
  ["::8.8.8.8", "reserved"],
  ["64:ff9b::7f00:1", "loopback"],
  ["64:ff9b::169.254.169.254", "link-local"],
  ["64:ff9b::8.8.8.8", "public"],
  ["2002:7f00:1::1", "loopback"],
  ["2002:c0a8:101::", "private"],
  ["2002:808:808::1", "public"],
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"],
  ["2001:0:7f00:1::1", "loopback"],
  ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "reserved"],
];

describe("outbound addresses: what each address is for", () => {
  for (const [text, use] of ADDRESSES) {
    it(`${text} is ${use}`, () => {
      const ip = parseIp(text);
      assert.ok(ip, `${text} parses as an IP address`);
      assert.equal(addressUse(ip), use);
    });
  }

  it("reads host names as no address", () => {
    for (const name of [
      "example.com",
      "localhost",
      "metadata.google.internal",
      "1.2.3.4.example.com",
      "",
      "::g",
      "[::1",
      "a@127.0.0.1",
      "127.0.0.1/x",
      "127.0.0.1#",
    ]) {
      assert.equal(parseIp(name), null, name);
    }
  });

  it("reads the operator's allow-list entries, and refuses what is not one", () => {
    assert.deepEqual(parseAllowedAddress("127.0.0.1:8080"), { family: 4, base: 0x7f000001n, prefix: 32, port: 8080 });
    assert.deepEqual(parseAllowedAddress("10.1.0.0/16"), { family: 4, base: 0x0a010000n, prefix: 16, port: null });
    assert.deepEqual(parseAllowedAddress("[::1]:443"), { family: 6, base: 1n, prefix: 128, port: 443 });
    assert.deepEqual(parseAllowedAddress("fd00::/8"), { family: 6, base: 0xfdn << 120n, prefix: 8, port: null });
    for (const bad of ["localhost", "127.0.0.1:0", "127.0.0.1:70000", "10.0.0.0/33", "127.1", "[::1", "::1:80:x", "10.0.0.0/8/8"]) {
      assert.equal(parseAllowedAddress(bad), null, bad);
    }
  });
});

describe("outbound URLs: the rules a webhook URL must meet", () => {
  const strict: OutboundPolicy = { allowHttp: false, allowed: [], timeoutMs: 1000 };
  const refused = (url: string, policy = strict) =>
    assert.throws(
      () => checkOutboundUrl(policy, url),
      (e: unknown) => e instanceof AppError && e.code === "VALIDATION",
      url,
    );

  it("wants https unless plain http is allowed by configuration", () => {
    refused("http://hooks.example.com/pdm");
    assert.equal(checkOutboundUrl({ ...strict, allowHttp: true }, "http://hooks.example.com/pdm").href, "http://hooks.example.com/pdm");
    assert.equal(checkOutboundUrl(strict, "https://HOOKS.example.com./pdm").hostname, "hooks.example.com.");
  });

  it("refuses credentials, other protocols' ports and internal names", () => {
    refused("https://user:secret@hooks.example.com/");
    refused("https://hooks.example.com:22/");
    refused("https://hooks.example.com:25/");
    for (const host of [
      "localhost",
      "localhost.",
      "api.localhost",
      "metadata.google.internal",
      "db.internal",
      "printer.local",
      "intranet",
      "x.home.arpa",
    ])
      refused(`https://${host}/`);
    assert.equal(checkOutboundUrl(strict, "https://hooks.example.com:8443/x").port, "8443");
  });

  it("lets an allow-listed address through on its port only", () => {
    const policy: OutboundPolicy = { allowHttp: true, allowed: [parseAllowedAddress("127.0.0.1:9999") ?? assert.fail()], timeoutMs: 1000 };
    assert.equal(checkOutboundUrl(policy, "http://127.0.0.1:9999/hooks").host, "127.0.0.1:9999");
    assert.equal(checkOutboundUrl(policy, "http://[::ffff:127.0.0.1]:9999/hooks").port, "9999");
    refused("http://127.0.0.1:9998/hooks", policy);
    refused("http://127.0.0.2:9999/hooks", policy);
  });

  it("checks every address a host name resolves to (localhost, from the hosts file)", async () => {
    const resolution = await resolveChecked(strict, "localhost", 443);
    assert.deepEqual(resolution, { ok: false, use: "loopback" });
    const literal = await resolveChecked(strict, "[::ffff:7f00:1]", 443);
    assert.deepEqual(literal, { ok: false, use: "loopback" });
    const allowed = await resolveChecked({ ...strict, allowed: [parseAllowedAddress("127.0.0.0/8") ?? assert.fail()] }, "127.0.0.1", 443);
    assert.deepEqual(allowed, { ok: true, addresses: [{ address: "127.0.0.1", family: 4 }] });
  });
});

describe("outbound configuration", () => {
  it("refuses plain-http webhooks in production and names a bad allow-list entry", () => {
    assert.throws(
      () => parseConfig({ ...process.env, NODE_ENV: "production", WEBHOOK_ALLOW_HTTP: "true" }),
      (e: unknown) => e instanceof ConfigError && /WEBHOOK_ALLOW_HTTP must be false in production/.test(e.message),
    );
    assert.throws(
      () => parseConfig({ ...process.env, WEBHOOK_ALLOWED_ADDRESSES: "127.0.0.1:8080, intranet.example" }),
      (e: unknown) => e instanceof ConfigError && /WEBHOOK_ALLOWED_ADDRESSES has entries .*: intranet\.example/.test(e.message),
    );
    const config = parseConfig({
      ...process.env,
      WEBHOOK_ALLOW_HTTP: undefined,
      WEBHOOK_ALLOWED_ADDRESSES: undefined,
      WEBHOOK_TIMEOUT_MS: undefined,
    });
    assert.equal(config.WEBHOOK_ALLOW_HTTP, false);
    assert.deepEqual(config.WEBHOOK_ALLOWED_ADDRESSES, []);
    assert.equal(config.WEBHOOK_TIMEOUT_MS, 5000);
  });
});
