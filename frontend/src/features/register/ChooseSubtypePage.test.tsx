import { screen, within } from '@testing-library/react';
import { beforeEach, expect, test, vi } from 'vitest';
import { renderApp } from '../../testing/render.tsx';
import type * as Subtypes from '../items/subtypes.ts';
import { fakeApi } from './testApi.ts';
import { startSession } from '../../testing/session.ts';
import { subtypesFixture } from './subtypes.fixture.ts';

// The checked-in schemas have no top-level description: give STUDY one, to see how it is shown.
vi.mock('../items/subtypes.ts', async (importOriginal) => {
  const original = await importOriginal<typeof Subtypes>();
  return {
    ...original,
    SUBTYPES: original.SUBTYPES.map((subtype) =>
      subtype.subtype === 'STUDY' ? { ...subtype, json_schema: { ...subtype.json_schema, description: 'A research study.\nMore detail.' } } : subtype,
    ),
  };
});

beforeEach(startSession);

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
  fakeApi();
  renderApp('/register');
  expect(await screen.findByText('A research study.')).toBeInTheDocument();
  expect(screen.queryByText(/More detail/)).not.toBeInTheDocument();
});
