/** Escaping for InfluxQL built by the server: identifiers in double quotes, strings in single. */
export function ident(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function str(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A time literal in nanoseconds since the epoch (InfluxQL's own integer form). */
export function timeNs(date: Date): string {
  return `${BigInt(date.getTime()) * 1_000_000n}`;
}
