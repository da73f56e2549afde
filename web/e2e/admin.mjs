#!/usr/bin/env node
// Browser journey "admin", against a running `liveshop demo`: a viewer
// chats in the demo room and another viewer reports the line; the platform
// admin signs in, opens the admin console, creates a fee programme (a bad
// fee first, refused inline), changes that programme's fee and a shop's own
// fee, reads the audit log, finds the report in the moderation queue and
// deletes the message; the message disappears from the room.
//
// Environment: BASE_URL, ROOM_ID (a live room), ADMIN_EMAIL, ADMIN_PASSWORD,
// AUTHOR_EMAIL, AUTHOR_PASSWORD, REPORTER_EMAIL, REPORTER_PASSWORD, TEXT (the
// chat line to post), JOURNEY_SIZE (phone or desktop: the admin's screen),
// SHOTS_DIR, CHROMIUM (default /usr/bin/chromium). The two viewers use a
// laptop-sized window: the room shows report buttons in its side panel.
// Exits 0 on success; on failure prints the step and writes a screenshot to
// web/test-results/. Stops by itself within 170 s.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { contextOptions, SIZE, SIZES, shot } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const env = process.env;
const ROOM_ID = env.ROOM_ID || 'demo';
const TEXT = env.TEXT || `Buy followers cheap ${Date.now()}`;
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 15_000;
const J = 'admin';
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

for (const k of ['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'AUTHOR_EMAIL', 'AUTHOR_PASSWORD', 'REPORTER_EMAIL', 'REPORTER_PASSWORD']) {
  if (!env[k]) {
    console.error(`admin e2e: set ${k}`);
    process.exit(2);
  }
}

let browser;
let current;
let step = 'starting';
const errors = [];
const watchdog = setTimeout(() => {
  console.error(`FAIL admin e2e at step "${step}": took longer than 170s`);
  process.exit(1);
}, 170_000);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

async function open(options) {
  const ctx = await browser.newContext(options);
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

async function signIn(page, email, password) {
  await page.goto(`${BASE_URL}/signin`);
  await page.fill(tid('signin-email'), email);
  await page.fill(tid('signin-password'), password);
  await page.click(tid('signin-submit'));
  await page.locator(tid('current-user')).waitFor({ state: 'attached' });
}

/** axe fails the step on serious or critical WCAG 2 A/AA findings (as audit.mjs counts them). */
async function axe(page, where) {
  await page.waitForFunction(() => !document.querySelector('.loading, .spinner'), null, { timeout: 8000 }).catch(() => {});
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'], preload: false }),
  );
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const list = bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ');
    throw new Error(`accessibility on ${where}: ${list}`);
  }
}

/** line is the room's chat line carrying TEXT. */
const line = (page) => page.locator(tid('chat-line')).filter({ hasText: TEXT });

try {
  let author;
  let reporter;
  let admin;
  const code = `coop_${Date.now().toString(36)}`;
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--mute-audio'],
    });
  });
  await run('a viewer chats in the demo room', async () => {
    author = await open(SIZES.desktop);
    current = author;
    await signIn(author, env.AUTHOR_EMAIL, env.AUTHOR_PASSWORD);
    await author.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await author.fill(tid('chat-input'), TEXT);
    await author.click(tid('chat-send'));
    await line(author).first().waitFor();
  });
  await run('another viewer reports the line', async () => {
    reporter = await open(SIZES.desktop);
    current = reporter;
    await signIn(reporter, env.REPORTER_EMAIL, env.REPORTER_PASSWORD);
    await reporter.goto(`${BASE_URL}/live/${ROOM_ID}`);
    await line(reporter).first().waitFor();
    await line(reporter).first().locator(tid('chat-report')).click();
    await line(reporter).first().locator(tid('chat-report')).waitFor({ state: 'detached' });
  });
  await run('the admin signs in and opens the admin console', async () => {
    admin = await open(contextOptions());
    current = admin;
    await signIn(admin, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
    await admin.goto(`${BASE_URL}/admin/shops`);
    await admin.locator(tid('admin-tabs')).waitFor();
    await shot(admin, J, 'approvals');
    await admin.click(tid('admin-tab-programmes'));
    await admin.locator(tid('programmes')).waitFor();
    await admin.locator(tid('shop-fee')).first().waitFor();
    if (!(await admin.locator(tid('fees-lead')).innerText()).includes('new orders')) throw new Error('the page does not say fees apply to new orders');
    await shot(admin, J, 'programmes-and-fees');
    await axe(admin, 'programmes and fees');
  });
  await run('a fee over 50% is refused next to the field', async () => {
    await admin.click(tid('programme-new'));
    const form = admin.locator(tid('programme-create-form'));
    await form.locator(tid('programme-code')).fill(code);
    await form.locator(tid('programme-name')).fill('Cooperatives');
    await form.locator(tid('programme-description')).fill('Village cooperatives selling together.');
    await form.locator(tid('programme-fee')).fill('60');
    await form.locator(tid('programme-submit')).click();
    await form.locator(tid('field-error-platform_fee_bps')).waitFor();
    await shot(admin, J, 'fee-refused');
  });
  await run('the admin creates a programme', async () => {
    const form = admin.locator(tid('programme-create-form'));
    await form.locator(tid('programme-fee')).fill('1.5');
    await form.locator(tid('programme-submit')).click();
    const card = admin.locator(`${tid('programme')}[data-code="${code}"]`);
    await card.locator(tid('programme-fee-value')).filter({ hasText: '1.5%' }).waitFor();
    await shot(admin, J, 'programme-created');
  });
  await run("the admin changes the programme's fee", async () => {
    const card = admin.locator(`${tid('programme')}[data-code="${code}"]`);
    await card.locator(tid('programme-edit')).click();
    await card.locator(tid('programme-fee')).fill('2');
    await card.locator(tid('programme-submit')).click();
    await admin.locator(`${tid('programme')}[data-code="${code}"] ${tid('programme-fee-value')}`).filter({ hasText: '2%' }).waitFor();
  });
  await run("the admin sets a shop's own fee", async () => {
    const shop = admin.locator(tid('shop-fee')).first();
    await shop.locator(tid('shop-fee-input')).fill('3');
    await shop.locator(tid('shop-fee-save')).click();
    await shop.locator(`${tid('shop-fee-effective')}[data-bps="300"]`).waitFor();
    await shop.locator(tid('shop-fee-effective')).scrollIntoViewIfNeeded();
    await shot(admin, J, 'shop-fee');
  });
  await run('the admin moves the shop into the new programme', async () => {
    const shop = admin.locator(tid('shop-fee')).first();
    await shop.locator(tid('shop-fee-clear')).click();
    await shop.locator(tid('shop-fee-clear')).waitFor({ state: 'detached' });
    await shop.locator(tid('shop-programme-select')).selectOption(code);
    await shop.locator(tid('shop-programme-save')).click();
    await shop.locator(`${tid('shop-fee-effective')}[data-bps="200"]`).waitFor();
    if (!(await shop.innerText()).includes('Cooperatives')) throw new Error('the shop card does not name its new programme');
    await shot(admin, J, 'shop-moved');
  });
  await run('the audit log shows the changes', async () => {
    await admin.click(tid('admin-tab-audit'));
    await admin.locator(`${tid('audit-entry')}[data-action="programme.create"][data-target="${code}"]`).waitFor();
    await admin.locator(`${tid('audit-entry')}[data-action="shop.fee"]`).first().waitFor();
    await admin.locator(`${tid('audit-entry')}[data-action="shop.programme"]`).first().waitFor();
    await shot(admin, J, 'audit-log');
    await axe(admin, 'audit log');
  });
  await run('the report is in the moderation queue', async () => {
    await admin.click(tid('admin-tab-moderation'));
    const report = admin.locator(tid('queued-report')).filter({ hasText: TEXT });
    await report.first().waitFor();
    await shot(admin, J, 'moderation-queue');
    await axe(admin, 'moderation queue');
  });
  await run('the admin deletes the message', async () => {
    const report = admin.locator(tid('queued-report')).filter({ hasText: TEXT }).first();
    const id = await report.getAttribute('data-report-id');
    await report.locator(tid('report-delete')).click();
    await admin.locator(`${tid('report-resolved')}[data-report-id="${id}"]`).waitFor();
    await shot(admin, J, 'report-resolved');
    // Refreshed, the queue no longer holds it.
    await admin.click(tid('queue-refresh'));
    await admin.locator(`${tid('queued-report')}[data-report-id="${id}"]`).waitFor({ state: 'detached' });
  });
  await run('the message disappears from the room', async () => {
    current = reporter;
    await line(reporter).waitFor({ state: 'detached' });
    current = author;
    await line(author).waitFor({ state: 'detached' });
  });
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  clearTimeout(watchdog);
  await browser.close();
  log(`PASS admin e2e (${SIZE})`);
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL admin e2e at step "${step}" (${SIZE}): ${e.message}`);
  if (errors.length) console.error(`page errors: ${errors.join('; ')}`);
  try {
    mkdirSync(RESULTS, { recursive: true });
    await current?.screenshot({ path: join(RESULTS, 'admin-failure.png'), fullPage: true, timeout: 5000 });
    console.error(`page: ${current?.url()}\nscreenshot: ${join(RESULTS, 'admin-failure.png')}`);
  } catch {
    // no page
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}
