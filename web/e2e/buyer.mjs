#!/usr/bin/env node
// Browser end-to-end test of buying (journey "buy"), against a running
// liveshop server, in one of two ways:
//
//   from a shop (PRODUCT_ID): sign in as a buyer → open a product → add it
//   to the cart → open the cart → check out with a new address → pay on
//   the sandbox pay page → back on the order, which is paid;
//
//   from a live room (ROOM_ID, a live room whose host explains a product):
//   a buyer with no saved address taps Buy on the explain card; the sheet
//   asks for an address inline (an empty one is refused field by field),
//   Pay places the order and the sandbox page pays it; back in the room,
//   the second purchase takes two taps: Buy on the card, Pay in the sheet
//   (the address is remembered) → the pay page → the order, paid, with its
//   progress timeline.
//
// Environment: BASE_URL, BUYER_EMAIL, BUYER_PASSWORD (an existing account),
// PRODUCT_ID or ROOM_ID, CHROMIUM (default /usr/bin/chromium),
// JOURNEY_SIZE (phone|desktop), SHOTS_DIR. Exits 0 on success; on failure
// prints the step and writes a screenshot to web/test-results/. Stops by
// itself within 80 s.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { contextOptions, shot, SIZE } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const { BUYER_EMAIL = '', BUYER_PASSWORD = '', PRODUCT_ID = '', ROOM_ID = '' } = process.env;
// The two modes are two journeys in the screenshot gallery.
const JOURNEY = ROOM_ID ? 'buy-in-room' : 'buy';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 15_000;
const LIMIT_MS = 80_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

if (!BUYER_EMAIL || !BUYER_PASSWORD || (!PRODUCT_ID && !ROOM_ID)) {
  console.error('buyer e2e: set BUYER_EMAIL, BUYER_PASSWORD and PRODUCT_ID or ROOM_ID');
  process.exit(2);
}

let browser;
let page;
let step = 'starting';
const watchdog = setTimeout(() => {
  console.error(`FAIL buyer e2e at step "${step}": took longer than ${LIMIT_MS / 1000}s`);
  process.exit(1);
}, LIMIT_MS);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

/** payAndSeeOrder pays on the sandbox page and waits for the order, paid. */
async function payAndSeeOrder() {
  await page.waitForURL(/\/sandbox\/pay\//);
  await shot(page, JOURNEY, 'pay-page');
  await page.click(tid('sandbox-pay'));
  await page.waitForURL(/\/orders\/ord_[a-z0-9]+/);
  await page.locator(tid('order-status')).filter({ hasText: /paid/i }).first().waitFor();
}

/** openRoomCard opens the room and waits for the product being explained, with its Buy button. */
async function openRoomCard() {
  await page.goto(`${BASE_URL}/live/${ROOM_ID}`);
  await page.locator(`${tid('room')}[data-status="live"]`).waitFor();
  await page.locator(tid('explain-buy')).waitFor();
}

try {
  await run(`launch chromium (${SIZE})`, async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
    page = await browser.newPage(contextOptions());
    page.setDefaultTimeout(STEP_MS);
  });
  await run('sign in as the buyer', async () => {
    await page.goto(`${BASE_URL}/signin`);
    await page.fill(tid('signin-email'), BUYER_EMAIL);
    await page.fill(tid('signin-password'), BUYER_PASSWORD);
    await page.click(tid('signin-submit'));
    await page.locator(tid('current-user')).waitFor();
  });

  if (ROOM_ID) {
    await run('in the live room, Buy on the explain card opens the sheet with a SKU picked', async () => {
      await openRoomCard();
      await shot(page, JOURNEY, 'room');
      await page.click(tid('explain-buy'));
      await page.locator(tid('product-sheet')).waitFor();
      await page.locator(`${tid('sheet-option')}[aria-checked="true"]`).first().waitFor();
      await page.locator(tid('address-name')).waitFor(); // no saved address yet: the form is inline
    });
    await run('an empty address is refused field by field', async () => {
      await page.click(tid('sheet-buy'));
      await page.locator(tid('field-error-address.name')).waitFor();
      await shot(page, JOURNEY, 'address-needed');
    });
    await run('with an address, Pay places the order and the sandbox page pays it', async () => {
      const address = { name: 'Lin Xiaoyu', phone: '13800000000', line1: '88 Wensan Road', city: 'Hangzhou', region: 'Zhejiang' };
      for (const [k, v] of Object.entries(address)) await page.fill(tid(`address-${k}`), v);
      await page.click(tid('sheet-buy'));
      await payAndSeeOrder();
    });
    await run('back in the room, the second purchase takes two taps: Buy, Pay', async () => {
      await openRoomCard();
      await page.click(tid('explain-buy')); // tap 1
      const pay = page.locator(`${tid('sheet-buy')}:not([disabled])`);
      await pay.waitFor();
      if (await page.locator(tid('address-name')).count()) throw new Error('the sheet asks for the address again: it was not remembered');
      const label = await pay.innerText();
      if (!/Pay/.test(label)) throw new Error(`the sheet's button says "${label}", want "Pay ¥…"`);
      await shot(page, JOURNEY, 'two-taps');
      await pay.click(); // tap 2
      await payAndSeeOrder();
    });
    await run('the order shows its progress', async () => {
      await page.locator(`${tid('order-tracking')} [data-step="paid"][data-state="current"]`).waitFor();
      await shot(page, JOURNEY, 'order');
    });
  } else {
    await run('open the product and add it to the cart', async () => {
      await page.goto(`${BASE_URL}/products/${PRODUCT_ID}`);
      await page.locator(tid('product-title')).waitFor();
      await shot(page, JOURNEY, 'product');
      await page.click(tid('add-to-cart'));
      await page.getByText('In your cart').waitFor();
    });
    await run('open the cart', async () => {
      await page.goto(`${BASE_URL}/cart`);
      await page.locator(tid('cart-item')).first().waitFor();
      const items = await page.locator(tid('cart-item')).count();
      if (items !== 1) throw new Error(`the cart shows ${items} items, want 1`);
      await shot(page, JOURNEY, 'cart');
    });
    await run('check out with a new address', async () => {
      await page.click(tid('cart-checkout'));
      await page.locator(tid('checkout-form')).waitFor();
      if (await page.locator(tid('address-new')).count()) await page.check(tid('address-new'));
      const address = { name: 'Lin Xiaoyu', phone: '13800000000', line1: '88 Wensan Road', city: 'Hangzhou', region: 'Zhejiang' };
      for (const [k, v] of Object.entries(address)) await page.fill(tid(`address-${k}`), v);
      await shot(page, JOURNEY, 'checkout');
      await page.click(tid('place-order'));
    });
    await run('pay on the sandbox pay page and see the order paid', async () => {
      await payAndSeeOrder();
      await page.locator(tid('order-tracking')).waitFor();
      await shot(page, JOURNEY, 'order');
    });
  }
  clearTimeout(watchdog);
  await browser.close();
  log('PASS buyer e2e');
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL buyer e2e at step "${step}": ${e.message}`);
  try {
    mkdirSync(RESULTS, { recursive: true });
    await page?.screenshot({ path: join(RESULTS, 'buyer-failure.png'), fullPage: true, timeout: 5000 });
    console.error(`page: ${page?.url()}\nscreenshot: ${join(RESULTS, 'buyer-failure.png')}`);
  } catch {
    // no page
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}
