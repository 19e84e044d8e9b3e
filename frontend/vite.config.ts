import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API the dev server (and `vite preview`) forwards /api and /schema to.
// Same variables as the backend (DESIGN.md §6), so a non-default port just works.
function apiOrigin(): string {
  const host = process.env.REGISTRY_HOST ?? '127.0.0.1';
  const port = process.env.REGISTRY_PORT ?? '8000';
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

const proxy = {
  '/api': { target: apiOrigin(), changeOrigin: false },
  '/schema': { target: apiOrigin(), changeOrigin: false },
};

export default defineConfig({
  plugins: [react()],
  // Absolute asset URLs: index.html is served for deep links such as /items/{id}.
  base: '/',
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', emptyOutDir: true },
});
