import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * The API as its own process, as in production; its address is read from its start-up log line.
 * `env` adds to (or overrides) the environment it inherits.
 */
export function startApi(env: Readonly<Record<string, string>> = {}): Promise<{ child: ChildProcess; url: string }> {
  const main = fileURLToPath(new URL("../src/main.js", import.meta.url));
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    // No API to use: make sure its process is gone (it may hold ports and connections), then fail.
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.close();
      void stopApi(child).then(
        () => reject(error),
        () => reject(error),
      );
    };
    const timer = setTimeout(() => fail(new Error("the API did not start within 30 s")), 30_000);
    child.on("exit", (code, signal) => fail(new Error(`the API exited with ${signal ? `signal ${signal}` : `code ${code}`}`)));
    child.on("error", (error) => fail(new Error(`the API could not be started: ${error.message}`)));
    lines.on("line", (line) => {
      let entry: { msg?: string; address?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        process.stderr.write(`${line}\n`);
      }
      if (entry.msg === "API listening" && entry.address && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, url: entry.address });
      }
    });
  });
}

/** Stops the API (or another) process: SIGTERM, then SIGKILL when it is still there after `graceMs`. */
export async function stopApi(child: ChildProcess, graceMs = 10_000, name = "API"): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) {
    process.stderr.write(`the ${name} did not stop within ${graceMs / 1000} s of SIGTERM; killing it\n`);
    child.kill("SIGKILL");
    await exited;
  }
}
