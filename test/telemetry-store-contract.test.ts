import { createInfluxStore } from "../src/telemetry/index.js";
import { testConfig } from "./support/harness.js";
import { describeStoreContract } from "./support/store-contract.js";

describeStoreContract("InfluxDB 1.x", async () => {
  const config = testConfig();
  const options = { url: config.INFLUX_URL, username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD };
  return {
    store: createInfluxStore(options),
    // A port nothing listens on, answered at once with a refused connection.
    unreachable: createInfluxStore({ ...options, url: "http://127.0.0.1:9", timeoutMs: 2_000 }),
    close: async () => undefined,
  };
});
