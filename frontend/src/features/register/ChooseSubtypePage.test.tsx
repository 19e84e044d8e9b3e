import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { fakeApi, signIn, signOut } from './testApi.ts';
import { subtypesFixture } from './subtypes.fixture.ts';

beforeEach(signIn);
afterEach(signOut);

test('one card per subtype, with its category, linking to its form', async () => {
  fakeApi();
  renderApp('/register');
  expect(await screen.findByRole('heading', { level: 1, name: 'Register a record' })).toBeInTheDocument();
  const cards = await screen.findAllByRole('listitem');
  expect(cards).toHaveLength(subtypesFixture.length);
  const person = cards.find((card) => within(card).queryByRole('link', { name: 'Person' }))!;
  expect(within(person).getByRole('link', { name: 'Person' })).toHaveAttribute('href', '/register/PERSON');
  expect(person).toHaveTextContent('Agent');
});

test('a subtype whose schema has a description shows its first line', async () => {
  const api = fakeApi();
  const described = subtypesFixture.map((subtype) =>
    subtype.subtype === 'STUDY' ? { ...subtype, json_schema: { ...subtype.json_schema, description: 'A research study.\nMore detail.' } } : subtype,
  );
  api.on('GET', '/api/v1/subtypes', () => jsonResponse(described));
  renderApp('/register');
  expect(await screen.findByText('A research study.')).toBeInTheDocument();
  expect(screen.queryByText(/More detail/)).not.toBeInTheDocument();
});
