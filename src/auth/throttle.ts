import { AppError } from "../core/errors.js";
import { sha256 } from "../core/secrets.js";
import type { Db } from "../db/client.js";

export const MAX_FAILED_SIGN_INS = 10;
const WINDOW = "15 minutes";

/**
 * Guards a password check: every attempt counts before the password is checked (atomically, so
 * parallel attempts cannot slip past), a success clears the count, and the 11th attempt within
 * 15 minutes answers RATE_LIMITED until the window ends, right password or not. State lives in
 * Postgres, so every API process shares it.
 */
export async function throttledPasswordCheck<T>(db: Db, account: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const key = sha256(account);
  const [row] = await db.sql<{ wait: number }[]>`select auth_throttle_attempt(${key}, ${MAX_FAILED_SIGN_INS}, ${WINDOW}::interval) as wait`;
  const wait = row?.wait ?? 0;
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `Too many failed sign-ins for this account; try again in ${wait} seconds.`, {
      retryAfterSeconds: wait,
    });
  }
  const result = await check();
  if (result !== undefined) await db.sql`select auth_throttle_clear(${key})`;
  return result;
}
