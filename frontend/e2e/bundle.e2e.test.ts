// Hardening: the built web app (what every visitor downloads) holds no secrets, no source maps and
// no inline script. Reads `frontend/dist/` as `npm run build` left it; no browser needed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const FRONTEND = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(FRONTEND, 'dist');
const REPO = join(FRONTEND, '..');
const REPORT_BUNDLE = join(FRONTEND, 'scripts', 'report-bundle.mjs');

/** Run scripts/report-bundle.mjs (what `npm run build` runs after building) on a build folder. */
function reportBundle(dist: string) {
  const run = spawnSync(process.execPath, [REPORT_BUNDLE, dist], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

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

  test('its first-load JavaScript is within the budget, and the report names the entry and the lazy chunks', () => {
    const entry = /<script\b[^>]*\bsrc="\/(assets\/[\w.-]+\.js)"/.exec(readFileSync(join(DIST, 'index.html'), 'utf8'))?.[1];
    const report = reportBundle(DIST);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    expect(report.stdout).toContain(`  ${entry} `);
    expect(report.stdout).toMatch(/Lazy chunks[\s\S]*assets\/SubtypeForm-[\w-]+\.js/);
  });
});

describe('the bundle report', () => {
  test('fails a build whose entry and modulepreloads are over the budget together, and says what to do', () => {
    const dist = mkdtempSync(join(tmpdir(), 'registry-bundle-'));
    try {
      mkdirSync(join(dist, 'assets'));
      // Random bytes do not compress: 110 kB + 110 kB is over 200 kB gzip only when both count.
      writeFileSync(join(dist, 'assets', 'index-entry.js'), randomBytes(110_000));
      writeFileSync(join(dist, 'assets', 'vendor-preloaded.js'), randomBytes(110_000));
      writeFileSync(join(dist, 'assets', 'Form-lazy.js'), randomBytes(300_000));
      writeFileSync(
        join(dist, 'index.html'),
        '<script type="module" crossorigin src="/assets/index-entry.js"></script>\n<link rel="modulepreload" crossorigin href="/assets/vendor-preloaded.js">',
      );
      const report = reportBundle(dist);
      expect(report.status).toBe(1);
      expect(report.stderr).toMatch(/over the 200\.0 kB budget\. Load code with the page that needs it/);
      expect(report.stdout).toMatch(/First-load[\s\S]*index-entry\.js[\s\S]*vendor-preloaded\.js[\s\S]*Lazy chunks[\s\S]*Form-lazy\.js/);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
