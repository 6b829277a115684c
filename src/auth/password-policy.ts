import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { validation } from "../core/errors.js";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Common passwords, names and keyboard patterns (zxcvbn's common dictionaries); built once. */
let estimator: ZxcvbnFactory | undefined;
function strength(password: string, userInputs: string[]): number {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return estimator.check(password, userInputs).score;
}

const refuse = (message: string) => validation(message, { field: "password" });

/**
 * The password rules, each with a message a person can act on: 12 to 256 characters, not only
 * spaces, no control characters, not the email address or its local part, and not a common
 * password or an easy variation of one (zxcvbn score 3 of 4 at least).
 */
export function checkPasswordPolicy(password: string, context: { readonly email?: string | undefined } = {}): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw refuse(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  if (length > MAX_PASSWORD_LENGTH) throw refuse(`The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`);
  if (/\p{Cc}/u.test(password)) throw refuse("The password must not contain control characters (such as NUL, tab or line breaks).");
  if (password.trim() === "") throw refuse("The password must not be only spaces.");
  const email = context.email?.trim().toLowerCase();
  const lower = password.trim().toLowerCase();
  const local = email?.split("@")[0];
  if (email && (lower === email || (local && local.length >= 4 && lower.includes(local)))) {
    throw refuse("The password must not be your email address or contain its name part.");
  }
  if (
    strength(
      password,
      [email ?? "", local ?? ""].filter((s) => s !== ""),
    ) < 3
  ) {
    throw refuse("This password is too easy to guess: it is a common password or close to one. Use a phrase of several uncommon words.");
  }
}
