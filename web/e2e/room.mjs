#!/usr/bin/env node
// Browser end-to-end test of the live room's realtime layer, against a
// running liveshop demo: an anonymous viewer and a signed-in viewer open
// the demo room; the signed-in one chats and taps like; the anonymous one
// sees the chat line and the likes, and the viewer count shows both.
//
// Environment: BASE_URL, ROOM_ID (a live room), VIEWER_EMAIL,
// VIEWER_PASSWORD, CHROMIUM (default /usr/bin/chromium). Exits 0 on
// success; on failure prints the step and writes a screenshot to
// web/test-results/. Stops by itself within 90 s.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const { ROOM_ID = 'demo', VIEWER_EMAIL = '', VIEWER_PASSWORD = '' } = process.env;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 15_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

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

try {
  let anon;
  let viewer;
  const text = `Is this year's rice in stock? ${Date.now()}`;
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
  });
  await run('an anonymous viewer opens the room', async () => {
    anon = await (await browser.newContext({ viewport: { width: 420, height: 900 } })).newPage();
    anon.setDefaultTimeout(STEP_MS);
    current = anon;
    await anon.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await anon.locator(tid('viewer-count')).first().waitFor();
  });
  await run('a signed-in viewer opens the room', async () => {
    viewer = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
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
  });
  await run('the signed-in viewer chats and the anonymous one reads it', async () => {
    current = viewer;
    await viewer.fill(tid('chat-input'), text);
    await viewer.click(tid('chat-send'));
    current = anon;
    await anon.locator(tid('chat-line')).filter({ hasText: text }).first().waitFor();
  });
  await run('likes reach the other viewer', async () => {
    current = viewer;
    const before = Number((await anon.locator(tid('like-count')).first().innerText()).replace(/\D/g, '') || 0);
    for (let i = 0; i < 5; i++) await viewer.click(tid('like-button'));
    current = anon;
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      const n = Number((await anon.locator(tid('like-count')).first().innerText()).replace(/\D/g, '') || 0);
      if (n >= before + 5) break;
      if (Date.now() > deadline) throw new Error(`likes stayed at ${n} (from ${before})`);
      await anon.waitForTimeout(200);
    }
  });
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
