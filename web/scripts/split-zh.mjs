#!/usr/bin/env node
// split-zh: keeps the Chinese strings out of the app shell. Every area's
// English table stays in src/i18n/messages/<area>.ts (the fallback, and the
// type of every key); its Chinese table lives in
// src/i18n/messages/zh/<area>.ts, typed against the English one, and
// src/i18n/messages/zh/index.ts merges them into the one chunk that
// src/i18n loads on demand for Chinese readers.
//
// The script moves any `export const zh = {…}` still in <area>.ts (written
// there by hand, or brought back by a merge from a branch that predates the
// split: resolve the conflict by keeping that branch's zh table) into
// zh/<area>.ts, merging its keys into the ones already there (the moved
// table wins on a key both have, and says so; a key that neither table of
// <area>.ts has any more goes), and rewrites every zh/<area>.ts
// in the order of its English table, with the same blank lines between
// groups. A key the English table lacks is kept at the end, so that tsc
// reports it. Then it writes zh/index.ts and drops the Chinese line from
// messages/index.ts if a merge brought it back. Running it again changes
// nothing.
//
//   node scripts/split-zh.mjs          (from web/)
//   node scripts/split-zh.mjs --check  (exit 1 if it would change a file)
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../src/i18n/messages', import.meta.url));
const zhDir = join(dir, 'zh');
const check = process.argv.includes('--check');
const changed = [];

function write(file, text) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (old === text) return;
  changed.push(file);
  if (!check) writeFileSync(file, text);
}

// end returns the index just past the string, template or comment that starts at i, or i when none does.
function skip(src, i) {
  const c = src[i];
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < src.length && src[j] !== c) {
      if (src[j] === '\\') j++;
      j++;
    }
    return j + 1;
  }
  if (c === '/' && src[i + 1] === '/') {
    const j = src.indexOf('\n', i);
    return j < 0 ? src.length : j;
  }
  if (c === '/' && src[i + 1] === '*') {
    const j = src.indexOf('*/', i + 2);
    return j < 0 ? src.length : j + 2;
  }
  return i;
}

/**
 * table finds `export const <name>…= {…};` in src: its start (with the
 * blank lines before it), its end (past the semicolon and newline) and its
 * entries, each { key, text, blankBefore } where text is the entry as
 * written (with any comment above it), without the trailing comma.
 */
function table(src, name) {
  const m = new RegExp(`^export const ${name}\\b[^=]*=\\s*\\{`, 'm').exec(src);
  if (!m) return undefined;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  let i = open;
  const cuts = [];
  for (; i < src.length; ) {
    const j = skip(src, i);
    if (j !== i) {
      i = j;
      continue;
    }
    const c = src[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) break;
    } else if (c === ',' && depth === 1) cuts.push(i);
    i++;
  }
  if (depth !== 0) throw new Error(`unbalanced braces in export const ${name}`);
  const close = i;
  const pieces = [];
  let from = open + 1;
  for (const cut of [...cuts, close]) {
    pieces.push(src.slice(from, cut));
    from = cut + 1;
  }
  const entries = [];
  for (const piece of pieces) {
    const text = piece.replace(/^\s*\n/, '').trim();
    if (!text) continue;
    const blankBefore = /\n[ \t]*\n/.test(piece.slice(0, piece.indexOf(text.split('\n')[0])));
    // The key: the first string or name outside comments.
    let k = 0;
    let key;
    while (k < text.length && key === undefined) {
      const j = skip(text, k);
      if (j !== k && text[k] !== '/') {
        key = JSON.parse(text[k] === "'" ? `"${text.slice(k + 1, j - 1).replace(/"/g, '\\"').replace(/\\'/g, "'")}"` : text.slice(k, j));
      } else if (j !== k) {
        k = j;
      } else if (/[A-Za-z_$]/.test(text[k])) {
        key = /^[\w$]+/.exec(text.slice(k))[0];
      } else k++;
    }
    if (key === undefined) throw new Error(`an entry without a key in export const ${name}: ${text}`);
    entries.push({ key, text, blankBefore });
  }
  let end = close + 1;
  if (src[end] === ';') end++;
  if (src[end] === '\n') end++;
  let start = m.index;
  while (start > 0 && src[start - 1] === '\n' && (start < 2 || src[start - 2] === '\n')) start--;
  return { start, end, entries };
}

const areas = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3))
  .sort();
if (!existsSync(zhDir) && !check) mkdirSync(zhDir);

const withZh = [];
for (const area of areas) {
  const file = join(dir, `${area}.ts`);
  const zhFile = join(zhDir, `${area}.ts`);
  let src = readFileSync(file, 'utf8');
  const en = table(src, 'en');
  if (!en) throw new Error(`${file}: no export const en`);
  const moved = table(src, 'zh');
  const kept = existsSync(zhFile) ? table(readFileSync(zhFile, 'utf8'), 'zh') : undefined;
  if (!moved && !kept) {
    console.warn(`split-zh: ${area} has no Chinese table (tsc will say so)`);
    continue;
  }
  withZh.push(area);
  const byKey = new Map();
  for (const e of kept?.entries ?? []) byKey.set(e.key, e);
  const enKeys = new Set(en.entries.map((e) => e.key));
  const movedKeys = new Set(moved?.entries.map((e) => e.key));
  for (const e of moved?.entries ?? []) {
    const old = byKey.get(e.key);
    if (old && old.text !== e.text) console.warn(`split-zh: ${area}: ${old.text}  ->  ${e.text}`);
    byKey.set(e.key, e);
  }
  // A key gone from the English table and from the moved Chinese one was deleted where the moved table comes from.
  if (moved) {
    for (const k of byKey.keys()) {
      if (!enKeys.has(k) && !movedKeys.has(k)) {
        console.warn(`split-zh: ${area}: dropped ${k} (in neither table of ${area}.ts)`);
        byKey.delete(k);
      }
    }
  }
  if (moved) {
    src = src.slice(0, moved.start) + src.slice(moved.end);
    src = src.replace(/\n+$/, '\n');
    write(file, src);
  }
  const lines = [];
  for (const e of en.entries) {
    const z = byKey.get(e.key);
    if (!z) continue;
    byKey.delete(e.key);
    if (e.blankBefore && lines.length) lines.push('');
    lines.push(`  ${z.text},`);
  }
  if (byKey.size) {
    console.warn(`split-zh: ${area}: Chinese keys without English: ${[...byKey.keys()].join(', ')} (tsc will say so)`);
    lines.push('');
    for (const z of byKey.values()) lines.push(`  ${z.text},`);
  }
  write(
    zhFile,
    `// The Chinese strings of the ${area} area, typed against its English table
// (../${area}.ts): a missing or extra key does not compile. They load on
// demand, in one chunk with the other areas' (./index.ts, ../../index.ts).
// Laid out by web/scripts/split-zh.mjs in the English table's order; edit
// here, or put a zh table in ../${area}.ts and run the script.
import type { en } from '../${area}';

export const zh: Record<keyof typeof en, string> = {
${lines.join('\n')}
};
`,
  );
}

const name = (area) => area.replace(/-(\w)/g, (_, c) => c.toUpperCase());
write(
  join(zhDir, 'index.ts'),
  `// Every area's Chinese strings, merged: the chunk that src/i18n loads for
// Chinese readers (English readers never download it). Written by
// web/scripts/split-zh.mjs; an area without a Chinese table fails tsc here.
import type { MessageKey } from '..';
${withZh.map((a) => `import { zh as ${name(a)} } from './${a}';`).join('\n')}

export const zh: Record<MessageKey, string> = { ${withZh.map((a) => `...${name(a)}`).join(', ')} };
`,
);

// A merge from before the split may bring the Chinese line back into the English merge.
const indexFile = join(dir, 'index.ts');
const index = readFileSync(indexFile, 'utf8');
write(indexFile, index.replace(/^\s*'zh-CN':.*\n/m, ''));

if (check && changed.length) {
  console.error(`split-zh: would change ${changed.map((f) => f.slice(dir.length + 1)).join(', ')}`);
  process.exit(1);
}
console.log(changed.length ? `split-zh: wrote ${changed.map((f) => f.slice(dir.length + 1)).join(', ')}` : 'split-zh: nothing to do');
