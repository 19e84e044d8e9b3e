// @vitest-environment node
// The checked-in API types must be what openapi-typescript makes of the checked-in OpenAPI
// document (the backend's tests check that document against the server). `make api-types` updates both.
import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { expect, test } from 'vitest';

test('schema.d.ts is generated from openapi.json', async () => {
  const document = JSON.parse(await readFile(new URL('./openapi.json', import.meta.url), 'utf8'));
  const generated = astToString(await openapiTS(document));
  const checkedIn = await readFile(new URL('./schema.d.ts', import.meta.url), 'utf8');
  const body = (text: string) => text.slice(text.indexOf('export interface paths'));
  expect(body(checkedIn), 'the API types are stale: run `make api-types`').toBe(body(generated));
});
