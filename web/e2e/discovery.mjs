#!/usr/bin/env node
// Browser end-to-end test of discovery (docs/DISCOVERY.md) against
// `liveshop demo` with the demo room live, on a phone-sized viewer page
// and a laptop-sized operator page:
//
//   1. the demo viewer (who follows the demo host) opens the home feed: the
//      live demo room comes first, marked "followed host";
//   2. the watch feed (/watch): the demo room's card plays muted (and axe-core
//      finds no serious WCAG 2 A/AA problem there), "next"
//      moves to the next card and back, and tapping the card opens the room;
//   3. the bell shows the `live` notification the room's start sent, and the
//      notification centre lists it, in English and then in Chinese;
//   3. search finds the room and the rice by their Chinese name;
//   4. the schedule lists the upcoming demo sessions; the one the viewer
//      asked to be reminded of shows its preview with "remind me" on;
//   5. the rural channel lists the demo room;
//   6. the operator opens the studio's live dashboard while the viewer
//      watches the room and follows the shop from it: the dashboard shows
//      someone watching and the new follower, live;
//   7. the operator opens the session report with its CSV link.
//
// Environment:
//   BASE_URL                           the server (default http://127.0.0.1:8080)
//   SESSION_ID                         the live demo room (default "demo")
//   VIEWER_EMAIL, VIEWER_PASSWORD      the demo viewer (follows the demo host, has a reminder)
//   OPERATOR_EMAIL, OPERATOR_PASSWORD  the demo room's shop owner
//   CHROMIUM                           default /usr/bin/chromium
//   JOURNEY_SIZE, SHOTS_DIR            the viewer's screen size and screenshots (lib/journey.mjs)
// Exits 0 on success; on failure prints the step and writes screenshots to
// web/test-results/. Stops by itself within 150 s.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { contextOptions, shot } from './lib/journey.mjs';

const env = process.env;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BASE_URL = (env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SESSION_ID = env.SESSION_ID || 'demo';
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 20_000;
const LIMIT_MS = 150_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

const missing = ['VIEWER_EMAIL', 'VIEWER_PASSWORD', 'OPERATOR_EMAIL', 'OPERATOR_PASSWORD'].filter((k) => !env[k]);
if (missing.length) {
  console.error(`discovery e2e: set ${missing.join(', ')}`);
  process.exit(2);
}

let browser;
let step = 'starting';
const pages = {};
const consoleErrors = {};
const watchdog = setTimeout(() => {
  console.error(`FAIL discovery e2e at step "${step}": took longer than ${LIMIT_MS / 1000}s`);
  process.exit(1);
}, LIMIT_MS);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

async function expect(who, locator, what, timeout = STEP_MS) {
  try {
    await locator.first().waitFor({ timeout, state: 'visible' });
  } catch {
    throw new Error(`${who} did not see ${what} within ${timeout / 1000}s`);
  }
}

/** expectNumber waits until a counter's text, read as a number, satisfies ok. */
async function expectNumber(who, locator, what, ok, timeout = STEP_MS) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.first().innerText().catch(() => '')) || '').trim();
    const n = Number((last.match(/-?\d+(\.\d+)?/) || [''])[0]);
    if (last !== '' && ok(n)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${who}: ${what} was "${last}" after ${timeout / 1000}s`);
}

/** axeSerious runs axe-core (WCAG 2 A/AA) on the page and returns its serious and critical findings. */
async function axeSerious(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'], preload: false }),
  );
  return res.violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .flatMap((x) => x.nodes.map((n) => `${x.id} (${x.impact}) at ${n.target.join(' ')}: ${(n.failureSummary || x.help).replace(/\s+/g, ' ').slice(0, 200)}`));
}

/** waitPlaying waits until a video's currentTime moves on. */
async function waitPlaying(video, what, timeout = 25_000) {
  const t0 = await video.evaluate((el) => el.currentTime);
  const deadline = Date.now() + timeout;
  for (;;) {
    const t = await video.evaluate((el) => el.currentTime);
    if (t > t0 + 0.3) return;
    if (Date.now() > deadline) throw new Error(`${what}: currentTime stuck at ${t} (from ${t0})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function newPage(role, ctxOptions) {
  const ctx = await browser.newContext(ctxOptions);
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  consoleErrors[role] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors[role] = [...consoleErrors[role], m.text()].slice(-8);
  });
  page.on('pageerror', (e) => {
    consoleErrors[role] = [...consoleErrors[role], `uncaught: ${e.message}`].slice(-8);
  });
  pages[role] = page;
  return page;
}

async function signIn(role, page, email, password) {
  await page.goto(`${BASE_URL}/signin`);
  await page.fill(tid('signin-email'), email);
  await page.fill(tid('signin-password'), password);
  await page.click(tid('signin-submit'));
  await expect(role, page.locator(tid('current-user')), `itself signed in as ${email}`);
}

try {
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
  });

  const v = await newPage('viewer', contextOptions());
  await run('the viewer signs in and sees the followed live room first in the feed', async () => {
    await signIn('viewer', v, env.VIEWER_EMAIL, env.VIEWER_PASSWORD);
    await v.goto(`${BASE_URL}/`);
    await expect('viewer', v.locator(tid('home-feed')), 'the home feed');
    const first = v.locator(tid('feed-item')).first();
    await expect('viewer', first, 'a room in the feed');
    const href = await first.getAttribute('href');
    if (href !== `/live/${SESSION_ID}`) throw new Error(`the first feed room links to ${href}, want /live/${SESSION_ID}`);
    await expect('viewer', first.locator(tid('feed-reason')).filter({ hasText: 'followed host' }), 'the reason "followed host"');
    await expect('viewer', first.locator(tid('live-badge')), 'the LIVE badge on it');
    await shot(v, 'discover', 'feed');
  });

  await run('the watch feed plays the demo room muted on its first card', async () => {
    await v.locator(tid('feed-watch')).first().click();
    await v.waitForURL(`${BASE_URL}/watch`);
    await expect('viewer', v.locator(tid('watch-feed')), 'the watch feed');
    const card = v.locator(`${tid('watch-card')}[data-active="true"]`);
    await expect('viewer', card, 'a card on screen');
    const id = await card.first().getAttribute('data-session-id');
    if (id !== SESSION_ID) throw new Error(`the first card on screen is ${id}, want ${SESSION_ID}`);
    const video = card.locator(tid('watch-video')).first();
    await expect('viewer', video, 'the preview video');
    await waitPlaying(video, 'the preview');
    if (!(await video.evaluate((el) => el.muted))) throw new Error('the preview plays with sound');
    if ((await v.locator(tid('watch-video')).count()) > 2) throw new Error('more than two preview players exist');
    await expect('viewer', card.locator(tid('watch-product')), 'the product on the card');
    await expect('viewer', card.locator(tid('follow-host-button')), 'the follow button on the card');
    await expect('viewer', card.locator(`${tid('watch-unmute')}[aria-pressed="false"]`), 'the sound button, off');
    await shot(v, 'discover', 'watch');
    const found = await axeSerious(v);
    if (found.length) throw new Error(`the watch feed has accessibility violations:\n  ${found.join('\n  ')}`);
  });

  await run('"next" moves to the next room and "previous" back', async () => {
    await v.locator(tid('watch-next')).click();
    await v.waitForFunction(
      (id) => document.querySelector('[data-testid="watch-card"][data-active="true"]')?.getAttribute('data-session-id') !== id,
      SESSION_ID,
      { timeout: STEP_MS },
    );
    if ((await v.locator(tid('watch-video')).count()) > 1) throw new Error('the first room still plays after moving on');
    await v.waitForTimeout(500); // the smooth scroll settles before the screenshot
    await shot(v, 'discover', 'watch-next');
    await v.locator(tid('watch-prev')).click();
    const demoOn = v.locator(`${tid('watch-card')}[data-active="true"][data-session-id="${SESSION_ID}"]`);
    await expect('viewer', demoOn, 'the demo room on screen again');
    // A swipe is a scroll of the feed by one screen; the snap and the player follow.
    await v.locator(tid('watch-feed')).evaluate((el) => el.scrollBy({ top: el.clientHeight, behavior: 'instant' }));
    await v.waitForFunction(() => document.querySelectorAll('[data-testid="watch-card"]')[1]?.getAttribute('data-active') === 'true', null, {
      timeout: STEP_MS,
    });
    // The keyboard: ArrowUp goes back.
    await v.keyboard.press('ArrowUp');
    await expect('viewer', demoOn, 'the demo room on screen after ArrowUp');
    await waitPlaying(v.locator(`${tid('watch-card')}[data-active="true"] ${tid('watch-video')}`).first(), 'the preview again');
  });

  await run('tapping the card opens the room', async () => {
    await v.locator(`${tid('watch-card')}[data-active="true"] ${tid('watch-open')}`).first().click();
    await v.waitForURL(`${BASE_URL}/live/${SESSION_ID}`);
    await expect('viewer', v.locator(tid('player')), 'the room player');
    await shot(v, 'discover', 'room-from-watch');
  });

  await run('the bell shows the live notification, and the centre lists it', async () => {
    // The phone room is full screen (no header): the viewer leaves it for the home page.
    await v.goto(`${BASE_URL}/`);
    await expectNumber('viewer', v.locator(tid('bell-count')), 'the unread count', (n) => n >= 1, 25_000);
    await v.locator(tid('bell')).first().click();
    await expect('viewer', v.locator(tid('notifications')), 'the notification centre');
    await expect('viewer', v.locator(tid('notification')).filter({ hasText: /live/i }), 'a "live" notification');
    await shot(v, 'discover', 'notifications');
  });

  await run('in Chinese, the notification centre writes the live notification in Chinese', async () => {
    await v.evaluate(() => localStorage.setItem('liveshop.locale', 'zh-CN'));
    await v.reload();
    await expect('viewer', v.locator(tid('notification')).filter({ hasText: '开播了' }), 'the live notification in Chinese');
    const text = await v.locator(tid('notification')).first().innerText();
    if (/is live|Watch now/.test(text)) throw new Error(`the notification is still in English: ${text}`);
    await shot(v, 'discover', 'notifications-zh');
    await v.evaluate(() => localStorage.setItem('liveshop.locale', 'en'));
  });

  await run('search finds the room and the rice by their Chinese name', async () => {
    await v.goto(`${BASE_URL}/search?q=${encodeURIComponent('五常')}`);
    await expect('viewer', v.locator(tid('search-page')), 'the search page');
    await expect('viewer', v.locator(`${tid('search-result')}[href="/live/${SESSION_ID}"]`), 'the live room among the results');
    await expect('viewer', v.locator(`${tid('search-result')}[href^="/products/"]`), 'a product among the results');
    await shot(v, 'discover', 'search');
  });

  await run('the schedule lists upcoming sessions, and the reminded one shows its preview', async () => {
    await v.goto(`${BASE_URL}/schedule`);
    await expect('viewer', v.locator(tid('schedule')), 'the schedule');
    const silk = v.locator(tid('schedule-item')).filter({ hasText: 'Silk scarves' });
    await expect('viewer', silk, 'the silk scarves session');
    if ((await v.locator(tid('schedule-item')).count()) < 3) throw new Error('fewer than 3 upcoming sessions on the schedule');
    const link = silk.locator('a[href^="/live/"]').first();
    await link.click();
    await expect('viewer', v.locator(tid('session-preview')), 'the preview page');
    await expect('viewer', v.locator(tid('preview-products')), 'the products to be shown');
    await expect('viewer', v.locator(`${tid('remind-button')}[aria-pressed="true"]`), '"remind me" on');
    await shot(v, 'discover', 'preview');
  });

  await run('the rural channel lists the live demo room', async () => {
    await v.goto(`${BASE_URL}/channels/rural`);
    await expect('viewer', v.locator(tid('channel-page')), 'the rural channel');
    await expect('viewer', v.locator(`${tid('feed-item')}[href="/live/${SESSION_ID}"]`), 'the demo room in it');
    await shot(v, 'discover', 'rural');
  });

  const op = await newPage('operator', { viewport: { width: 1280, height: 1000 } });
  await run('the operator opens the live dashboard', async () => {
    await signIn('operator', op, env.OPERATOR_EMAIL, env.OPERATOR_PASSWORD);
    await op.goto(`${BASE_URL}/studio/${SESSION_ID}`);
    await expect('operator', op.locator(tid('dashboard')), 'the live dashboard');
  });

  await run('the viewer watches the room and follows the shop; the dashboard counts both live', async () => {
    await v.goto(`${BASE_URL}/live/${SESSION_ID}`);
    await expect('viewer', v.locator(tid('follow-shop-button')), 'the follow-shop button');
    await expectNumber('operator', op.locator(tid('dash-current')), 'watching now', (n) => n >= 1, 25_000);
    const before = Number(((await op.locator(tid('dash-followers')).first().innerText()).match(/\d+/) || ['0'])[0]);
    const btn = v.locator(tid('follow-shop-button')).first();
    if ((await btn.getAttribute('aria-pressed')) === 'true') throw new Error('the viewer already follows the shop');
    await btn.click();
    await expect('viewer', v.locator(`${tid('follow-shop-button')}[aria-pressed="true"]`), 'the shop followed');
    await expectNumber('operator', op.locator(tid('dash-followers')), 'new followers', (n) => n >= before + 1, 25_000);
    await shot(v, 'discover', 'room-followed');
    await shot(op, 'discover', 'dashboard');
  });

  await run('the operator opens the session report', async () => {
    await op.goto(`${BASE_URL}/reports/sessions/${SESSION_ID}`);
    await expect('operator', op.locator(tid('session-report')), 'the session report');
    await expect('operator', op.locator(tid('download-csv')), 'the CSV download link');
    await shot(op, 'discover', 'report');
  });

  clearTimeout(watchdog);
  await browser.close();
  log('PASS discovery e2e');
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL discovery e2e at step "${step}": ${e.message}`);
  mkdirSync(RESULTS, { recursive: true });
  for (const [role, page] of Object.entries(pages)) {
    const shot = join(RESULTS, `discovery-failure-${role}.png`);
    try {
      await page.screenshot({ path: shot, fullPage: true, timeout: 5000 });
      console.error(`${role}: ${page.url()}\n  screenshot: ${shot}`);
    } catch {
      console.error(`${role}: no screenshot`);
    }
    for (const line of consoleErrors[role] ?? []) console.error(`  console: ${line}`);
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}
