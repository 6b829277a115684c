import { isIPv6 } from "node:net";
import { AppError } from "../core/errors.js";
import { sha256 } from "../core/secrets.js";
import type { Db } from "../db/client.js";
import type { PublicContext } from "./public-context.js";

/**
 * One throttling key's rule: after `free` attempts the key is blocked for `baseSeconds`, and after
 * each further attempt for twice as long as before, up to `maxSeconds`.
 */
export interface BackoffRule {
  readonly free: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
  /** The key forgets its attempts after this long without one. */
  readonly forgetSeconds: number;
}

/**
 * Password checks. The account and client address pair slows one guesser on one account without
 * locking the owner out elsewhere; the client address catches one password sprayed over many
 * accounts; the account alone catches a guesser spread over many addresses.
 */
export const SIGN_IN_RULES = {
  pair: { free: 5, baseSeconds: 1, maxSeconds: 900, forgetSeconds: 900 },
  address: { free: 20, baseSeconds: 1, maxSeconds: 3600, forgetSeconds: 3600 },
  account: { free: 100, baseSeconds: 1, maxSeconds: 900, forgetSeconds: 3600 },
} as const satisfies Record<string, BackoffRule>;

/** Sign-ups per client address: `free` an hour, then a block doubling from a minute. */
export function signUpRule(free: number): BackoffRule {
  return { free, baseSeconds: 60, maxSeconds: 3600, forgetSeconds: 3600 };
}

/** The throttling identity of a client address: an IPv6 client is its /64 (one host's usual share). */
export function addressKey(address: string): string {
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (!isIPv6(plain)) return plain;
  const [head = "", tail = ""] = plain.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = plain.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || "0", 16).toString(16))
    .join(":")}::/64`;
}

interface GuardKey {
  readonly key: string;
  readonly rule: BackoffRule;
}

const hashed = (kind: string, value: string) => sha256(`${kind}:${value}`);

/**
 * Counts one attempt on every key before the work, in one statement; RATE_LIMITED with
 * retryAfterSeconds when a key is blocked (the attempt is then not counted). State lives in
 * Postgres, so every API process shares it.
 */
async function attempt(db: Db, keys: readonly GuardKey[], what: string): Promise<void> {
  const [row] = await db.sql<{ wait: number }[]>`
    select auth_backoff_attempts(
      ${keys.map((k) => k.key)}::text[], ${keys.map((k) => k.rule.free)}::int[], ${keys.map((k) => k.rule.baseSeconds)}::int[],
      ${keys.map((k) => k.rule.maxSeconds)}::int[], ${keys.map((k) => k.rule.forgetSeconds)}::int[]) as wait`;
  const wait = row?.wait ?? 0;
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `Too many ${what}; try again in ${wait} seconds.`, { retryAfterSeconds: wait });
  }
}

/**
 * Guards a password check for `account` (e.g. "user:a@b.c") from `clientAddress`. A success
 * clears the account's counts and gives back its own count on the client address; a failure
 * stays counted, and past the free attempts each further one waits twice as long: an attacker
 * is slowed, the owner signs in once the wait is over (and from another address at once).
 */
export async function throttledPasswordCheck<T>(
  db: Db,
  who: { readonly account: string; readonly clientAddress: string },
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const address = hashed("address", addressKey(who.clientAddress));
  const account = hashed("account", who.account);
  const pair = hashed("pair", `${who.account}|${addressKey(who.clientAddress)}`);
  await attempt(
    db,
    [
      { key: address, rule: SIGN_IN_RULES.address },
      { key: account, rule: SIGN_IN_RULES.account },
      { key: pair, rule: SIGN_IN_RULES.pair },
    ],
    "failed sign-ins from this address or for this account",
  );
  const result = await check();
  if (result !== undefined) {
    await db.sql`select auth_backoff_clear(${pair}), auth_backoff_clear(${account}), auth_backoff_refund(${address}, ${SIGN_IN_RULES.address.free})`;
  }
  return result;
}

/** Counts a sign-up from `clientAddress`; RATE_LIMITED past the rule's free sign-ups. */
export function throttleSignUp(ctx: PublicContext): Promise<void> {
  const rule = signUpRule(ctx.signUpsPerAddress);
  return attempt(ctx.db, [{ key: hashed("sign-up", addressKey(ctx.clientAddress)), rule }], "sign-ups from this address");
}
