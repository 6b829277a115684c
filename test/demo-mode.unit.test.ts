import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { demoMode } from "../scripts/demo-portal.js";

describe("how the demo ends", () => {
  it("serves the portal in a terminal and takes screenshots without one", () => {
    assert.deepEqual(demoMode([], {}, true), { mode: { kind: "serve" }, rest: [] });
    const { mode } = demoMode([], {}, false);
    assert.equal(mode.kind, "screenshots");
    assert.match(mode.kind === "screenshots" ? mode.folder : "", /^\.demo\/screenshots\/\d{4}-\d\d-\d\dT[\d-]+Z$/);
  });

  it("follows a flag over DEMO_MODE, and DEMO_MODE over the terminal, both ways", () => {
    assert.deepEqual(demoMode(["--screenshots=docs/portal"], { DEMO_MODE: "serve" }, true).mode, {
      kind: "screenshots",
      folder: "docs/portal",
    });
    assert.deepEqual(demoMode(["--serve"], {}, false).mode, { kind: "serve" });
    assert.deepEqual(demoMode([], { DEMO_MODE: "serve" }, false).mode, { kind: "serve" });
    assert.deepEqual(demoMode([], { DEMO_MODE: "screenshots", DEMO_SCREENSHOTS: "/tmp/shots" }, true).mode, {
      kind: "screenshots",
      folder: "/tmp/shots",
    });
    assert.deepEqual(demoMode(["--stop"], {}, true).mode, { kind: "stop" });
  });

  it("leaves the data folder to the demo and names what it does not know", () => {
    assert.deepEqual(demoMode(["../data", "--serve"], {}, false).rest, ["../data"]);
    assert.throws(() => demoMode(["--serv"], {}, true), /unknown option --serv: use --serve, --screenshots\[=folder\] or --stop/);
    assert.throws(() => demoMode([], { DEMO_MODE: "watch" }, true), /DEMO_MODE=watch is not one of serve, screenshots, stop/);
  });
});
