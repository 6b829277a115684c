import type { Logger } from "pino";
import { type PrincipalDeps, resolvePrincipal } from "../auth/index.js";
import type { ConnectionAccess, OperationAccess } from "../core/access.js";
import type { Principal } from "../core/context.js";
import { AppError, forbidden } from "../core/errors.js";
import type { Scope } from "../core/roles.js";
import type { Change, ChangeFeed } from "../db/changes.js";

/**
 * Close codes of a graphql-ws connection whose access ended (the protocol's own meanings:
 * graphql-ws clients do not retry 4401, and retry 4403 and 1013).
 */
export const CLOSE_CODES = { unauthorized: 4401, forbidden: 4403, tryAgainLater: 1013 } as const;

export const CLOSE_REASONS = {
  expired: "Unauthorized: the token expired; renew it with a ping before it does, or reconnect with a new one",
  removed: "Forbidden: you are no longer a member of this tenant",
  sessionEnded: "Unauthorized: this session has ended (signed out, or the password changed); sign in again",
  apiKey: "Unauthorized: the API key was revoked, or the member who created it left the tenant",
  operator: "Unauthorized: this operator session has ended",
  renewalRefused: "Unauthorized: the token sent to renew the connection is not valid",
  renewalOtherSubject: "Forbidden: a renewal must carry a token of the same member and tenant",
  unchecked: "Try again later: access could not be checked",
} as const;

/** What the access of a connection needs from the socket: closing it. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
}

interface Operation {
  readonly scope: Scope;
  settled: boolean;
  error: AppError | undefined;
  settle(error: AppError | undefined): void;
}

interface Connection extends ConnectionAccess {
  readonly socket: ClosableSocket;
  authorization: string | undefined;
  principal: Principal;
  expiresAt: Date | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Re-checks asked for and done: events wait while done < asked. */
  asked: number;
  done: number;
  running: boolean;
  readonly waiters: (() => void)[];
  closing: boolean;
  readonly operations: Set<Operation>;
}

const tenantOf = (p: Principal): string | undefined => (p.kind === "member" || p.kind === "apiKey" ? p.tenantId : undefined);
const holds = (p: Principal, scope: Scope): boolean => (p.kind === "member" || p.kind === "apiKey") && p.scopes.includes(scope);
const expiryOf = (p: Principal): Date | undefined => (p.kind === "member" || p.kind === "operator" ? p.session?.expiresAt : undefined);

function sameSubject(a: Principal, b: Principal): boolean {
  switch (a.kind) {
    case "member":
      return b.kind === "member" && b.tenantId === a.tenantId && b.userId === a.userId;
    case "apiKey":
      return b.kind === "apiKey" && b.apiKeyId === a.apiKeyId;
    case "operator":
      return b.kind === "operator" && b.operatorId === a.operatorId;
    case "anonymous":
      return false;
  }
}

/** Whether a change can take away what the connection may do. */
function touches(change: Change, p: Principal): boolean {
  switch (change.kind) {
    case "member":
      // A key acts for its creator: the creator's removal or new role reaches the key.
      return (
        (p.kind === "member" && p.tenantId === change.tenantId && p.userId === change.userId) ||
        (p.kind === "apiKey" && p.tenantId === change.tenantId)
      );
    case "api-key":
      // Revoking a key also ends the keys it created.
      return p.kind === "apiKey" && p.tenantId === change.tenantId;
    case "tenant":
    case "device":
    case "plan":
    case "signing-keys":
      return false;
  }
}

export type { ConnectionAccess, OperationAccess } from "../core/access.js";

export type SubscriptionAccess = ReturnType<typeof createSubscriptionAccess>;

/**
 * The access of every open graphql-ws connection of this process. A connection's principal is
 * resolved when it opens and again, from Postgres, whenever the change feed announces a change
 * that may touch it (every process hears every change, so the copy holding the socket learns of a
 * removal made through another copy); until that re-check answers, its operations deliver
 * nothing. A connection that may no longer be open is closed with a code and a reason; an
 * operation whose scope was taken away fails alone. A token's connection closes when the token
 * expires, unless the client sent a newer token of the same subject (`renew`) before.
 */
export function createSubscriptionAccess(
  deps: PrincipalDeps & { readonly changes: ChangeFeed; readonly log: Pick<Logger, "info" | "error"> },
) {
  const connections = new Map<ClosableSocket, Connection>();
  const byTenant = new Map<string, Set<Connection>>();

  const index = (conn: Connection, add: boolean) => {
    const tenantId = tenantOf(conn.principal);
    if (tenantId === undefined) return;
    let set = byTenant.get(tenantId);
    if (add) {
      if (!set) {
        set = new Set();
        byTenant.set(tenantId, set);
      }
      set.add(conn);
    } else if (set) {
      set.delete(conn);
      if (set.size === 0) byTenant.delete(tenantId);
    }
  };

  const wakeWaiters = (conn: Connection) => {
    for (const resolve of conn.waiters.splice(0)) resolve();
  };

  function close(conn: Connection, code: number, reason: string): void {
    if (conn.closing) return;
    conn.closing = true;
    clearTimeout(conn.timer);
    for (const op of conn.operations) op.settle(undefined);
    wakeWaiters(conn);
    const p = conn.principal;
    deps.log.info({ code, reason, principal: p.kind, tenantId: tenantOf(p) }, "subscription connection closed: its access ended");
    conn.socket.close(code, reason);
  }

  const expired = (conn: Connection) => conn.expiresAt !== undefined && Date.now() >= conn.expiresAt.getTime();

  function schedule(conn: Connection): void {
    clearTimeout(conn.timer);
    conn.timer = undefined;
    if (conn.expiresAt === undefined || conn.closing) return;
    const wait = conn.expiresAt.getTime() - Date.now();
    conn.timer = setTimeout(
      () => {
        if (expired(conn)) close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.expired);
        else schedule(conn);
      },
      Math.max(0, wait),
    );
    conn.timer.unref();
  }

  /** Takes a freshly resolved principal of the same subject: operations that lost their scope fail. */
  function apply(conn: Connection, principal: Principal): void {
    conn.principal = principal;
    for (const op of conn.operations) {
      if (!holds(principal, op.scope))
        op.settle(forbidden(`Your access changed: this subscription needs the "${op.scope}" scope.`, { scope: op.scope }));
    }
  }

  /** Why a connection whose credential no longer resolves is closed. */
  async function refuse(conn: Connection, error: unknown): Promise<void> {
    if (!(error instanceof AppError)) {
      deps.log.error({ err: error }, "a subscription connection's access could not be checked");
      close(conn, CLOSE_CODES.tryAgainLater, CLOSE_REASONS.unchecked);
      return;
    }
    if (expired(conn)) {
      close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.expired);
      return;
    }
    const p = conn.principal;
    switch (p.kind) {
      case "member": {
        const rows = await deps.db.sql<{ role: string | null }[]>`select auth_member_role(${p.tenantId}, ${p.userId}) as role`.catch(() => [
          { role: "unknown" },
        ]);
        if (rows[0]?.role) close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.sessionEnded);
        else close(conn, CLOSE_CODES.forbidden, CLOSE_REASONS.removed);
        return;
      }
      case "apiKey":
        close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.apiKey);
        return;
      case "operator":
      case "anonymous":
        close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.operator);
        return;
    }
  }

  async function runChecks(conn: Connection): Promise<void> {
    try {
      while (!conn.closing && conn.done < conn.asked) {
        const target = conn.asked;
        const authorization = conn.authorization;
        let principal: Principal;
        try {
          principal = await resolvePrincipal(deps, authorization);
        } catch (error) {
          if (conn.authorization !== authorization) continue; // renewed meanwhile: check the new token
          await refuse(conn, error);
          return;
        }
        if (conn.authorization !== authorization) continue;
        apply(conn, principal);
        conn.done = target;
      }
    } catch (error) {
      deps.log.error({ err: error }, "a subscription connection's re-check failed");
      close(conn, CLOSE_CODES.tryAgainLater, CLOSE_REASONS.unchecked);
    } finally {
      conn.running = false;
      wakeWaiters(conn);
    }
  }

  function recheck(conn: Connection): void {
    if (conn.closing) return;
    conn.asked++;
    if (conn.running) return;
    conn.running = true;
    void runChecks(conn);
  }

  function operationOf(conn: Connection, scope: Scope): OperationAccess {
    let settleLost: (error: AppError | undefined) => void = () => undefined;
    const lost = new Promise<AppError | undefined>((resolve) => {
      settleLost = resolve;
    });
    const op: Operation = {
      scope,
      settled: false,
      error: undefined,
      settle(error) {
        if (op.settled) return;
        op.settled = true;
        op.error = error;
        conn.operations.delete(op);
        settleLost(error);
      },
    };
    conn.operations.add(op);
    if (conn.closing) op.settle(undefined);
    else if (!holds(conn.principal, scope)) op.settle(forbidden(`This subscription needs the "${scope}" scope.`, { scope }));
    return {
      lost,
      async admit() {
        for (;;) {
          if (op.settled) {
            if (op.error) throw op.error;
            return false;
          }
          if (expired(conn)) {
            close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.expired);
            continue;
          }
          if (conn.done >= conn.asked) return true;
          await new Promise<void>((resolve) => conn.waiters.push(resolve));
        }
      },
      release() {
        op.settled = true;
        conn.operations.delete(op);
      },
    };
  }

  const unsubscribe = deps.changes.subscribe((change) => {
    if (change === undefined) {
      // The feed reconnected: anything may have changed meanwhile.
      for (const conn of connections.values()) recheck(conn);
      return;
    }
    const tenantId = "tenantId" in change ? change.tenantId : undefined;
    if (tenantId === undefined) return;
    for (const conn of byTenant.get(tenantId) ?? []) if (touches(change, conn.principal)) recheck(conn);
  });

  return {
    /** A connection was accepted with `authorization`, which resolved to `principal`. */
    open(socket: ClosableSocket, authorization: string | undefined, principal: Principal): void {
      const conn: Connection = {
        socket,
        authorization,
        principal,
        expiresAt: expiryOf(principal),
        timer: undefined,
        asked: 0,
        done: 0,
        running: false,
        waiters: [],
        closing: false,
        operations: new Set(),
        operation: (scope) => operationOf(conn, scope),
      };
      connections.set(socket, conn);
      index(conn, true);
      schedule(conn);
    },

    /** The connection's access, for the operations it runs (undefined once it closed). */
    of(socket: ClosableSocket): ConnectionAccess | undefined {
      return connections.get(socket);
    },

    principal(socket: ClosableSocket): Principal {
      return connections.get(socket)?.principal ?? { kind: "anonymous" };
    },

    /** Re-resolves the connection's credential now (every new operation does), applying what changed. */
    async refresh(socket: ClosableSocket): Promise<Principal> {
      const conn = connections.get(socket);
      if (!conn) return { kind: "anonymous" };
      const authorization = conn.authorization;
      const principal = await resolvePrincipal(deps, authorization);
      if (conn.authorization === authorization && !conn.closing) apply(conn, principal);
      return principal;
    },

    /**
     * The client sent a newer credential on the open connection (a graphql-ws ping with
     * `{authorization: "Bearer <token>"}`): it must resolve to the same subject; its expiry then
     * replaces the old one. A refused renewal closes the connection.
     */
    async renew(socket: ClosableSocket, authorization: string): Promise<void> {
      const conn = connections.get(socket);
      if (!conn || conn.closing) return;
      let principal: Principal;
      try {
        principal = await resolvePrincipal(deps, authorization);
      } catch (error) {
        if (!(error instanceof AppError)) {
          deps.log.error({ err: error }, "a subscription connection's renewal could not be checked");
          close(conn, CLOSE_CODES.tryAgainLater, CLOSE_REASONS.unchecked);
          return;
        }
        close(conn, CLOSE_CODES.unauthorized, CLOSE_REASONS.renewalRefused);
        return;
      }
      if (conn.closing) return;
      if (!sameSubject(conn.principal, principal)) {
        close(conn, CLOSE_CODES.forbidden, CLOSE_REASONS.renewalOtherSubject);
        return;
      }
      conn.authorization = authorization;
      conn.expiresAt = expiryOf(principal);
      apply(conn, principal);
      schedule(conn);
    },

    /** The socket closed (by either side). */
    forget(socket: ClosableSocket): void {
      const conn = connections.get(socket);
      if (!conn) return;
      connections.delete(socket);
      index(conn, false);
      conn.closing = true;
      clearTimeout(conn.timer);
      for (const op of conn.operations) op.settle(undefined);
      wakeWaiters(conn);
    },

    /** Open connections, for the log and the tests of this module. */
    get size(): number {
      return connections.size;
    },

    stop(): void {
      unsubscribe();
      for (const conn of connections.values()) clearTimeout(conn.timer);
    },
  };
}
