import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';

describe('home page', () => {
  it('shows the heading and the API health', async () => {
    const fetchStub = vi.fn(async () => jsonResponse({ status: 'ok', database: 'ok' }));
    vi.stubGlobal('fetch', fetchStub);

    renderApp('/');

    expect(screen.getByRole('heading', { level: 1, name: 'Registry' })).toBeInTheDocument();
    expect(await screen.findByText('API: ok · database: ok')).toBeInTheDocument();
    expect(fetchStub).toHaveBeenCalledWith('/api/v1/health', expect.anything());
  });

  it('says the database is down when the API answers 503', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse({ status: 'ok', database: 'unavailable' }, { status: 503 })),
    );

    renderApp('/');

    expect(await screen.findByText('API: ok · database: unavailable')).toBeInTheDocument();
  });

  it('explains in plain language when the API cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );

    renderApp('/');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The API cannot be reached. Start it with make run.');
  });

  it('reports an API error that is not about reachability', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(
          { type: 'about:blank', title: 'Internal Server Error', status: 500 },
          { status: 500, contentType: 'application/problem+json' },
        ),
      ),
    );

    renderApp('/');

    expect(await screen.findByRole('alert')).toHaveTextContent('The API answered with an error (HTTP 500).');
  });
});

describe('routing', () => {
  it('shows "Page not found" inside the layout for an unknown address', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ status: 'ok', database: 'ok' })));

    renderApp('/no/such/page');

    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Registry');
    expect(screen.getByText('/no/such/page')).toBeInTheDocument();
  });

  it('goes back to the start page from the header', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ status: 'ok', database: 'ok' })));
    const { user, router } = renderApp('/no/such/page');

    await user.click(screen.getByRole('link', { name: 'Registry' }));

    expect(router.state.location.pathname).toBe('/');
    expect(await screen.findByText('API: ok · database: ok')).toBeInTheDocument();
  });
});
