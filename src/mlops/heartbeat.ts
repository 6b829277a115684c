import { defaultPayloadConverter, type Payload } from "@temporalio/common";

/** What the fit activity's heartbeats carry: reading its data, then fitting with the share done (0..1). */
export type FitHeartbeat = { readonly stage: "reading" } | { readonly stage: "fitting"; readonly share: number };

/** The share of the fit done (0..1) by the last heartbeat's details; 0 before the fitting one. */
export function fitShareOf(details: { readonly payloads?: readonly Payload[] | null } | null | undefined): number {
  const payload = details?.payloads?.[0];
  if (!payload) return 0;
  const beat = defaultPayloadConverter.fromPayload<FitHeartbeat>(payload);
  const share = beat.stage === "fitting" ? Number(beat.share) : 0;
  return Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
}
