export type { ApiKey } from "./api-keys.js";
export type { AuthServices } from "./deps.js";
export { checkEmail, checkPersonName } from "./identity.js";
export { createKeyCipher } from "./key-encryption.js";
export { checkPasswordPolicy } from "./password-policy.js";
export { decoyHash, hashPassword, verifyPassword } from "./passwords.js";
export { type PrincipalDeps, resolvePrincipal } from "./principal.js";
export { type PublicContext, type PublicServices, publicContext } from "./public-context.js";
export { scopesOfRole } from "./scopes.js";
export { checkUserPassword, issueMemberToken, type SignedIn } from "./sign-in.js";
export { throttledPasswordCheck, throttleSignUp } from "./throttle.js";
export {
  createTokenService,
  type IssuedToken,
  type KeyCoherence,
  retireSigningKeysNow,
  rotateSigningKey,
  type TokenService,
} from "./tokens.js";
