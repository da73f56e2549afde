#!/usr/bin/env node
// Browser end-to-end test of the live room (journey "room"), against a
// running liveshop demo: an anonymous viewer and a signed-in viewer open
// the demo room; the signed-in one chats, taps like and follows the host;
// the anonymous one sees the chat line and the likes, and the viewer
// count shows both. At phone size the room is full screen: the script also
// checks the rail (share copies the link) and the Q&A sheet (a dialog that
// Escape closes).
//
// Environment: BASE_URL, ROOM_ID (a live room), VIEWER_EMAIL,
// VIEWER_PASSWORD, CHROMIUM (default /usr/bin/chromium), JOURNEY_SIZE
// (phone|desktop), SHOTS_DIR (screenshots of the steps). Exits 0 on
// success; on failure prints the step and writes a screenshot to
// web/test-results/. Stops by itself within 90 s.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { contextOptions, shot, SIZE } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const { ROOM_ID = 'demo', VIEWER_EMAIL = '', VIEWER_PASSWORD = '' } = process.env;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 15_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;
const phone = SIZE === 'phone';

let browser;
let current;
let step = 'starting';
const watchdog = setTimeout(() => {
  console.error(`FAIL room e2e at step "${step}": took longer than 90s`);
  process.exit(1);
}, 90_000);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

/** likes reads the like counter ("1.2k" is not expected here: a fresh demo room). */
async function likes(page) {
  return Number((await page.locator(tid('like-count')).first().innerText()).replace(/\D/g, '') || 0);
}

try {
  let anon;
  let viewer;
  const text = `Is this year's rice in stock? ${Date.now()}`;
  await run(`launch chromium (${SIZE})`, async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
  });
  await run('an anonymous viewer opens the room', async () => {
    anon = await (await browser.newContext(contextOptions())).newPage();
    anon.setDefaultTimeout(STEP_MS);
    current = anon;
    await anon.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await anon.locator(tid('viewer-count')).first().waitFor();
    const layout = await anon.locator(tid('room')).getAttribute('data-layout');
    if (layout !== (phone ? 'phone' : 'wide')) throw new Error(`the room's layout is ${layout} at ${SIZE} size`);
  });
  await run('a signed-in viewer opens the room', async () => {
    viewer = await (await browser.newContext(contextOptions({ permissions: ['clipboard-read', 'clipboard-write'] }))).newPage();
    viewer.setDefaultTimeout(STEP_MS);
    current = viewer;
    await viewer.goto(`${BASE_URL}/signin`);
    await viewer.fill(tid('signin-email'), VIEWER_EMAIL);
    await viewer.fill(tid('signin-password'), VIEWER_PASSWORD);
    await viewer.click(tid('signin-submit'));
    await viewer.locator(tid('current-user')).waitFor();
    await viewer.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await viewer.locator(tid('chat-input')).waitFor();
  });
  await run('the viewer count shows both viewers', async () => {
    current = anon;
    await anon.locator(tid('viewer-count')).first().filter({ hasText: /\b2\b/ }).waitFor();
    await shot(anon, 'room', 'watching');
  });
  await run('the signed-in viewer chats and the anonymous one reads it', async () => {
    current = viewer;
    await viewer.fill(tid('chat-input'), text);
    await viewer.click(tid('chat-send'));
    current = anon;
    await anon.locator(tid('chat-line')).filter({ hasText: text }).first().waitFor();
    await shot(viewer, 'room', 'chat');
  });
  await run('likes reach the other viewer', async () => {
    current = viewer;
    const before = await likes(anon);
    for (let i = 0; i < 5; i++) await viewer.click(tid('like-button'));
    await shot(viewer, 'room', 'likes');
    current = anon;
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      const n = await likes(anon);
      if (n >= before + 5) break;
      if (Date.now() > deadline) throw new Error(`likes stayed at ${n} (from ${before})`);
      await anon.waitForTimeout(200);
    }
  });
  await run('the viewer follows the host, and it holds after a reload', async () => {
    current = viewer;
    const btn = viewer.locator(tid('follow-host-button')).first();
    await btn.waitFor();
    // The demo's viewer may follow the host already: unfollow first, then follow.
    if ((await btn.getAttribute('aria-pressed')) === 'true') {
      await btn.click();
      await viewer.locator(`${tid('follow-host-button')}[aria-pressed="false"]`).first().waitFor();
    }
    await btn.click();
    await viewer.locator(`${tid('follow-host-button')}[aria-pressed="true"]`).first().waitFor();
    await shot(viewer, 'room', 'follow');
    await viewer.reload();
    await viewer.locator(`${tid('follow-host-button')}[aria-pressed="true"]`).first().waitFor();
  });
  if (phone) {
    await run('the rail shares the room: the link is copied', async () => {
      current = viewer;
      await viewer.click(tid('share-button'));
      await viewer.locator(tid('share-status')).filter({ hasText: /\S/ }).waitFor();
      const said = await viewer.locator(tid('share-status')).innerText();
      if (!/copied/i.test(said)) throw new Error(`share said "${said}"`);
      const copied = await viewer.evaluate(() => navigator.clipboard.readText());
      if (!copied.endsWith(`/live/${ROOM_ID}`)) throw new Error(`the clipboard holds ${copied}`);
    });
    await run('questions open in a sheet that Escape closes', async () => {
      await viewer.click(tid('qa-open'));
      const sheet = viewer.locator(`[role="dialog"]${tid('qa-sheet')}`);
      await sheet.waitFor();
      const inside = await viewer.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
      if (!inside) throw new Error('the focus is not in the Q&A dialog');
      await shot(viewer, 'room', 'questions');
      await viewer.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
    });
    await run('the bag opens the shelf as a sheet', async () => {
      await viewer.click(tid('bag-button'));
      await viewer.locator(tid('shelf-sheet-item')).first().waitFor();
      await shot(viewer, 'room', 'bag');
      await viewer.keyboard.press('Escape');
      await viewer.locator(tid('shelf-sheet')).waitFor({ state: 'detached' });
    });
  }
  clearTimeout(watchdog);
  await browser.close();
  log('PASS room e2e');
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL room e2e at step "${step}": ${e.message}`);
  try {
    mkdirSync(RESULTS, { recursive: true });
    await current?.screenshot({ path: join(RESULTS, 'room-failure.png'), fullPage: true, timeout: 5000 });
    console.error(`page: ${current?.url()}\nscreenshot: ${join(RESULTS, 'room-failure.png')}`);
  } catch {
    // no page
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}
