import { createSessionStore, type EndReason } from "./session-store";

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
export type { EndReason };

// Per browser tab: a reload keeps the session, closing the tab ends it.
const store = createSessionStore<Session>("pdm.portal.session");

export function getSession(): Session | undefined {
  return store.get();
}

export function setSession(session: Session | undefined): void {
  store.set(session);
}

/** The token stopped working (expired, signed out elsewhere, member removed): forget it and ask again. */
export function endSession(reason: EndReason): void {
  store.end(reason);
}

/** What happens when a session ends by itself: the app sends the person to sign in, then back. */
export function onSessionEnded(handler: (reason: EndReason, ended: Session) => void): void {
  store.onEnded(handler);
}

export function useSession(): Session | undefined {
  return store.use();
}
