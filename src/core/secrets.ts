import { createHash, randomBytes } from "node:crypto";

/** A high-entropy secret for a link or a key; only its hash is stored. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}
