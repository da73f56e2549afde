#!/usr/bin/env node
// Browser end-to-end test of live video, against a running liveshop demo:
//
//   1. the demo room plays over WebRTC (WHEP) and its video time advances;
//   2. with WHEP blocked, the room falls back to LL-HLS and still plays;
//   3. a host signs in, opens the studio of a scheduled session at the
//      journey's size (JOURNEY_SIZE: on a phone the camera fills the screen
//      and the panes are sheets; on a laptop they are columns), goes live
//      from the (fake) camera over WHIP, and explains a product with one tap
//      (phone: from the Products sheet; laptop: from the shelf column) while
//      a viewer page plays the room and shows the explain card; on a phone,
//      opening and closing sheets leaves the camera and the connection alone;
//   4. the host ends the session; its replay plays and jumps to the moment
//      the product was explained.
//
// Screenshots of the host's steps (journey "go-live") when SHOTS_DIR is set.
//
// Environment: BASE_URL, ROOM_ID (a live room), HOST_EMAIL, HOST_PASSWORD,
// SESSION_ID (a scheduled session the host operates), CHROMIUM (default
// /usr/bin/chromium). Exits 0 on success; on failure prints the step and
// writes a screenshot to web/test-results/. Stops by itself within 190 s.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { SIZE, contextOptions, shot } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const { ROOM_ID = 'demo', HOST_EMAIL = '', HOST_PASSWORD = '', SESSION_ID = '' } = process.env;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 20_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

let browser;
let current;
let step = 'starting';
const watchdog = setTimeout(() => {
  console.error(`FAIL live e2e at step "${step}": took longer than 190s`);
  process.exit(1);
}, 190_000);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

// playing waits until the player uses path and its time advances by 1 s.
async function playing(page, path) {
  const player = page.locator(`${tid('player')}[data-path="${path}"]`);
  await player.waitFor({ timeout: STEP_MS });
  const t0 = await player.evaluate((v) => v.currentTime);
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const t = await player.evaluate((v) => v.currentTime);
    if (t > t0 + 1) return t;
    if (Date.now() > deadline) throw new Error(`${path}: currentTime stuck at ${t} (from ${t0})`);
    await page.waitForTimeout(250);
  }
}

async function newPage(ctx) {
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('dialog', (d) => d.accept());
  current = page;
  return page;
}

try {
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  });
  await run('the demo room plays over WebRTC', async () => {
    const page = await newPage(await browser.newContext({ viewport: { width: 420, height: 900 } }));
    await page.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await playing(page, 'whep');
    await page.close();
  });
  await run('with WHEP blocked the room falls back to LL-HLS', async () => {
    const ctx = await browser.newContext({ viewport: { width: 420, height: 900 } });
    await ctx.route('**/whep', (route) => route.abort());
    const page = await newPage(ctx);
    await page.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await playing(page, 'hls');
    await ctx.close();
  });
  if (HOST_EMAIL && SESSION_ID) {
    const phone = SIZE === 'phone';
    const hostCtx = await browser.newContext(contextOptions({ permissions: ['camera', 'microphone'] }));
    const host = await newPage(hostCtx);
    const J = 'go-live';
    await run(`the host signs in and opens the studio (${SIZE})`, async () => {
      await host.goto(`${BASE_URL}/signin`);
      await host.fill(tid('signin-email'), HOST_EMAIL);
      await host.fill(tid('signin-password'), HOST_PASSWORD);
      await host.click(tid('signin-submit'));
      await host.locator(tid('current-user')).waitFor();
      await host.goto(`${BASE_URL}/studio/${SESSION_ID}`);
      await host.locator(`${tid('studio')}[data-layout="${phone ? 'phone' : 'wide'}"]`).waitFor();
      await host.locator(tid('go-live')).waitFor();
      await host.locator(`${tid('health-state')}[data-state="offline"]`).waitFor();
      await host.waitForFunction(() => document.querySelector('[data-testid="preview"]')?.readyState >= 2);
      await shot(host, J, 'studio-ready');
    });
    await run('the host looks at the OBS settings, then picks the camera', async () => {
      await host.locator(tid('source-obs')).check();
      await host.locator(tid('rtmp-server')).waitFor();
      await host.locator(tid('stream-key-copy')).waitFor();
      await host.locator(tid('obs-waiting')).waitFor();
      await shot(host, J, 'obs-settings');
      await host.locator(tid('source-camera')).check();
      await host.locator(tid('go-live')).waitFor();
    });
    await run('the host goes live from the camera over WHIP', async () => {
      await host.click(tid('go-live'));
      await host.locator(tid('stop-live')).waitFor({ timeout: STEP_MS });
      await host.locator(`${tid('studio')}[data-status="live"]`).waitFor({ timeout: STEP_MS });
      await host.locator(tid('elapsed')).waitFor();
      // Marks the camera's video element and the connection: a remount would lose both.
      await host.locator(tid('preview')).evaluate((v) => { v.dataset.mark = 'kept'; });
      await shot(host, J, 'on-air');
    });
    let viewer;
    await run('a viewer watches the host', async () => {
      viewer = await newPage(await browser.newContext(contextOptions()));
      await viewer.goto(`${BASE_URL}/live/${SESSION_ID}`);
      await playing(viewer, 'whep');
      current = host;
    });
    let productID = '';
    await run(`the host explains a product with one tap (${phone ? 'Products sheet' : 'shelf column'})`, async () => {
      await host.waitForTimeout(3000); // a few seconds into the live, so the replay's moment is past its start
      if (phone) {
        await host.click(tid('tab-products'));
        await host.locator(`${tid('pane-products')}[role="dialog"]`).waitFor();
        // The sheet is a modal dialog: the focus starts inside and Shift+Tab does not leave it.
        await host.keyboard.press('Shift+Tab');
        const inside = await host.evaluate(() => !!document.activeElement?.closest('[data-testid="pane-products"]'));
        if (!inside) throw new Error('the focus left the Products sheet');
      }
      const item = host.locator(`${tid('pane-products')} ${tid('shelf-item')}`).first();
      productID = (await item.getAttribute('data-product-id')) ?? '';
      await item.locator(`${tid('explain')}:not([disabled])`).click({ timeout: STEP_MS });
      await host.locator(`${tid('shelf-item')}[data-product-id="${productID}"][data-explaining="true"]`).waitFor();
      await item.locator(tid('explain')).filter({ hasText: 'Explaining' }).waitFor();
      await shot(host, J, 'explaining');
    });
    await run('the viewer sees the explain card', async () => {
      current = viewer;
      await viewer.locator(`${tid('explaining-card')}[data-product-id="${productID}"]`).waitFor({ timeout: STEP_MS });
      await shot(viewer, J, 'viewer-explain-card');
      current = host;
    });
    if (phone) {
      await run('sheets open and close over the camera without touching it', async () => {
        await host.keyboard.press('Escape');
        await host.locator(tid('pane-products')).waitFor({ state: 'hidden' });
        for (const tab of ['sell', 'chat', 'stats']) {
          await host.click(tid(`tab-${tab}`));
          await host.locator(`${tid(`pane-${tab}`)}[role="dialog"]`).waitFor();
          await shot(host, J, `sheet-${tab}`);
        }
        await host.click(tid('sheet-close') + ':visible');
        await host.locator(tid('pane-stats')).waitFor({ state: 'hidden' });
        const mark = await host.locator(tid('preview')).getAttribute('data-mark');
        if (mark !== 'kept') throw new Error('the camera preview was mounted again');
        await host.locator(tid('stop-live')).waitFor();
        const t0 = await host.locator(tid('preview')).evaluate((v) => v.currentTime);
        await host.waitForTimeout(1500);
        const t1 = await host.locator(tid('preview')).evaluate((v) => v.currentTime);
        if (!(t1 > t0)) throw new Error(`the camera preview stopped (${t0} → ${t1})`);
      });
    }
    await run('the viewer still plays; the host ends the session', async () => {
      await playing(viewer, 'whep');
      await viewer.context().close();
      await host.waitForTimeout(3000); // the product moment lies a few seconds into the replay
      if (phone) await host.click(tid('stop-live')); // End: the WHIP DELETE ends the session
      else await host.click(tid('end-session'));
      await host.locator(`${tid('studio')}:is([data-status="ended"], [data-status="replay"])`).waitFor({ timeout: STEP_MS });
      await shot(host, J, 'ended');
    });
    await run('the replay plays and jumps to the product moment', async () => {
      const page = await newPage(await browser.newContext(contextOptions()));
      await page.goto(`${BASE_URL}/live/${SESSION_ID}`);
      await page.locator(`${tid('player')}[data-path="replay"]`).waitFor({ timeout: 40_000 });
      await playing(page, 'replay');
      await page.locator(tid('player')).evaluate((v) => { v.pause(); v.currentTime = 0; });
      await page.locator(tid('moment')).first().click();
      const deadline = Date.now() + STEP_MS;
      for (;;) {
        const t = await page.locator(tid('player')).evaluate((v) => v.currentTime);
        if (t >= 3) break; // paused at 0 before the click: only the seek gets it there
        if (Date.now() > deadline) throw new Error(`replay did not seek to the moment (currentTime ${t})`);
        await page.waitForTimeout(250);
      }
      await shot(page, J, 'replay-moment');
    });
  }
  clearTimeout(watchdog);
  await browser.close();
  log('PASS live e2e');
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL live e2e at step "${step}": ${e.message}`);
  try {
    mkdirSync(RESULTS, { recursive: true });
    await current?.screenshot({ path: join(RESULTS, 'live-failure.png'), fullPage: true, timeout: 5000 });
    console.error(`page: ${current?.url()}\nscreenshot: ${join(RESULTS, 'live-failure.png')}`);
  } catch {
    // no page
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}
