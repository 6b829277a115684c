import { useSyncExternalStore } from "react";

export interface TenantRef {
  readonly id: string;
  readonly name: string;
}

/** The signed-in member: one access token, scoped to one tenant. */
export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  /** The tenants the account belongs to, when sign-in named them (accounts with several). */
  readonly tenants: readonly TenantRef[];
}

/** Why a session ended without the person asking: shown on the sign-in page. */
export type EndReason = "expired";

// Per browser tab: a reload keeps the session, closing the tab ends it.
const KEY = "pdm.portal.session";
const listeners = new Set<() => void>();
let current: Session | undefined = read();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let onEnded: (reason: EndReason, ended: Session) => void = () => {};

function read(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

function armExpiry() {
  clearTimeout(expiryTimer);
  if (!current) return;
  const left = Date.parse(current.expiresAt) - Date.now();
  // Timers hold at most about 24.8 days; tokens live minutes.
  expiryTimer = setTimeout(() => endSession("expired"), Math.max(0, Math.min(left, 2 ** 31 - 1)));
}

export function getSession(): Session | undefined {
  return current;
}

export function setSession(session: Session | undefined): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  armExpiry();
  for (const listener of listeners) listener();
}

/** The token stopped working (expired, signed out elsewhere, member removed): forget it and ask again. */
export function endSession(reason: EndReason): void {
  const ended = current;
  if (!ended) return;
  setSession(undefined);
  onEnded(reason, ended);
}

/** What happens when a session ends by itself: the app sends the person to sign in, then back. */
export function onSessionEnded(handler: (reason: EndReason, ended: Session) => void): void {
  onEnded = handler;
  armExpiry();
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
