import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { stopApi } from "./api-process.js";

/** The Temporal worker as its own process, as in production; ready once it logs "worker running". */
export function startWorker(): Promise<ChildProcess> {
  const main = fileURLToPath(new URL("../src/worker/main.js", import.meta.url));
  const child = spawn(process.execPath, [main], { env: { ...process.env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let settled = false;
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopApi(child, 10_000, "worker").then(
        () => reject(error),
        () => reject(error),
      );
    };
    const timer = setTimeout(() => fail(new Error("the worker did not start within 60 s")), 60_000);
    child.on("exit", (code, signal) => fail(new Error(`the worker exited with ${signal ? `signal ${signal}` : `code ${code}`}`)));
    lines.on("line", (line) => {
      let entry: { msg?: string } = {};
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        // The Temporal runtime's own log lines are not JSON.
      }
      if (entry.msg === "worker running" && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}

/** SIGTERM (the worker finishes its current tasks), SIGKILL after the grace period. */
export const stopWorker = (child: ChildProcess): Promise<void> => stopApi(child, 30_000, "worker");
