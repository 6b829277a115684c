import { useSyncExternalStore } from "react";

/** Why a session ended without the person asking. */
export type EndReason = "expired";

export interface SessionStore<S extends { readonly expiresAt: string }> {
  get(): S | undefined;
  set(session: S | undefined): void;
  /** The token stopped working: forget it and tell the handler (nothing happens when no session is held). */
  end(reason: EndReason): void;
  /** What happens when the session ends by itself; returns a function that removes this handler. */
  onEnded(handler: (reason: EndReason, ended: S) => void): () => void;
  use(): S | undefined;
}

/**
 * A signed-in session kept per browser tab in sessionStorage under `key` (a reload keeps it, closing
 * the tab ends it), ended by itself when its `expiresAt` passes, observable from React.
 */
export function createSessionStore<S extends { readonly expiresAt: string }>(key: string): SessionStore<S> {
  const listeners = new Set<() => void>();
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  const ignore = () => {};
  let onEnded: (reason: EndReason, ended: S) => void = ignore;

  const read = (): S | undefined => {
    try {
      const raw = sessionStorage.getItem(key);
      return raw ? (JSON.parse(raw) as S) : undefined;
    } catch {
      return undefined;
    }
  };
  let current = read();

  const armExpiry = () => {
    clearTimeout(expiryTimer);
    if (!current) return;
    const left = Date.parse(current.expiresAt) - Date.now();
    // Timers hold at most about 24.8 days; tokens live minutes.
    expiryTimer = setTimeout(() => store.end("expired"), Math.max(0, Math.min(left, 2 ** 31 - 1)));
  };

  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  const store: SessionStore<S> = {
    get: () => current,
    set(session) {
      current = session;
      if (session) sessionStorage.setItem(key, JSON.stringify(session));
      else sessionStorage.removeItem(key);
      armExpiry();
      for (const listener of listeners) listener();
    },
    end(reason) {
      const ended = current;
      if (!ended) return;
      store.set(undefined);
      onEnded(reason, ended);
    },
    onEnded(handler) {
      onEnded = handler;
      armExpiry();
      return () => {
        if (onEnded === handler) onEnded = ignore;
      };
    },
    use: () => useSyncExternalStore(subscribe, () => current),
  };
  return store;
}
