import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { type PrincipalDeps, resolvePrincipal } from "../auth/index.js";
import { tenantCall } from "../core/calls.js";
import { AppError, httpStatus, validation } from "../core/errors.js";
import type { TelemetryServices } from "./deps.js";
import { checkRange, exportTelemetry } from "./queries.js";
import type { FieldValue } from "./store.js";

const CHUNK_ROWS = 10_000;

function parseTime(name: string, value: string | undefined): Date {
  const date = value === undefined ? undefined : new Date(value);
  if (!date || Number.isNaN(date.getTime()))
    throw validation(`"${name}" must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z.`, { field: name });
  return date;
}

const csvValue = (v: FieldValue | undefined): string =>
  v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "1" : "0") : String(v);

/**
 * GET /export/assets/:assetId.csv?from=…&to=…[&sensors=a,b]: an asset's raw points as CSV,
 * streamed from the store in chunks, so an export of months does not sit in memory.
 */
export function registerExportRoute(app: FastifyInstance, services: TelemetryServices & PrincipalDeps): void {
  app.get<{ Params: { file: string }; Querystring: { from?: string; to?: string; sensors?: string } }>(
    "/export/assets/:file",
    async (request, reply) => {
      try {
        const assetId = request.params.file.replace(/\.csv$/, "");
        const from = parseTime("from", request.query.from);
        const to = parseTime("to", request.query.to);
        checkRange(from, to);
        const principal = await resolvePrincipal(services, request.headers.authorization);
        const rc = { requestId: request.id, principal, services };
        const sensorList = request.query.sensors?.split(",").filter((s) => s.length > 0);
        const exported = await tenantCall(rc, "telemetry:read", (ctx) =>
          exportTelemetry(ctx, { assetId, sensors: sensorList, from, to, chunkRows: CHUNK_ROWS }),
        );
        const { sensors } = exported;
        async function* rows() {
          yield `time,${sensors.join(",")}\n`;
          for await (const chunk of exported.points) {
            let out = "";
            for (let i = 0; i < chunk.times.length; i++) {
              out += `${new Date(chunk.times[i] ?? 0).toISOString()},${chunk.values.map((column) => csvValue(column[i])).join(",")}\n`;
            }
            yield out;
          }
        }
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${exported.externalId}.csv"`)
          .send(Readable.from(rows()));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply
          .status(httpStatus(error.code))
          .send({ code: error.code, message: error.message, ...error.details, requestId: request.id });
      }
    },
  );
}
