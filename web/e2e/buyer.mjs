#!/usr/bin/env node
// Browser end-to-end test of buying (journey "buy"), against a running
// liveshop server, in one of two ways:
//
//   from a shop (PRODUCT_ID): sign in as a buyer → open a product → add it
//   to the cart → open the cart → check out with a new address → pay on
//   the sandbox pay page → back on the order, which is paid; then, with
//   MERCHANT_EMAIL, MERCHANT_PASSWORD and SHOP_ID, after-sales: the buyer
//   requests a refund with a reason and sees it requested (also on the
//   timeline); the merchant sees it under Refund requests (with its count)
//   and declines it with a reason; the buyer's bell counts the decline and
//   the notification centre lists it, linking to the order; the buyer sees
//   the reason, requests
//   again, withdraws, requests once more; the merchant approves; the buyer
//   sees the order refunded;
//
//   from a live room (ROOM_ID, a live room whose host explains a product):
//   a buyer with no saved address taps Buy on the explain card; the sheet
//   asks for an address inline (an empty one is refused field by field),
//   Pay places the order and the sandbox page pays it; back in the room,
//   the second purchase takes two taps: Buy on the card, Pay in the sheet
//   (the address is remembered) → the pay page → the order, paid, with its
//   progress timeline; then, with MERCHANT_EMAIL, MERCHANT_PASSWORD and
//   SHOP_ID (the room's shop), the merchant ships it with a carrier and a
//   tracking number and marks it delivered; the buyer's notification centre
//   lists both, the order shows the tracking number and when receipt is
//   confirmed automatically, and the buyer confirms receipt.
//
// Environment: BASE_URL, BUYER_EMAIL, BUYER_PASSWORD (an existing account),
// PRODUCT_ID or ROOM_ID, MERCHANT_EMAIL, MERCHANT_PASSWORD and SHOP_ID (the
// product's shop; optional), CHROMIUM (default /usr/bin/chromium),
// JOURNEY_SIZE (phone|desktop), SHOTS_DIR. Exits 0 on success; on failure
// prints the step and writes a screenshot to web/test-results/. Stops by
// itself within 80 s (110 s with the refund requests).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { contextOptions, shot, SIZE } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const { BUYER_EMAIL = '', BUYER_PASSWORD = '', PRODUCT_ID = '', ROOM_ID = '', MERCHANT_EMAIL = '', MERCHANT_PASSWORD = '', SHOP_ID = '' } = process.env;
// The refund requests need the shop's merchant, and an order bought from the shop.
const REFUNDS = !ROOM_ID && !!(MERCHANT_EMAIL && MERCHANT_PASSWORD && SHOP_ID);
// In a live room, the shop's merchant ships and delivers the second order and the buyer tracks it.
const TRACKING = !!ROOM_ID && !!(MERCHANT_EMAIL && MERCHANT_PASSWORD && SHOP_ID);
// The two modes are two journeys in the screenshot gallery.
const JOURNEY = ROOM_ID ? 'buy-in-room' : 'buy';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 15_000;
const LIMIT_MS = REFUNDS || TRACKING ? 110_000 : 80_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

if (!BUYER_EMAIL || !BUYER_PASSWORD || (!PRODUCT_ID && !ROOM_ID)) {
  console.error('buyer e2e: set BUYER_EMAIL, BUYER_PASSWORD and PRODUCT_ID or ROOM_ID');
  process.exit(2);
}

let browser;
let page;
let merchant; // the merchant's page, in a context of its own
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

/** signIn signs p in with email and password. */
async function signIn(p, email, password) {
  await p.goto(`${BASE_URL}/signin`);
  await p.fill(tid('signin-email'), email);
  await p.fill(tid('signin-password'), password);
  await p.click(tid('signin-submit'));
  await p.locator(tid('current-user')).waitFor();
}

/** requestRefund asks for a refund on the order page with reason and note; the order shows it requested. */
async function requestRefund(reason, note) {
  await page.click(tid('refund-request-open'));
  await page.locator(tid('refund-request-sheet')).waitFor();
  await page.check(tid(`refund-reason-${reason}`));
  await page.fill(tid('refund-note'), note);
  await page.click(tid('refund-request-submit'));
  await page.locator(tid('refund-request-sheet')).waitFor({ state: 'detached' });
  await page.locator(`${tid('refund-request')}[data-status="open"]`).waitFor();
}

/** merchantRequests opens the console's Refund requests tab and waits for its count to be n. */
async function merchantRequests(n) {
  await merchant.goto(`${BASE_URL}/merchant/shops/${SHOP_ID}?tab=orders`);
  await merchant.locator(`${tid('orders-tab-refund-requests')}[data-count="${n}"]`).waitFor();
  await merchant.click(tid('orders-tab-refund-requests'));
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
    await signIn(page, BUYER_EMAIL, BUYER_PASSWORD);
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
    if (TRACKING) {
      const orderURL = page.url().replace(/\?.*$/, '');
      const orderID = (orderURL.match(/ord_[a-z0-9]+/) || [''])[0];
      await run('the merchant ships the order with SF Express and a tracking number, then marks it delivered', async () => {
        const ctx = await browser.newContext(contextOptions());
        merchant = await ctx.newPage();
        merchant.setDefaultTimeout(STEP_MS);
        await signIn(merchant, MERCHANT_EMAIL, MERCHANT_PASSWORD);
        await merchant.goto(`${BASE_URL}/merchant/shops/${SHOP_ID}?tab=orders`);
        const card = merchant.locator(`${tid('shop-order')}[data-order-id="${orderID}"]`);
        await card.locator(tid('order-ship')).click();
        await card.locator(tid('ship-carrier')).fill('SF Express');
        await card.locator(tid('ship-tracking')).fill('SF1234567890');
        await shot(merchant, JOURNEY, 'merchant-ships');
        await card.locator(tid('ship-submit')).click();
        await card.locator(tid('order-deliver')).click();
        await card.locator(tid('order-deliver')).waitFor({ state: 'detached' });
      });
      await run('the buyer is told, and tracks the parcel on the order', async () => {
        await page.goto(`${BASE_URL}/notifications`);
        await page.locator(`${tid('notification')}[data-kind="order_shipped"]`).filter({ hasText: 'SF1234567890' }).waitFor();
        await page.locator(`${tid('notification')}[data-kind="order_delivered"]`).first().waitFor();
        await page.goto(orderURL);
        await page.locator(`${tid('order-tracking')} [data-step="delivered"][data-state="current"]`).waitFor();
        const number = await page.locator(`${tid('order-tracking')} ${tid('tracking-number')}`).innerText();
        if (number.trim() !== 'SF1234567890') throw new Error(`the tracking number shown is ${JSON.stringify(number)}`);
        await page.locator(tid('order-auto-complete')).waitFor();
        await shot(page, JOURNEY, 'parcel-delivered');
      });
      await run('the buyer confirms receipt', async () => {
        await page.click(tid('order-complete'));
        await page.locator(`${tid('order-tracking')} [data-step="completed"][data-state="current"]`).waitFor();
        await shot(page, JOURNEY, 'receipt-confirmed');
      });
    }
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
  if (REFUNDS) {
    const orderURL = page.url().replace(/\?.*$/, '');
    const orderID = (orderURL.match(/ord_[a-z0-9]+/) || [''])[0];
    page.on('dialog', (d) => d.accept()); // Withdraw asks to confirm
    await run('the buyer requests a refund with a reason and sees it requested', async () => {
      await page.goto(orderURL);
      await page.click(tid('refund-request-open'));
      await page.locator(tid('refund-request-sheet')).waitFor();
      // Every reason is a labelled radio; sending waits for one.
      await page.getByRole('radio', { name: 'It arrived damaged' }).waitFor();
      if (!(await page.locator(tid('refund-request-submit')).isDisabled())) throw new Error('the request can be sent without a reason');
      // "Other" needs a note: blanks pass the browser's check, the server names the field.
      await page.check(tid('refund-reason-other'));
      await page.fill(tid('refund-note'), '   ');
      await page.click(tid('refund-request-submit'));
      await page.locator(`${tid('refund-request-sheet')} ${tid('field-error-note')}`).waitFor();
      await page.check(tid('refund-reason-damaged'));
      await page.fill(tid('refund-note'), 'The bag was torn open');
      await page.waitForTimeout(300); // the sheet slides in
      await shot(page, JOURNEY, 'refund-request');
      await page.click(tid('refund-request-submit'));
      await page.locator(tid('refund-request-sheet')).waitFor({ state: 'detached' });
      await page.locator(`${tid('refund-request')}[data-status="open"]`).getByText('Refund requested').waitFor();
      await page.locator(`${tid('order-tracking')} [data-step="refund_request"][data-state="current"]`).waitFor();
      if (await page.locator(tid('refund-request-open')).count()) throw new Error('the order offers another request while one is open');
      await page.locator(tid('refund-request')).scrollIntoViewIfNeeded();
      await shot(page, JOURNEY, 'refund-requested');
    });
    await run('the merchant sees it under Refund requests and declines it with a reason', async () => {
      const ctx = await browser.newContext(contextOptions());
      merchant = await ctx.newPage();
      merchant.setDefaultTimeout(STEP_MS);
      await signIn(merchant, MERCHANT_EMAIL, MERCHANT_PASSWORD);
      await merchantRequests(1);
      const req = merchant.locator(`${tid('shop-order')}[data-order-id="${orderID}"] ${tid('shop-refund-request')}`);
      await req.locator(tid('shop-refund-reason')).filter({ hasText: 'It arrived damaged' }).waitFor();
      await req.locator(tid('shop-refund-note')).filter({ hasText: 'The bag was torn open' }).waitFor();
      await req.locator(tid('shop-refund-respond-by')).waitFor();
      await req.scrollIntoViewIfNeeded();
      await shot(merchant, JOURNEY, 'merchant-refund-requests');
      await req.locator(tid('refund-decline')).click();
      await merchant.locator(tid('refund-decline-sheet')).waitFor();
      await merchant.fill(tid('refund-decline-reason'), 'The photos show the bag sealed on delivery');
      await merchant.waitForTimeout(300); // the sheet slides in
      await shot(merchant, JOURNEY, 'merchant-decline');
      await merchant.click(tid('refund-decline-submit'));
      await merchant.locator(tid('refund-decline-sheet')).waitFor({ state: 'detached' });
      // The list refreshes: no open request is left.
      await merchant.locator(`${tid('orders-tab-refund-requests')}[data-count="0"]`).waitFor();
      await merchant.getByText('No open refund requests.').waitFor();
    });
    await run('the bell counts the decline; the notification centre lists it with a link to the order', async () => {
      await page.goto(`${BASE_URL}/`);
      const count = page.locator(tid('bell-count')).first();
      await count.waitFor();
      const unread = Number((await count.innerText()).replace(/\D/g, ''));
      if (!(unread >= 1)) throw new Error(`the bell shows ${unread} unread after the decline`);
      await page.locator(tid('bell')).first().click();
      await page.waitForURL(/\/notifications$/);
      const note = page.locator(`${tid('notification')}[data-kind="refund_declined"]`).first();
      await note.filter({ hasText: 'declined your refund request' }).waitFor();
      await note.filter({ hasText: 'Reason: The photos show the bag sealed on delivery' }).waitFor();
      const href = await note.getAttribute('href');
      if (href !== `/orders/${orderID}`) throw new Error(`the decline links to ${href}, want /orders/${orderID}`);
      if (!(await note.getAttribute('class')).includes('unread')) throw new Error('the decline is not shown unread');
      await shot(page, JOURNEY, 'notification-refund-declined');
      await note.click();
      await page.waitForURL((u) => u.pathname === `/orders/${orderID}`);
      await page.locator(`${tid('refund-request')}[data-status="declined"]`).waitFor();
    });
    await run('the buyer sees the decline with its reason and requests again', async () => {
      await page.goto(orderURL);
      await page.locator(`${tid('refund-request')}[data-status="declined"]`).getByText('Refund declined: The photos show the bag sealed on delivery').waitFor();
      await page.locator(tid('refund-request')).scrollIntoViewIfNeeded();
      await shot(page, JOURNEY, 'refund-declined');
      const again = await page.locator(tid('refund-request-open')).innerText();
      if (!/Request again/.test(again)) throw new Error(`the button after a decline says "${again}", want "Request again"`);
      await requestRefund('not_as_described', 'The rice is not the variety described');
    });
    await run('the buyer withdraws the request and asks once more', async () => {
      await page.click(tid('refund-withdraw'));
      await page.locator(`${tid('refund-request')}[data-status="withdrawn"]`).waitFor();
      await requestRefund('not_as_described', 'The rice is not the variety described');
    });
    await run('the merchant approves the refund', async () => {
      await merchantRequests(1);
      const req = merchant.locator(`${tid('shop-order')}[data-order-id="${orderID}"] ${tid('shop-refund-request')}`);
      await req.locator(tid('shop-refund-reason')).filter({ hasText: 'Not as described' }).waitFor();
      await req.locator(tid('refund-approve')).click();
      await merchant.locator(`${tid('orders-tab-refund-requests')}[data-count="0"]`).waitFor();
      await merchant.getByText('No open refund requests.').waitFor();
      await shot(merchant, JOURNEY, 'merchant-approved');
    });
    await run('the buyer sees the order refunded', async () => {
      await page.goto(orderURL);
      await page.locator(tid('order-status')).filter({ hasText: /refunded/i }).first().waitFor();
      await page.locator(`${tid('refund-request')}[data-status="approved"]`).waitFor();
      await page.locator(`${tid('order-tracking')} [data-step="refunded"][data-state="current"]`).waitFor();
      if (await page.locator(tid('refund-request-open')).count()) throw new Error('a refunded order offers a refund request');
      await shot(page, JOURNEY, 'refunded');
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
