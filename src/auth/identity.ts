import { validation } from "../core/errors.js";
import { isEmail, normaliseEmail } from "../core/secrets.js";

export function checkPersonName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 120) throw validation("The name must be 1 to 120 characters long.", { field: "name" });
  return trimmed;
}

export function checkEmail(email: string): string {
  const normal = normaliseEmail(email);
  if (!isEmail(normal)) throw validation(`"${email}" is not an email address.`, { field: "email" });
  return normal;
}
