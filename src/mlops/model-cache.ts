/**
 * Decoded models by artifact address, per process: a prediction decodes its model once, not per
 * call. Artifacts never change (their address is their hash), so entries never go stale; the
 * oldest are dropped beyond `capacity`.
 */
export function createModelCache(capacity = 32) {
  const entries = new Map<string, unknown>();
  return {
    async get<T>(key: { tenantId: string; sha256: string }, load: () => Promise<Uint8Array>, decode: (text: string) => T): Promise<T> {
      const k = `${key.tenantId}:${key.sha256}`;
      if (entries.has(k)) {
        const hit = entries.get(k) as T;
        entries.delete(k);
        entries.set(k, hit);
        return hit;
      }
      const model = decode(Buffer.from(await load()).toString("utf8"));
      entries.set(k, model);
      while (entries.size > capacity) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return model;
    },
  };
}

export type ModelCache = ReturnType<typeof createModelCache>;
