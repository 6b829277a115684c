import type { AppError } from "./errors.js";
import type { Scope } from "./roles.js";

/** An operation's standing on its connection (a running subscription), kept current by the change feed. */
export interface OperationAccess {
  /**
   * Waits for any re-check of the connection under way, then answers whether the operation may
   * deliver an event now: false once the connection is closing; throws FORBIDDEN when the
   * operation's scope was taken away.
   */
  admit(): Promise<boolean>;
  /** Settles when the operation may no longer run: with the error to fail it with, or undefined when its connection closes. */
  readonly lost: Promise<AppError | undefined>;
  /** The operation ended on its own. */
  release(): void;
}

/** A connection's access, as the operations running on it see it. */
export interface ConnectionAccess {
  /** Registers an operation that needs `scope` for as long as it runs. */
  operation(scope: Scope): OperationAccess;
}
