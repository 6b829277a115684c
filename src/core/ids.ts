import { randomBytes } from "node:crypto";

/** Type prefixes: an id says what it is in a log line or a support ticket. */
export const ID_PREFIXES = {
  tenant: "ten",
  user: "usr",
  membership: "mem",
  invitation: "inv",
  apiKey: "key",
  audit: "aud",
  operator: "opr",
  operatorAccess: "opa",
  signingKey: "sig",
  tokenId: "jti",
  assetType: "atp",
  sensor: "sen",
  asset: "ast",
  device: "dev",
  deviceToken: "dtk",
  usage: "use",
  maintenanceEvent: "mev",
  model: "mdl",
  modelVersion: "mdv",
  modelAliasChange: "mac",
  prediction: "prd",
  trainingRun: "trn",
  scoringRun: "scr",
  driftCheck: "dck",
  alert: "alr",
  webhook: "whk",
  webhookTest: "wht",
  plan: "pln",
  accountNotice: "ntc",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

function encode(bytes: Uint8Array, length: number): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * `prefix_` + 10 characters of millisecond time + 16 random characters: ids sort by creation
 * time, which keyset pagination relies on, and are unguessable.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  let rest = Math.floor(now);
  let timePart = "";
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[rest % 32] + timePart;
    rest = Math.floor(rest / 32);
  }
  return `${ID_PREFIXES[kind]}_${timePart}${encode(randomBytes(10), 16)}`;
}

const TIME_CHARS = 10;

/** The millisecond time an id was made at (its 10 time characters), or undefined for a malformed id. */
export function timeOfId(id: string): number | undefined {
  const time = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 1 + TIME_CHARS);
  if (id.indexOf("_") < 0 || time.length !== TIME_CHARS) return undefined;
  let ms = 0;
  for (const char of time) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    ms = ms * 32 + digit;
  }
  return ms;
}

/** Sorts before every id of `kind` made at `time` or later, and after every one made earlier. */
export function idFloor(kind: IdKind, time: number): string {
  return newId(kind, time).slice(0, ID_PREFIXES[kind].length + 1 + TIME_CHARS);
}
