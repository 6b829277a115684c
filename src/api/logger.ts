import { type Logger, pino } from "pino";
import type { Config } from "../config.js";

/** Structured JSON logs; credentials never reach them. */
export function createLogger(config: Config): Logger {
  return pino({ level: config.LOG_LEVEL, redact: ["req.headers.authorization", "req.headers.cookie"] });
}
