// Reports the size of the built web app's JavaScript and holds the first load to a budget. Runs after
// every `npm run build` (the postbuild script); `node scripts/report-bundle.mjs [dist folder]` reads
// another build.
//
// First load: the scripts index.html loads before the first paint, the entry module and its
// `modulepreload`s. Everything else is a lazy chunk, fetched with the page that needs it; those are
// listed for information. Sizes are gzip at level 9, as a compressing server or proxy would send them
// (1 kB = 1,000 bytes, as Vite counts). Exits 1 when the first load is over the budget.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const FIRST_LOAD_BUDGET_BYTES = 200_000;
const DIST = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));

/** An attribute's value in the text of a start tag, or undefined. */
function attribute(tag, name) {
  return new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
}

/** The files index.html loads before the first paint, as paths relative to dist/ ("assets/index-….js"). */
function firstLoadFiles(html) {
  const startTags = (name) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'gi'))].map(([tag]) => tag);
  const entries = startTags('script').filter((tag) => attribute(tag, 'type') === 'module').map((tag) => attribute(tag, 'src'));
  const preloads = startTags('link').filter((tag) => attribute(tag, 'rel') === 'modulepreload').map((tag) => attribute(tag, 'href'));
  return [...new Set([...entries, ...preloads].filter(Boolean))].map((url) => url.replace(/^\//, ''));
}

function measure(file) {
  const content = readFileSync(join(DIST, file));
  return { file, raw: content.length, gzip: gzipSync(content, { level: constants.Z_BEST_COMPRESSION }).length };
}

const kB = (bytes) => (bytes / 1000).toFixed(1);

function table(rows, total) {
  const width = Math.max('total'.length, ...rows.map((row) => row.file.length));
  const line = (file, raw, gzip) => `  ${file.padEnd(width)}  ${raw.padStart(8)}  ${gzip.padStart(8)}`;
  const lines = [line('file', 'raw kB', 'gzip kB'), ...rows.map((row) => line(row.file, kB(row.raw), kB(row.gzip)))];
  if (total) lines.push(line('total', kB(total.raw), kB(total.gzip)));
  return lines.join('\n');
}

const indexHtml = join(DIST, 'index.html');
if (!existsSync(indexHtml)) {
  console.error(`report-bundle: no build at ${DIST} (no index.html): run \`npm run build\` first.`);
  process.exit(1);
}
const firstLoad = firstLoadFiles(readFileSync(indexHtml, 'utf8')).map(measure);
if (firstLoad.length === 0) {
  console.error('report-bundle: index.html loads no module script; the build is not what this report expects.');
  process.exit(1);
}
const total = { raw: firstLoad.reduce((sum, row) => sum + row.raw, 0), gzip: firstLoad.reduce((sum, row) => sum + row.gzip, 0) };
const lazy = readdirSync(join(DIST, 'assets'))
  .map((name) => `assets/${name}`)
  .filter((file) => file.endsWith('.js') && !firstLoad.some((row) => row.file === file))
  .map(measure)
  .sort((a, b) => b.gzip - a.gzip);

console.log(`\nFirst-load JavaScript (index.html's entry module and modulepreloads; gzip level 9; 1 kB = 1,000 bytes):`);
console.log(table(firstLoad, total));
console.log(`First load: ${kB(total.gzip)} kB gzip of a ${kB(FIRST_LOAD_BUDGET_BYTES)} kB budget.`);
console.log(`\nLazy chunks, loaded with the pages that need them (for information):`);
console.log(table(lazy));

if (total.gzip > FIRST_LOAD_BUDGET_BYTES) {
  console.error(
    `\nreport-bundle: the first-load JavaScript is ${kB(total.gzip)} kB gzip, over the ${kB(FIRST_LOAD_BUDGET_BYTES)} kB budget. ` +
      'Load code with the page that needs it instead (a lazy route in src/app/routes.tsx, or a dynamic import()), ' +
      'or drop a dependency; the table above shows which files the first load holds.',
  );
  process.exit(1);
}
