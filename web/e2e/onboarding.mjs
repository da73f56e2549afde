#!/usr/bin/env node
// Browser end-to-end test of merchant onboarding, against a running
// liveshop server:
//
//   sign up a merchant → apply for a shop → sign out → sign in as admin →
//   approve it → sign in as the merchant → open the shop console → add a
//   product with one SKU → upload a picture → see the product listed with
//   its thumbnail.
//
// Environment: BASE_URL (default http://127.0.0.1:8080), ADMIN_EMAIL,
// ADMIN_PASSWORD, CHROMIUM (default /usr/bin/chromium; no browser is ever
// downloaded). Exits 0 on success; on failure prints the step that failed
// and writes a screenshot to web/test-results/. The whole run stops by
// itself within 60 seconds.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOTAL_MS = 60_000; // the whole run
const STEP_MS = 10_000; // any one wait
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

if (!ADMIN_EMAIL || !ADMIN_PASSWORD) {
  console.error('onboarding e2e: set ADMIN_EMAIL and ADMIN_PASSWORD (an admin created with `liveshop admin create-user --admin`)');
  process.exit(2);
}

// ---------- a small PNG made here: 48×32, a red-to-orange gradient ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function makePNG(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      raw[i] = 255;
      raw[i + 1] = Math.round((x / (width - 1)) * 140);
      raw[i + 2] = Math.round((y / (height - 1)) * 90);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- the run ----------
const tmp = mkdtempSync(join(tmpdir(), 'liveshop-e2e-'));
const pngPath = join(tmp, 'product.png');
writeFileSync(pngPath, makePNG(48, 32));

const rand = Math.random().toString(36).slice(2, 8);
const merchant = { name: `E2E Merchant ${rand}`, email: `merchant-${rand}@example.com`, password: `pw-${rand}-secret` };
const shopName = `E2E Farm ${rand}`;
const productTitle = `E2E Tea ${rand}`;

let browser;
let page;
let step = 'starting';
const problems = []; // browser console errors and failed API calls, for the report

let finishing = null;

/** finish reports, cleans up and exits; only the first call (run or watchdog) counts. */
function finish(code, message) {
  finishing ??= report(code, message);
  return finishing;
}

async function report(code, message) {
  clearTimeout(watchdog);
  if (code !== 0) {
    console.error(`\nFAIL onboarding e2e at step "${step}": ${message}`);
    if (problems.length) console.error(`recent browser problems:\n  ${problems.slice(-10).join('\n  ')}`);
    if (page) {
      try {
        const shown = await page
          .locator('[data-testid="form-error"], [data-testid^="field-error-"], [data-testid="error-box"]')
          .allInnerTexts();
        if (shown.length) console.error(`errors shown on the page: ${shown.join(' | ')}`);
      } catch {
        // the page is gone
      }
      try {
        mkdirSync(RESULTS, { recursive: true });
        const shot = join(RESULTS, 'onboarding-failure.png');
        await page.screenshot({ path: shot, fullPage: true, timeout: 5000 });
        console.error(`page: ${page.url()}\nscreenshot: ${shot}`);
      } catch (e) {
        console.error(`(no screenshot: ${e.message})`);
      }
    }
  }
  try {
    await browser?.close();
  } catch {
    // already gone
  }
  rmSync(tmp, { recursive: true, force: true });
  if (code === 0) log('PASS onboarding e2e');
  process.exit(code);
}

const watchdog = setTimeout(() => {
  finish(1, `the run took longer than ${TOTAL_MS / 1000}s`);
  // If closing the browser hangs, leave anyway.
  setTimeout(() => process.exit(1), 5000).unref();
}, TOTAL_MS);

async function run(name, fn) {
  step = name;
  log(name);
  await fn();
}

const tid = (id) => `[data-testid="${id}"]`;

/** go follows a link of the main navigation, opening the menu on narrow screens. */
async function go(navID) {
  const link = page.locator(tid(navID));
  if (!(await link.isVisible())) await page.click(tid('menu-toggle'));
  await link.click();
}

async function signIn(email, password, displayName) {
  await page.goto(`${BASE_URL}/signin`);
  await page.fill(tid('signin-email'), email);
  await page.fill(tid('signin-password'), password);
  await page.click(tid('signin-submit'));
  const user = page.locator(tid('current-user'));
  await user.waitFor();
  if (displayName) await expectText(user, displayName);
}

async function signOut() {
  await page.click(tid('signout'));
  await page.locator(tid('nav-signin')).waitFor();
}

async function expectText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor();
}

try {
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: STEP_MS,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    page.setDefaultNavigationTimeout(STEP_MS);
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', async (r) => {
      if (r.url().includes('/api/') && r.status() >= 400) {
        let body = '';
        try {
          body = (await r.text()).slice(0, 300);
        } catch {
          // body unavailable
        }
        problems.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()} ${body}`);
      }
    });
  });

  await run(`sign up ${merchant.email}`, async () => {
    await page.goto(`${BASE_URL}/signup`);
    await page.fill(tid('signup-name'), merchant.name);
    await page.fill(tid('signup-email'), merchant.email);
    await page.fill(tid('signup-password'), merchant.password);
    await page.click(tid('signup-submit'));
    await expectText(page.locator(tid('current-user')), merchant.name);
  });

  await run(`apply for shop "${shopName}"`, async () => {
    await go('nav-shops');
    await page.click(tid('apply-shop'));
    await page.fill(tid('apply-name'), shopName);
    await page.selectOption(tid('apply-category'), 'fresh_produce');
    await page.fill(tid('apply-description'), 'Tea and fruit from the hills, picked the morning we ship.');
    await page.fill(tid('apply-region'), 'Yunnan');
    await page.fill(tid('apply-county'), 'Menghai');
    const rural = page.locator(tid('programme-rural'));
    await rural.waitFor({ state: 'attached' });
    await expectText(page.locator(tid('apply-programmes')), '0% platform fee');
    await rural.check();
    await page.click(tid('apply-submit'));
    const row = page.locator(`${tid('my-shop')}:has-text("${shopName}")`);
    await row.waitFor();
    const status = await row.getAttribute('data-status');
    if (status !== 'pending') throw new Error(`new shop is "${status}", want "pending"`);
  });

  await run('sign out the merchant', signOut);

  await run(`sign in as admin ${ADMIN_EMAIL}`, async () => {
    await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.locator(tid('role-admin')).waitFor();
  });

  await run('approve the application on /admin/shops', async () => {
    await go('nav-admin');
    const app = page.locator(`${tid('application')}[data-shop-name="${shopName}"]`);
    await app.waitFor();
    await app.locator(tid('approve')).click();
    await app.locator(`${tid('application-status')}[data-status="approved"]`).waitFor();
  });

  await run('sign out the admin', signOut);

  await run('sign in as the merchant', async () => {
    await signIn(merchant.email, merchant.password, merchant.name);
  });

  await run('open the shop console', async () => {
    await go('nav-shops');
    const row = page.locator(`${tid('my-shop')}[data-status="approved"]:has-text("${shopName}")`);
    await row.waitFor();
    await row.locator(tid('open-console')).click();
    await expectText(page.locator(tid('console-shop-name')), shopName);
  });

  await run(`add product "${productTitle}" with one SKU`, async () => {
    await page.click(tid('tab-new'));
    await page.fill(tid('product-title-input'), productTitle);
    await page.fill(tid('product-description-input'), 'First flush pu-erh, 250 g.');
    await page.selectOption(tid('product-category-input'), 'food');
    await page.fill(tid('product-tags-input'), 'tea, organic');
    await page.fill(tid('product-commission-input'), '10');
    await page.fill(tid('sku-0-code'), `TEA-${rand}`);
    await page.fill(tid('sku-0-attrs'), 'weight=250g');
    await page.fill(tid('sku-0-price'), '19.90');
    await page.fill(tid('sku-0-stock'), '25');
    await page.click(tid('product-submit'));
    await expectText(page.locator(tid('manage-product-title')), productTitle);
  });

  await run('upload a picture', async () => {
    await page.setInputFiles(tid('image-input'), pngPath);
    const img = page.locator(tid('product-image')).first();
    await img.waitFor();
    await page.waitForFunction(
      (sel) => {
        const el = document.querySelector(sel);
        return el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0;
      },
      tid('product-image'),
      { timeout: STEP_MS },
    );
  });

  await run('see the product listed with its thumbnail', async () => {
    await page.click(tid('back-to-console'));
    const card = page.locator(`${tid('console-product')}[data-product-title="${productTitle}"]`);
    await card.waitFor();
    await expectText(card, '¥19.90');
    const thumb = card.locator(`img${tid('product-thumb')}`);
    await thumb.waitFor();
    const handle = await thumb.elementHandle();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, handle, { timeout: STEP_MS });
    const src = await thumb.getAttribute('src');
    if (!src || !src.endsWith('/thumb')) throw new Error(`thumbnail src is ${JSON.stringify(src)}, want …/thumb`);
    const width = await thumb.evaluate((el) => el.naturalWidth);
    log(`thumbnail ${src} is ${width}px wide`);
  });

  await finish(0);
} catch (e) {
  await finish(1, e instanceof Error ? e.message.split('\n')[0] : String(e));
}
