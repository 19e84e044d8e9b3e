// Idempotency-Key for POST /items: one key per body, so a retry of the same submission (after a
// network error, say) cannot create a second record, while a changed form is a new request.

/** A random (version 4) UUID; `crypto.randomUUID` exists only in secure contexts (https, localhost). */
export function randomUuid(cryptoSource: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = globalThis.crypto): string {
  if (typeof cryptoSource.randomUUID === 'function') return cryptoSource.randomUUID();
  const bytes = cryptoSource.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with object keys sorted: equal values give equal text, whatever order the form built them in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Hands out the same key while the body stays the same, and a new one when it changes. */
export function idempotencyKeys(newKey: () => string = randomUuid): { keyFor(body: unknown): string } {
  let last: { body: string; key: string } | null = null;
  return {
    keyFor(body) {
      const text = canonicalJson(body);
      if (last?.body !== text) last = { body: text, key: newKey() };
      return last.key;
    },
  };
}
