import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { syncFailure } from "../workflows/usage-sync.js";

describe("the usage sync's failure message", () => {
  it("is absent when every tenant was synced and every page listed", () => {
    assert.equal(syncFailure(0, []), undefined);
  });

  it("counts the tenants whose sync failed and names their causes", () => {
    const message = syncFailure(2, ["ten_a: Stripe timed out", "ten_b: No Stripe meter is known for predictions"]);
    assert.equal(
      message,
      "Usage of 2 tenant(s) was not synced; the next run takes it up. ten_a: Stripe timed out; ten_b: No Stripe meter is known for predictions",
    );
  });

  it("does not count a page it could not list as one tenant: its tenants are unknown", () => {
    const message = syncFailure(0, [], { after: "ten_m", error: "connection refused" });
    assert.equal(
      message,
      "Usage of the tenants after ten_m was not synced; the next run takes it up. listing the tenants: connection refused",
    );
    assert.doesNotMatch(message ?? "", /\d+ tenant\(s\)/);
  });

  it("names every tenant when the first page could not be listed", () => {
    assert.match(syncFailure(0, [], { error: "connection refused" }) ?? "", /^Usage of every tenant was not synced/);
  });

  it("gives both the failed tenants and the page it could not list", () => {
    const message = syncFailure(1, ["ten_a: Stripe timed out"], { after: "ten_m", error: "connection refused" });
    assert.equal(
      message,
      "Usage of 1 tenant(s) and of the tenants after ten_m was not synced; the next run takes it up. ten_a: Stripe timed out; listing the tenants: connection refused",
    );
  });
});
