#!/usr/bin/env node
// Browser end-to-end test of selling in the live room (docs/SELLING.md),
// against a running liveshop server, with three pages at once:
//
//   1. the operator opens the studio (and goes live from the fake camera
//      if the session is not live yet) while two signed-in viewers watch
//      the room;
//   2. the operator starts a flash sale of 2 units with a 10 s countdown:
//      both viewers see the countdown and the stock bar (2 of 2);
//   3. viewer 1 grabs when it opens and pays on the sandbox pay page;
//      viewer 2 sees the stock drop to 1, and so does the operator;
//   4. viewer 2 grabs the last unit and pays: the sale is sold out, exactly
//      (2 of 2, nothing more), for the viewers and the operator, and the
//      studio's dashboard totals count both paid orders and their sum;
//   5. the operator creates a coupon and drops it; viewer 2 grabs it;
//   6. the operator starts an auction; viewer 1 bids and leads, and the
//      operator and viewer 2 see the bid.
//
// Journey "flash-sale": the viewers' pages use the JOURNEY_SIZE of
// lib/journey.mjs (phone or desktop); the operator's studio stays at a
// laptop size (1280×800) whatever JOURNEY_SIZE says.
//
// Environment:
//   BASE_URL                            the server (default http://127.0.0.1:8080)
//   SESSION_ID                          a scheduled or live session (default "demo"): its shelf's first product
//                                       has a SKU with at least 3 in stock (2 for the sale, 1 for the auction)
//   OPERATOR_EMAIL, OPERATOR_PASSWORD   the shop's owner or staff (creates coupons, so not just the host)
//   VIEWER1_EMAIL, VIEWER1_PASSWORD     two other accounts; each gets a saved address if it has none
//   VIEWER2_EMAIL, VIEWER2_PASSWORD
//   CHROMIUM                            default /usr/bin/chromium
//   JOURNEY_SIZE, SHOTS_DIR             see lib/journey.mjs
// Exits 0 on success; on failure prints the step, what was expected, the
// pages' recent console errors, and writes a screenshot of each page to
// web/test-results/. Stops by itself within 180 s.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { contextOptions, shot, SIZE } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const env = process.env;
const SESSION_ID = env.SESSION_ID || 'demo';
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 20_000;
const LIMIT_MS = 180_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

const missing = ['OPERATOR_EMAIL', 'OPERATOR_PASSWORD', 'VIEWER1_EMAIL', 'VIEWER1_PASSWORD', 'VIEWER2_EMAIL', 'VIEWER2_PASSWORD'].filter((k) => !env[k]);
if (missing.length) {
  console.error(`selling e2e: set ${missing.join(', ')}`);
  process.exit(2);
}

let browser;
let step = 'starting';
/** The pages by role, for screenshots and console errors on failure. */
const pages = {};
const consoleErrors = {};
const watchdog = setTimeout(() => {
  console.error(`FAIL selling e2e at step "${step}": took longer than ${LIMIT_MS / 1000}s`);
  process.exit(1);
}, LIMIT_MS);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

/** expect waits for a locator to be visible, failing with what was expected and who did not see it. */
async function expect(who, locator, what, timeout = STEP_MS, state = 'visible') {
  try {
    await locator.first().waitFor({ timeout, state });
  } catch {
    throw new Error(`${who} did not see ${what} within ${timeout / 1000}s`);
  }
}

/**
 * outcome waits for `ok` (a locator or a promise) unless the page shows an
 * error in `errors` first: then it fails with the page's message (the
 * server's refusal), which says more than a timeout.
 */
async function outcome(who, ok, errors, what, timeout = STEP_MS) {
  const good = (typeof ok.waitFor === 'function' ? ok.first().waitFor({ timeout }) : ok).then(
    () => ({ ok: true }),
    (e) => ({ ok: false, e }),
  );
  const bad = errors
    .first()
    .waitFor({ timeout })
    .then(
      () => ({ ok: false, shown: true }),
      () => new Promise(() => {}), // no error shown: wait for the good outcome
    );
  const r = await Promise.race([good, bad]);
  if (r.ok) return;
  if (r.shown) {
    const text = (await errors.first().innerText().catch(() => '')).trim();
    throw new Error(`${who}: ${what} failed, the page says: "${text}"`);
  }
  throw new Error(`${who}: ${what} did not happen within ${timeout / 1000}s (${String(r.e?.message ?? r.e).split('\n')[0]})`);
}

/** OPERATOR_SIZE: the studio is run from a laptop in this journey, whatever size the viewers use. */
const OPERATOR_SIZE = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

async function newPage(role, ctxOptions) {
  const ctx = await browser.newContext(ctxOptions);
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('dialog', (d) => d.accept());
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

/** ensureAddress gives the signed-in user a saved address when they have none (buying and bidding need one). */
async function ensureAddress(role, page) {
  const r = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const list = await fetch('/api/v1/addresses');
    if (!list.ok) return `GET /api/v1/addresses: ${list.status} ${await list.text()}`;
    const items = (await list.json()).items ?? [];
    if (items.length > 0) return 'kept';
    const res = await fetch('/api/v1/addresses', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ name: 'E2E Buyer', phone: '13800000000', line1: '88 Wensan Road', city: 'Hangzhou', region: 'Zhejiang', country: 'CN', is_default: true }),
    });
    return res.ok ? 'created' : `POST /api/v1/addresses: ${res.status} ${await res.text()}`;
  });
  if (r !== 'kept' && r !== 'created') throw new Error(`${role}: could not save an address: ${r}`);
  log(`  ${role}: address ${r}`);
}

async function openRoom(role, page) {
  await page.goto(`${BASE_URL}/live/${SESSION_ID}`);
  await expect(role, page.locator(`${tid('room')}[data-status="live"][data-connection="open"]`), `the room live and connected (/live/${SESSION_ID})`);
}

try {
  await run(`launch chromium (viewers at ${SIZE} size)`, async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  });

  const op = await newPage('operator', { ...OPERATOR_SIZE, permissions: ['camera', 'microphone'] });
  await run('the operator signs in and opens the studio', async () => {
    await signIn('operator', op, env.OPERATOR_EMAIL, env.OPERATOR_PASSWORD);
    await op.goto(`${BASE_URL}/studio/${SESSION_ID}`);
    await expect('operator', op.locator(tid('selling-console')), 'the selling console in the studio');
  });
  await run('the session is live (going live from the fake camera if it is not)', async () => {
    const studio = op.locator(tid('studio'));
    await expect('operator', studio, 'the studio');
    const status = await studio.getAttribute('data-status');
    if (status === 'scheduled') {
      await op.click(tid('go-live'));
      await expect('operator', op.locator(tid('stop-live')), 'the Stop button after going live over WHIP');
    } else if (status !== 'live') {
      throw new Error(`the session ${SESSION_ID} is ${status}: it must be scheduled or live`);
    }
    await expect('operator', op.locator(`${tid('studio')}[data-status="live"]`), 'the session live in the studio', 30_000);
    // The SKU pickers are ready once the shelf's products are loaded.
    await expect('operator', op.locator(`${tid('flash-sku')} option[value]:not([value=""]):not([disabled])`), 'a shelf SKU with stock in the flash-sale form', STEP_MS, 'attached');
  });

  const v1 = await newPage('viewer1', contextOptions());
  const v2 = await newPage('viewer2', contextOptions());
  await run('two viewers sign in and watch the room', async () => {
    await signIn('viewer1', v1, env.VIEWER1_EMAIL, env.VIEWER1_PASSWORD);
    await ensureAddress('viewer1', v1);
    await signIn('viewer2', v2, env.VIEWER2_EMAIL, env.VIEWER2_PASSWORD);
    await ensureAddress('viewer2', v2);
    await openRoom('viewer1', v1);
    await openRoom('viewer2', v2);
  });

  /** The dashboard's totals before the sale: paid orders and GMV (in minor units). */
  const totals = async () => {
    const orders = (await op.locator(tid('dash-orders')).first().locator('.counter-value').innerText()).trim();
    const gmv = (await op.locator(tid('dash-gmv')).first().locator('.counter-value').innerText()).trim();
    const paid = Number((orders.match(/^(\d+)/) || ['', 'NaN'])[1]);
    return { paid, gmv: Number(gmv.replace(/[^\d]/g, '')), text: `${orders}, ${gmv}` };
  };
  let before;
  await run('the operator reads the dashboard totals', async () => {
    await expect('operator', op.locator(tid('dash-orders')), 'the dashboard\'s orders counter', 25_000);
    before = await totals();
    log(`  before: ${before.text}`);
  });

  let saleID = '';
  await run('the operator starts a flash sale: stock 2, countdown 10 s', async () => {
    const before = await op.locator(tid('console-sale')).count();
    await op.fill(tid('flash-stock-input'), '2');
    await op.fill(tid('flash-limit'), '1');
    await op.fill(tid('flash-countdown-input'), '10');
    await op.fill(tid('flash-duration'), '120');
    await op.click(tid('flash-start'));
    const card = op.locator('.card', { has: op.locator(tid('flash-start')) });
    await outcome('operator', op.locator(tid('console-sale')).nth(before), card.locator(`${tid('form-error')}, .field-error`), 'starting the flash sale');
    saleID = (await op.locator(tid('console-sale')).first().getAttribute('data-sale-id')) ?? '';
    if (!saleID) throw new Error('the new sale row has no data-sale-id');
    log(`  sale ${saleID}`);
  });

  const sale = (page) => page.locator(`${tid('flash-sale')}[data-sale-id="${saleID}"]`);
  await run('both viewers see the countdown and the stock bar (2 of 2)', async () => {
    for (const [role, page] of [['viewer1', v1], ['viewer2', v2]]) {
      await expect(role, sale(page), `the flash-sale panel of ${saleID}`);
      await expect(role, sale(page).locator(tid('flash-countdown')), 'the countdown to the start ("Starts in 0:0N")', 5000);
      await expect(role, sale(page).locator(`${tid('flash-stock')}[data-remaining="2"][data-stock="2"]`), 'the stock bar at 2 left of 2', 5000);
    }
    await shot(v2, 'flash-sale', 'countdown');
  });

  await run('viewer 1 grabs when the sale opens and lands on the sandbox pay page', async () => {
    await expect('viewer1', sale(v1).locator(tid('flash-grab')), 'the Grab button once the countdown ended', 25_000);
    await shot(v1, 'flash-sale', 'open');
    await v1.click(`${tid('flash-sale')}[data-sale-id="${saleID}"] ${tid('flash-grab')}`);
    await outcome('viewer1', v1.waitForURL(/\/sandbox\/pay\//, { timeout: STEP_MS }), sale(v1).locator(tid('form-error')), 'grab → order → payment');
  });

  await run('viewer 2 sees the stock drop to 1', async () => {
    await expect('viewer2', sale(v2).locator(`${tid('flash-stock')}[data-remaining="1"]`), 'the stock bar at 1 left (a sale.stock event)', 10_000);
  });

  await run('viewer 1 pays on the sandbox pay page and the order is paid', async () => {
    await v1.click(tid('sandbox-pay'));
    await v1.waitForURL(/\/orders\/ord_[a-z0-9]+/);
    await expect('viewer1', v1.locator(tid('order-status')).filter({ hasText: /paid/i }), 'the order marked paid');
  });

  await run('the operator sees the sale at 1 left', async () => {
    const row = op.locator(`${tid('console-sale')}[data-sale-id="${saleID}"]`);
    await expect('operator', row.locator(`${tid('console-sale-stock')}[data-remaining="1"]`), 'the console stock bar at 1 left', 10_000);
  });

  let price = 0;
  await run('viewer 2 grabs the last unit and pays', async () => {
    price = Number((await sale(v2).locator(tid('flash-price')).innerText()).replace(/[^\d]/g, ''));
    await expect('viewer2', sale(v2).locator(tid('flash-grab')), 'the Grab button with 1 left');
    await v2.click(`${tid('flash-sale')}[data-sale-id="${saleID}"] ${tid('flash-grab')}`);
    await outcome('viewer2', v2.waitForURL(/\/sandbox\/pay\//, { timeout: STEP_MS }), sale(v2).locator(tid('form-error')), 'grab → order → payment');
    await v2.click(tid('sandbox-pay'));
    await v2.waitForURL(/\/orders\/ord_[a-z0-9]+/);
    await expect('viewer2', v2.locator(tid('order-status')).filter({ hasText: /paid/i }), 'the order marked paid');
  });

  await run('the sale is sold out, exactly: the viewers and the operator see 0 left of 2', async () => {
    await openRoom('viewer1', v1);
    await expect('viewer1', sale(v1).locator(`${tid('flash-stock')}[data-remaining="0"][data-stock="2"]`), 'the stock bar at 0 left of 2', 10_000);
    // Viewer 1 bought one: the card says so ("You got one…") once it knows, else Sold out; never Grab.
    await expect('viewer1', sale(v1).locator(`${tid('flash-sold-out')}, ${tid('flash-paid')}`).first(), 'Sold out (or their own purchase) instead of Grab', 10_000);
    if (await sale(v1).locator(tid('flash-grab')).count()) throw new Error('viewer1 still sees a Grab button on a sold-out sale');
    await shot(v1, 'flash-sale', 'sold-out');
    const row = op.locator(`${tid('console-sale')}[data-sale-id="${saleID}"]`);
    await expect('operator', row.locator(`${tid('console-sale-stock')}[data-remaining="0"]`), 'the console stock bar at 0 left', 10_000);
  });

  await run('the dashboard totals count both paid orders and their sum', async () => {
    const want = { paid: before.paid + 2, gmv: before.gmv + 2 * price };
    const deadline = Date.now() + 25_000;
    let now;
    for (;;) {
      now = await totals();
      if (now.paid === want.paid && now.gmv === want.gmv) break;
      if (Date.now() > deadline) throw new Error(`operator: the dashboard shows ${now.text}; want ${want.paid} paid orders and GMV ${want.gmv} (minor units), from ${before.text} plus 2 × ${price}`);
      await op.waitForTimeout(500);
    }
    log(`  after: ${now.text}`);
    await shot(op, 'flash-sale', 'dashboard');
  });

  let couponID = '';
  await run('the operator creates a coupon and drops it in the room', async () => {
    const title = `E2E coupon ${Date.now()}`;
    await op.fill(tid('coupon-title'), title);
    await op.selectOption(tid('coupon-kind'), 'amount');
    await op.fill(tid('coupon-amount'), '1.00');
    await op.fill(tid('coupon-min-spend'), '0');
    await op.fill(tid('coupon-total'), '10');
    await op.fill(tid('coupon-per-user'), '1');
    await op.fill(tid('coupon-grab-seconds'), '120');
    await op.click(tid('coupon-create'));
    const card = op.locator('.card', { has: op.locator(tid('coupon-create')) });
    const row = op.locator(`${tid('console-coupon')}[data-title="${title}"]`);
    await outcome('operator', row, card.locator(`${tid('form-error')}, .field-error, ${tid('error-box')}`), 'creating the coupon');
    couponID = (await row.getAttribute('data-coupon-id')) ?? '';
    await row.locator(tid('coupon-drop')).click();
    await outcome('operator', row.locator(tid('coupon-drop')).filter({ hasText: 'In the room now' }), row.locator(tid('form-error')), 'dropping the coupon');
    log(`  coupon ${couponID}`);
  });

  await run('viewer 2 comes back to the room and grabs the coupon', async () => {
    await openRoom('viewer2', v2);
    const card = v2.locator(`${tid('coupon-card')}[data-coupon-id="${couponID}"]`);
    await expect('viewer2', card, `the dropped coupon ${couponID} (a coupon.dropped event)`, 10_000);
    await card.locator(tid('coupon-grab')).click();
    await outcome('viewer2', card.locator(tid('coupon-claimed')), card.locator(tid('form-error')), 'grabbing the coupon');
    await shot(v2, 'flash-sale', 'coupon');
  });

  let auctionID = '';
  await run('the operator starts an auction', async () => {
    const before = await op.locator(tid('console-auction')).count();
    await op.fill(tid('auction-duration'), '90');
    await op.click(tid('auction-start'));
    const card = op.locator('.card', { has: op.locator(tid('auction-start')) });
    await outcome('operator', op.locator(tid('console-auction')).nth(before), card.locator(`${tid('form-error')}, .field-error`), 'starting the auction');
    auctionID = (await op.locator(tid('console-auction')).first().getAttribute('data-auction-id')) ?? '';
    log(`  auction ${auctionID}`);
  });

  await run('viewer 1 bids in the room', async () => {
    const panel = v1.locator(`${tid('auction')}[data-auction-id="${auctionID}"]`);
    await expect('viewer1', panel, `the auction panel of ${auctionID}`, 10_000);
    await panel.locator(tid('auction-quick-bid')).first().click();
    await outcome('viewer1', panel.locator(tid('auction-you-lead')), panel.locator(tid('form-error')), 'bidding the next minimum');
    await shot(v1, 'flash-sale', 'auction');
  });

  await run('the operator and viewer 2 see the bid', async () => {
    await expect('operator', op.locator(`${tid('console-auction')}[data-auction-id="${auctionID}"][data-bids="1"]`), 'the auction with 1 bid', 10_000);
    const panel = v2.locator(`${tid('auction')}[data-auction-id="${auctionID}"]`);
    await expect('viewer2', panel.locator(tid('auction-leader')).filter({ hasText: /leads/ }), 'a leader on the auction (an auction.bid event)', 10_000);
  });

  clearTimeout(watchdog);
  await browser.close();
  log('PASS selling e2e');
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL selling e2e at step "${step}": ${e.message}`);
  mkdirSync(RESULTS, { recursive: true });
  for (const [role, page] of Object.entries(pages)) {
    const shot = join(RESULTS, `selling-failure-${role}.png`);
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
