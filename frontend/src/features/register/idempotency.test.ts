import { describe, expect, test } from 'vitest';
import { canonicalJson, idempotencyKeys, randomUuid } from './idempotency.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotency keys', () => {
  test('the same body keeps its key; a changed body gets a new one', () => {
    let n = 0;
    const keys = idempotencyKeys(() => `key-${++n}`);
    const first = keys.keyFor({ item_subtype: 'STUDY', data: { a: 1, b: 2 } });
    expect(keys.keyFor({ item_subtype: 'STUDY', data: { b: 2, a: 1 } })).toBe(first);
    const second = keys.keyFor({ item_subtype: 'STUDY', data: { a: 1, b: 3 } });
    expect(second).not.toBe(first);
    expect(keys.keyFor({ item_subtype: 'STUDY', data: { a: 1, b: 3 } })).toBe(second);
  });

  test('a UUID without crypto.randomUUID (outside secure contexts)', () => {
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const id = randomUuid(insecure);
    expect(id).toMatch(UUID);
    expect(randomUuid(insecure)).not.toBe(id);
    expect(randomUuid()).toMatch(UUID);
  });

  test('canonical JSON sorts keys at every depth and keeps list order', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":[2,1]}');
  });
});
