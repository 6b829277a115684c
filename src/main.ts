import "reflect-metadata";
import { createServer } from "./api/server.js";
import { createServices } from "./app.js";
import { ConfigError, parseConfig } from "./config.js";
import { createLogger } from "./core/logger.js";
import { BridgeIdentityTakenError } from "./telemetry/index.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config);
  const { services, close, stopAccepting } = await createServices(config, log);
  const app = await createServer(services, log);
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  app.log.info({ address }, "API listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, delaySeconds: config.SHUTDOWN_DELAY_SECONDS }, "shutting down");
    // /readyz answers 503 at once; requests keep being served until the balancer has noticed.
    stopAccepting();
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_SECONDS * 1000));
    await app.close();
    await close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof BridgeIdentityTakenError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
