import { Connection } from "@temporalio/client";

/** The task queue every worker of this platform polls. */
export const TASK_QUEUE = "pdm-main";

export function connectTemporal(address: string): Promise<Connection> {
  return Connection.connect({ address, connectTimeout: "5s" });
}
