import type { RequestContext } from "../core/calls.js";
import type { Db } from "../db/client.js";
import type { TokenService } from "./tokens.js";

/** The first argument of the verbs an anonymous caller may use (sign-up, sign-in, accepting an invitation). */
export interface PublicContext {
  readonly db: Db;
  /** The operator role's connection: operators sign in anonymously too. */
  readonly opsDb: Db;
  readonly tokens: TokenService;
  readonly requestId: string;
  /** The client's address (Fastify's request.ip: the proxy's view when TRUST_PROXY names it). */
  readonly clientAddress: string;
  /** Sign-ups allowed per client address and hour before the backoff (AUTH_SIGN_UPS_PER_ADDRESS). */
  readonly signUpsPerAddress: number;
}

/** What the public verbs need of the process's services. */
export interface PublicServices {
  readonly db: Db;
  readonly opsDb: Db;
  readonly tokens: TokenService;
  readonly config: { readonly AUTH_SIGN_UPS_PER_ADDRESS: number };
}

/** The context of an anonymous caller's verb, from its request. */
export function publicContext(rc: RequestContext<PublicServices>): PublicContext {
  return {
    db: rc.services.db,
    opsDb: rc.services.opsDb,
    tokens: rc.services.tokens,
    requestId: rc.requestId,
    clientAddress: rc.clientAddress ?? "unknown",
    signUpsPerAddress: rc.services.config.AUTH_SIGN_UPS_PER_ADDRESS,
  };
}
