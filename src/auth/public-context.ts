import type { Db } from "../db/client.js";
import type { TokenService } from "./tokens.js";

/** The first argument of the verbs an anonymous caller may use (sign-up, sign-in, accepting an invitation). */
export interface PublicContext {
  readonly db: Db;
  readonly tokens: TokenService;
  readonly requestId: string;
}
