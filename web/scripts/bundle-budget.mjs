#!/usr/bin/env node
// Bundle budget (issue 8): after `npm run build`, measures the built web app
// in ../internal/web/dist (vite.config.ts's outDir) — the entry script that
// index.html loads, each lazily loaded chunk (hls.js is imported only when
// WebRTC playback fails) and the style sheet — raw and gzip-compressed, and
// fails when one is over its budget. Run with `npm run budget` (make web
// does, right after the build). The numbers go into docs/BENCHMARKS.md.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Budgets in bytes, about 15 % above the sizes of 2 December 2026 (issue 8,
// with the Chinese translations in): entry 364 kB raw / 102 kB gzip, CSS
// 44 kB / 9.1 kB, hls.js light 362 kB / 114 kB. Raise one only with a reason.
const BUDGETS = {
  entry: { raw: 420_000, gzip: 118_000 },
  css: { raw: 56_000, gzip: 11_500 }, // + the full-screen phone room (issue 8)
  lazy: {
    'hls.light': { raw: 416_000, gzip: 131_000 },
  },
  // Any other lazy chunk: a new dynamic import gets this until it has its own line.
  otherLazy: { raw: 60_000, gzip: 20_000 },
};

const dist = fileURLToPath(new URL('../../internal/web/dist', import.meta.url));
let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch (e) {
  console.error(`bundle budget: no build in ${dist} (run npm run build first): ${e.message}`);
  process.exit(2);
}

const assets = readdirSync(join(dist, 'assets'));
// index.html names the entry script and the style sheet; every other script is a lazy chunk.
const linked = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]));
// Vite names chunks <name>-<hash>.<ext>; the budget goes by name.
const baseName = (file) => file.replace(/-[A-Za-z0-9_-]{8}\.(js|css)$/, '');

const rows = [];
for (const file of assets.sort()) {
  if (!/\.(js|css)$/.test(file)) continue;
  const data = readFileSync(join(dist, 'assets', file));
  const size = { raw: data.length, gzip: gzipSync(data, { level: 9 }).length }; // gzip -9, as a server would cache it
  let kind;
  let budget;
  if (file.endsWith('.css')) {
    kind = 'css';
    budget = BUDGETS.css;
  } else if (linked.has(file)) {
    kind = 'entry';
    budget = BUDGETS.entry;
  } else {
    kind = 'lazy';
    budget = BUDGETS.lazy[baseName(file)] ?? BUDGETS.otherLazy;
  }
  rows.push({ file, kind, ...size, budget, over: size.raw > budget.raw || size.gzip > budget.gzip });
}
const order = { entry: 0, css: 1, lazy: 2 };
rows.sort((a, b) => order[a.kind] - order[b.kind] || a.file.localeCompare(b.file));
if (!rows.some((r) => r.kind === 'entry')) {
  console.error('bundle budget: index.html links no script in assets/');
  process.exit(2);
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const table = [
  '| file | kind | raw | gzip | budget raw | budget gzip | |',
  '|---|---|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${baseName(r.file)} | ${r.kind} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.budget.raw)} | ${kb(r.budget.gzip)} | ${r.over ? 'OVER' : 'ok'} |`),
];
const initial = rows.filter((r) => r.kind !== 'lazy');
table.push(`| first load (entry + CSS) | | ${kb(initial.reduce((s, r) => s + r.raw, 0))} | ${kb(initial.reduce((s, r) => s + r.gzip, 0))} | | | |`);
console.log(table.join('\n'));

const over = rows.filter((r) => r.over);
if (over.length) {
  console.error(`\nbundle budget: over budget: ${over.map((r) => r.file).join(', ')} (budgets are at the top of web/scripts/bundle-budget.mjs)`);
  process.exit(1);
}
