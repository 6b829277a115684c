import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay in front of one backend that counts what a client costs it: connections opened and
 * round trips. A round trip is a turn of the conversation: the client sent something and the
 * backend then answered. Requests the client sends before the answer comes (pipelined) count as
 * one, as they cost one wait; data the backend sends unasked (a NOTIFY, an MQTT delivery) counts
 * none. The bench points a process's backend address at the relay to see how many round trips
 * each of its requests takes.
 */
export interface TurnCounter {
  /** host:port of the relay. */
  readonly address: string;
  /** Round trips and connections so far (over every connection). */
  read(): Turns;
  close(): Promise<void>;
}

export interface Turns {
  readonly trips: number;
  readonly connections: number;
}

export function minusTurns(a: Turns, b: Turns): Turns {
  return { trips: a.trips - b.trips, connections: a.connections - b.connections };
}

export async function startTurnCounter(target: { host: string; port: number }): Promise<TurnCounter> {
  let trips = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let asked = false;
    client.on("data", (chunk) => {
      asked = true;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on("drain", () => client.resume());
    upstream.on("data", (chunk) => {
      if (asked) {
        trips++;
        asked = false;
      }
      if (!client.write(chunk)) upstream.pause();
    });
    client.on("drain", () => upstream.resume());
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    read: () => ({ trips, connections }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
