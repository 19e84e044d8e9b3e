// Hardening: the built web app (what every visitor downloads) holds no secrets, no source maps and
// no inline script. Reads `frontend/dist/` as `npm run build` left it; no browser needed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const FRONTEND = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(FRONTEND, 'dist');
const REPO = join(FRONTEND, '..');

/** Every file of the build, as paths relative to dist/. */
function builtFiles(dir = DIST): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? builtFiles(path) : [relative(DIST, path)];
  });
}

/** Secrets that exist on this machine and must never reach the bundle. */
function localSecrets(): { what: string; value: string }[] {
  const secrets: { what: string; value: string }[] = [];
  const add = (what: string, value: string | undefined) => {
    if (value && value.trim().length >= 6) secrets.push({ what, value: value.trim() });
  };
  add('REGISTRY_E2E_ADMIN_PASSWORD', process.env.REGISTRY_E2E_ADMIN_PASSWORD);
  add('REGISTRY_ADMIN_PASSWORD', process.env.REGISTRY_ADMIN_PASSWORD);
  add('REGISTRY_SECRET_KEY', process.env.REGISTRY_SECRET_KEY);
  add('REGISTRY_DATABASE_URL', process.env.REGISTRY_DATABASE_URL);
  const keyFile = join(REPO, 'var', 'secret_key');
  if (existsSync(keyFile)) add('var/secret_key', readFileSync(keyFile, 'utf8'));
  return secrets;
}

/** Patterns that would mean a secret, a credential or the build machine leaked into the bundle. */
const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  { what: 'a PEM private key or certificate', pattern: /-----BEGIN/ },
  { what: 'a JWT', pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ/ },
  { what: 'the secret key setting', pattern: /REGISTRY_SECRET_KEY/ },
  { what: 'the admin password setting', pattern: /REGISTRY_(E2E_)?ADMIN_PASSWORD/ },
  { what: 'a database URL', pattern: /\b(postgres(ql)?|mysql|sqlite)(\+\w+)?:\/\//i },
  { what: 'a source map comment', pattern: /[#@]\s*sourceMappingURL=/ },
  { what: 'a local file URL', pattern: /file:\/\/\// },
  { what: 'a path on the build machine', pattern: new RegExp(escapeRegExp(REPO.replace(/\/+$/, ''))) },
  { what: 'a home directory path', pattern: /["'`](\/home\/|\/root\/|\/Users\/|[A-Z]:\\\\Users\\\\)/ },
  { what: 'a bearer token', pattern: /Bearer\s+[A-Za-z0-9._~+/-]{20,}/ },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the built web app', () => {
  test('has been built', () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error(`No build at ${DIST}: run \`npm run build\` first.`);
    expect(builtFiles().filter((file) => file.startsWith('assets/') && file.endsWith('.js')).length).toBeGreaterThan(0);
  });

  test('ships no source maps and nothing but the app (no .env, no keys)', () => {
    const files = builtFiles();
    expect(files.filter((file) => /\.map$/i.test(file))).toEqual([]);
    expect(files.filter((file) => /(^|\/)\.env|\.(pem|key|crt|p12|sqlite|db)$/i.test(file))).toEqual([]);
    // Only the shell, hashed assets and static files the app means to serve.
    expect(files.filter((file) => !/^(index\.html|assets\/[\w.-]+\.(js|css|svg|png|woff2?))$/.test(file))).toEqual([]);
  });

  test('holds no secret, credential or local path', () => {
    const files = builtFiles().filter((file) => file === 'index.html' || /^assets\/.+\.(js|css)$/.test(file));
    const secrets = localSecrets();
    expect(secrets.some((secret) => secret.what === 'REGISTRY_E2E_ADMIN_PASSWORD')).toBe(Boolean(process.env.REGISTRY_E2E_ADMIN_PASSWORD));
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(DIST, file), 'utf8');
      for (const { what, value } of secrets) if (text.includes(value)) found.push(`${file}: the value of ${what}`);
      for (const { what, pattern } of FORBIDDEN) {
        const match = pattern.exec(text);
        if (match) found.push(`${file}: ${what} (${JSON.stringify(text.slice(Math.max(0, match.index - 40), match.index + 60))})`);
      }
    }
    expect(found).toEqual([]);
  });

  test('index.html loads only its own scripts, with no inline script or handler', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son\w+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});
