import { useSyncExternalStore } from "react";

export type OperatorRole = "SUPPORT" | "FINANCE";

/** The signed-in operator: the machine maker's staff member and their token (never a member's session). */
export interface OperatorSession {
  readonly token: string;
  readonly expiresAt: string;
  readonly operator: { readonly id: string; readonly email: string; readonly name: string; readonly role: OperatorRole };
}

// Per browser tab, under a key of its own: the member area never sees this token, nor this area a member's.
const KEY = "pdm.operator.session";
const listeners = new Set<() => void>();
let current: OperatorSession | undefined = read();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let onEnded: () => void = () => {};

function read(): OperatorSession | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as OperatorSession) : undefined;
  } catch {
    return undefined;
  }
}

function armExpiry() {
  clearTimeout(expiryTimer);
  if (!current) return;
  const left = Date.parse(current.expiresAt) - Date.now();
  expiryTimer = setTimeout(endOperatorSession, Math.max(0, Math.min(left, 2 ** 31 - 1)));
}

export function getOperatorSession(): OperatorSession | undefined {
  return current;
}

export function setOperatorSession(session: OperatorSession | undefined): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  armExpiry();
  for (const listener of listeners) listener();
}

/** The token stopped working (expired, signed out elsewhere, account disabled): forget it; the console asks to sign in again. */
export function endOperatorSession(): void {
  if (!current) return;
  setOperatorSession(undefined);
  onEnded();
}

/** What happens when the session ends by itself (set by the console's shell). */
export function onOperatorSessionEnded(handler: () => void): () => void {
  onEnded = handler;
  armExpiry();
  return () => {
    if (onEnded === handler) onEnded = () => {};
  };
}

export function useOperatorSession(): OperatorSession | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
