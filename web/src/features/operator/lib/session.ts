import { createSessionStore } from "../../../lib/session-store";

export type OperatorRole = "SUPPORT" | "FINANCE";

/** The signed-in operator: the machine maker's staff member and their token (never a member's session). */
export interface OperatorSession {
  readonly token: string;
  readonly expiresAt: string;
  readonly operator: { readonly id: string; readonly email: string; readonly name: string; readonly role: OperatorRole };
}

// Per browser tab, under a key of its own: the member area never sees this token, nor this area a member's.
const store = createSessionStore<OperatorSession>("pdm.operator.session");

export function getOperatorSession(): OperatorSession | undefined {
  return store.get();
}

export function setOperatorSession(session: OperatorSession | undefined): void {
  store.set(session);
}

/** The token stopped working (expired, signed out elsewhere, account disabled): forget it; the console asks to sign in again. */
export function endOperatorSession(): void {
  store.end("expired");
}

/** What happens when the session ends by itself (set by the console's shell). */
export function onOperatorSessionEnded(handler: () => void): () => void {
  return store.onEnded(handler);
}

export function useOperatorSession(): OperatorSession | undefined {
  return store.use();
}
