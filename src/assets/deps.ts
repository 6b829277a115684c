import type { CallServices } from "../core/calls.js";
import type { Clock } from "../core/context.js";

/** Where device tokens become MQTT credentials (the broker's own user store). */
export interface DeviceCredentials {
  upsert(input: { username: string; password: string; deviceId: string }): Promise<void>;
  remove(username: string): Promise<void>;
}

/** The long-lived dependencies of the assets verbs. */
export interface AssetsDeps {
  readonly deviceCredentials: DeviceCredentials;
  readonly clock: Clock;
}

/** What the assets resolvers need of the process's services. */
export type AssetsServices = AssetsDeps & CallServices;
