import { type Logger, pino } from "pino";

/** Credentials in a query string (the InfluxDB v1 `p` and `u`, a GraphQL GET's token) never reach a log. */
export function maskUrl(url: string): string {
  return url.replace(/([?&](?:p|u|token|password)=)[^&#]*/gi, "$1***");
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
}

/** Structured JSON logs; credentials never reach them. */
export function createLogger(config: { readonly LOG_LEVEL: string }): Logger {
  return pino({
    level: config.LOG_LEVEL,
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: maskUrl(req.url ?? ""), remoteAddress: req.ip }),
    },
  });
}
