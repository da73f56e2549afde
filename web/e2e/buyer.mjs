#!/usr/bin/env node
// Browser end-to-end test of buying, against a running liveshop server:
//
//   sign in as a buyer → open a product → add it to the cart → open the
//   cart → check out with a new address → pay on the sandbox pay page →
//   back on the order, which is paid.
//
// Environment: BASE_URL, BUYER_EMAIL, BUYER_PASSWORD (an existing account),
// PRODUCT_ID (an active product with stock), CHROMIUM (default
// /usr/bin/chromium). Exits 0 on success; on failure prints the step and
// writes a screenshot to web/test-results/. Stops by itself within 60 s.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const { BUYER_EMAIL = '', BUYER_PASSWORD = '', PRODUCT_ID = '' } = process.env;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const STEP_MS = 10_000;
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

if (!BUYER_EMAIL || !BUYER_PASSWORD || !PRODUCT_ID) {
  console.error('buyer e2e: set BUYER_EMAIL, BUYER_PASSWORD and PRODUCT_ID');
  process.exit(2);
}

let browser;
let page;
let step = 'starting';
const watchdog = setTimeout(() => {
  console.error(`FAIL buyer e2e at step "${step}": took longer than 60s`);
  process.exit(1);
}, 60_000);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

try {
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    page.setDefaultTimeout(STEP_MS);
  });
  await run('sign in as the buyer', async () => {
    await page.goto(`${BASE_URL}/signin`);
    await page.fill(tid('signin-email'), BUYER_EMAIL);
    await page.fill(tid('signin-password'), BUYER_PASSWORD);
    await page.click(tid('signin-submit'));
    await page.locator(tid('current-user')).waitFor();
  });
  await run('open the product and add it to the cart', async () => {
    await page.goto(`${BASE_URL}/products/${PRODUCT_ID}`);
    await page.locator(tid('product-title')).waitFor();
    await page.click(tid('add-to-cart'));
    await page.getByText('In your cart').waitFor();
  });
  await run('open the cart', async () => {
    await page.goto(`${BASE_URL}/cart`);
    await page.locator(tid('cart-item')).first().waitFor();
    const items = await page.locator(tid('cart-item')).count();
    if (items !== 1) throw new Error(`the cart shows ${items} items, want 1`);
  });
  await run('check out with a new address', async () => {
    await page.click(tid('cart-checkout'));
    await page.locator(tid('checkout-form')).waitFor();
    if (await page.locator(tid('address-new')).count()) await page.check(tid('address-new'));
    const address = { name: 'Lin Xiaoyu', phone: '13800000000', line1: '88 Wensan Road', city: 'Hangzhou', region: 'Zhejiang' };
    for (const [k, v] of Object.entries(address)) await page.fill(tid(`address-${k}`), v);
    await page.click(tid('place-order'));
  });
  await run('pay on the sandbox pay page', async () => {
    await page.waitForURL(/\/sandbox\/pay\//);
    await page.click(tid('sandbox-pay'));
  });
  await run('see the order paid', async () => {
    await page.waitForURL(/\/orders\/ord_[a-z0-9]+/);
    await page.locator(tid('order-status')).filter({ hasText: /paid/i }).first().waitFor();
  });
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
