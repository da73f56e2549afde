#!/usr/bin/env node
// Browser journey "onboarding": a farmer opens a shop from a phone with the
// onboarding wizard, against a running liveshop server:
//
//   sign up → wizard step 1 (the rural programme, picked because a county
//   is given) → waiting for approval (a reload resumes there) → an admin
//   approves in a separate desktop browser → the wizard notices by itself →
//   first product: inline errors, a server field error, then a photo from
//   the file chooser, title, price, stock → schedule the first session with
//   the product on its shelf → the studio opens.
//
// Environment: BASE_URL (default http://127.0.0.1:8080), ADMIN_EMAIL,
// ADMIN_PASSWORD, CHROMIUM (default /usr/bin/chromium; no browser is ever
// downloaded), JOURNEY_SIZE (phone or desktop: the merchant's screen; the
// admin always uses a desktop), SHOTS_DIR (screenshots of the steps).
// Exits 0 on success; on failure prints the step that failed and writes a
// screenshot to web/test-results/. The whole run stops by itself within 120 s.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { SIZE, SIZES, contextOptions, shot } from './lib/journey.mjs';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || '';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOTAL_MS = 120_000; // the whole run (a loaded machine starts Chromium slowly)
const STEP_MS = 10_000; // any one wait
const APPROVAL_MS = 15_000; // the wizard polls every 3 s
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const JOURNEY = 'onboarding';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
const pngPath = join(tmp, 'oranges.png');
writeFileSync(pngPath, makePNG(48, 32));

const rand = Math.random().toString(36).slice(2, 8);
const merchant = { name: `E2E Farmer ${rand}`, email: `farmer-${rand}@example.com`, password: `pw-${rand}-secret` };
const shopName = `E2E Orchard ${rand}`;
const productTitle = `E2E Oranges ${rand}`;
const sessionTitle = `E2E First live ${rand}`;

let browser;
let page; // the merchant's
let admin; // the admin's, in its own context
let step = 'starting';
const problems = []; // browser console errors and failed API calls, for the report
const expected = new Set(); // API failures the journey provokes on purpose (METHOD path status)

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
        const file = join(RESULTS, 'onboarding-failure.png');
        await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
        console.error(`page: ${page.url()}\nscreenshot: ${file}`);
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

async function expectText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** watch records a page's console errors and failed API calls for the report. */
function watch(p, who) {
  p.setDefaultTimeout(STEP_MS);
  p.setDefaultNavigationTimeout(STEP_MS);
  p.on('console', (m) => m.type() === 'error' && problems.push(`${who} console: ${m.text()}`));
  p.on('pageerror', (e) => problems.push(`${who} page error: ${e.message}`));
  p.on('response', async (r) => {
    if (!r.url().includes('/api/') || r.status() < 400) return;
    const what = `${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`;
    if (expected.has(what)) return;
    let body = '';
    try {
      body = (await r.text()).slice(0, 300);
    } catch {
      // body unavailable
    }
    problems.push(`${who} ${what} ${body}`);
  });
}

/**
 * accessible runs axe-core (WCAG 2 A and AA, as web/e2e/audit.mjs does) on
 * the merchant's page and fails on a serious or critical finding: the wizard
 * is not among the audit's pages, so its journey checks it.
 */
async function accessible(where) {
  await page.waitForFunction(() => !document.querySelector('.loading, .spinner'), null, { timeout: STEP_MS }).catch(() => {});
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'], preload: false }),
  );
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length)
    throw new Error(`axe on ${where}: ${bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
}

/** wizardStep waits until the wizard shows step n. */
async function wizardStep(n, timeout = STEP_MS) {
  await page.locator(`${tid('wizard')}[data-step="${n}"]`).waitFor({ timeout });
}

try {
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await (await browser.newContext(contextOptions())).newPage();
    watch(page, 'merchant');
    log(`merchant screen: ${SIZE}`);
  });

  await run(`sign up ${merchant.email}`, async () => {
    await page.goto(`${BASE_URL}/signup`);
    await page.fill(tid('signup-name'), merchant.name);
    await page.fill(tid('signup-email'), merchant.email);
    await page.fill(tid('signup-password'), merchant.password);
    await page.click(tid('signup-submit'));
    await expectText(page.locator(tid('current-user')), merchant.name);
  });

  await run('open the wizard from "Sell"', async () => {
    await go('nav-shops');
    await page.click(tid('apply-shop'));
    await wizardStep(1);
    await shot(page, JOURNEY, 'about-empty');
  });

  await run('step 1: an empty form names its first missing field', async () => {
    await page.click(tid('apply-submit'));
    await page.locator(tid('field-error-name')).waitFor();
  });

  await run(`step 1: "${shopName}" with a county picks the rural programme`, async () => {
    await page.fill(tid('apply-name'), shopName);
    await page.selectOption(tid('apply-category'), 'fresh_produce');
    await page.fill(tid('apply-region'), 'Yunnan');
    await page.fill(tid('apply-county'), 'Menghai');
    const rural = page.locator(tid('programme-rural'));
    await rural.waitFor({ state: 'attached' });
    if (!(await rural.isChecked())) throw new Error('giving a county did not pick the rural programme');
    await expectText(page.locator(tid('apply-programmes')), '0% platform fee');
    await expectText(page.locator(tid('rural-explained')), 'The platform fee is 0%');
    await page.locator(tid('rural-explained')).scrollIntoViewIfNeeded();
    await shot(page, JOURNEY, 'about-rural');
    await accessible('wizard step 1');
  });

  await run('step 1 is kept on the phone across a reload', async () => {
    await page.reload();
    await wizardStep(1);
    const name = await page.inputValue(tid('apply-name'));
    if (name !== shopName) throw new Error(`after a reload the name is ${JSON.stringify(name)}, want ${JSON.stringify(shopName)}`);
    await page.click(tid('apply-submit'));
  });

  let shopID = '';
  await run('step 2: waiting for approval, and a reload resumes there', async () => {
    await wizardStep(2);
    await page.locator(tid('wizard-waiting')).waitFor();
    shopID = new URL(page.url()).searchParams.get('shop') || '';
    if (!shopID) throw new Error(`the wizard's address ${page.url()} does not name the shop`);
    await page.reload();
    await page.locator(tid('wizard-waiting')).waitFor();
    await shot(page, JOURNEY, 'waiting');
    await accessible('wizard step 2');
  });

  await run('the wizard opened again without its link offers to continue the application', async () => {
    await page.goto(`${BASE_URL}/merchant/apply`);
    const resume = page.locator(`${tid('wizard-resume')}[data-shop-id="${shopID}"]`);
    await resume.waitFor();
    await shot(page, JOURNEY, 'resume');
    await resume.locator(tid('wizard-resume-link')).click();
    await page.locator(tid('wizard-waiting')).waitFor();
    if (new URL(page.url()).searchParams.get('shop') !== shopID) throw new Error(`resuming went to ${page.url()}`);
  });

  await run(`the admin approves "${shopName}" (desktop, own browser context)`, async () => {
    admin = await (await browser.newContext(SIZES.desktop)).newPage();
    watch(admin, 'admin');
    await admin.goto(`${BASE_URL}/signin`);
    await admin.fill(tid('signin-email'), ADMIN_EMAIL);
    await admin.fill(tid('signin-password'), ADMIN_PASSWORD);
    await admin.click(tid('signin-submit'));
    await admin.locator(tid('current-user')).waitFor();
    await admin.goto(`${BASE_URL}/admin/shops`);
    const app = admin.locator(`${tid('application')}[data-shop-id="${shopID}"]`);
    await app.waitFor();
    await app.locator(tid('approve')).click();
    await app.locator(`${tid('application-status')}[data-status="approved"]`).waitFor();
    await admin.context().close();
    admin = null;
  });

  await run('the wizard notices the approval by itself (step 3)', async () => {
    await wizardStep(3, APPROVAL_MS);
    await page.locator(tid('wizard-product')).waitFor();
    await shot(page, JOURNEY, 'first-product');
  });

  await run('step 3: no photo is named on the photo field', async () => {
    await page.fill(tid('wizard-title'), productTitle);
    await page.fill(tid('wizard-price'), '19.90');
    await page.click(tid('wizard-product-submit'));
    await page.locator(tid('field-error-image')).waitFor();
    await accessible('wizard step 3 with an error');
  });

  await run('step 3: the server refusing the price shows on the price field', async () => {
    await page.setInputFiles(tid('wizard-photo'), pngPath);
    await page.locator(tid('wizard-photo-preview')).waitFor();
    await page.fill(tid('wizard-price'), '200000000'); // over the server's ¥100,000,000 limit
    expected.add(`POST /api/v1/shops/${shopID}/products 400`);
    await page.click(tid('wizard-product-submit'));
    await page.locator(tid('field-error-skus[0].price_minor')).waitFor();
  });

  await run(`step 3: "${productTitle}" with a photo from the file chooser`, async () => {
    await page.fill(tid('wizard-price'), '19.90');
    await page.fill(tid('wizard-stock'), '40');
    const chooser = page.waitForEvent('filechooser');
    await page.locator(tid('wizard-photo')).click({ force: true });
    await (await chooser).setFiles(pngPath);
    await page.locator(tid('wizard-photo-preview')).waitFor();
    await shot(page, JOURNEY, 'first-product-filled');
    await page.click(tid('wizard-product-submit'));
    await wizardStep(4);
    await page.locator(tid('wizard-session')).waitFor();
  });

  await run('step 4: schedule the first session with the product on its shelf', async () => {
    const shelf = page.locator(tid('wizard-shelf-product'));
    if (!(await shelf.isChecked())) throw new Error('the first product is not on the shelf by default');
    await page.fill(tid('wizard-session-title'), sessionTitle);
    await shot(page, JOURNEY, 'first-session');
    await accessible('wizard step 4');
    await page.click(tid('wizard-session-submit'));
    await page.locator(tid('wizard-done')).waitFor();
    await shot(page, JOURNEY, 'ready');
    await accessible('wizard finished');
  });

  await run('a reload comes back to the finished wizard', async () => {
    await page.reload();
    await page.locator(tid('wizard-done')).waitFor();
  });

  await run('the studio opens with the product on the shelf', async () => {
    const sessionID = await page.locator(tid('wizard-done')).getAttribute('data-session-id');
    await page.click(tid('wizard-open-studio'));
    await page.locator(`${tid('studio')}[data-status="scheduled"]`).waitFor();
    if (!page.url().endsWith(`/studio/${sessionID}`)) throw new Error(`studio address ${page.url()}, want …/studio/${sessionID}`);
    const s = await page.evaluate(async (id) => (await fetch(`/api/v1/live-sessions/${id}`)).json(), sessionID);
    const session = s.session ?? s;
    const titles = (session.products ?? []).map((p) => p.title ?? p.product?.title);
    if (!titles.includes(productTitle)) throw new Error(`the session's shelf is ${JSON.stringify(titles)}, want ${productTitle}`);
    const img = await page.evaluate(async (id) => {
      const r = await (await fetch(`/api/v1/products?shop_id=${id}`)).json();
      return (r.items?.[0]?.images ?? []).length;
    }, shopID);
    if (img !== 1) throw new Error(`the product has ${img} pictures, want 1`);
    await shot(page, JOURNEY, 'studio');
  });

  await run('the console: adjust the stock with a reason, on this screen size', async () => {
    await page.goto(`${BASE_URL}/merchant/shops/${shopID}`);
    const card = page.locator(`${tid('console-product')}[data-product-title="${productTitle}"]`);
    await card.waitFor();
    await card.locator(tid('console-adjust-stock')).click();
    await card.locator(tid('stock-delta')).fill('5');
    await card.getByRole('button', { name: 'Delivery received' }).click();
    await card.locator(tid('stock-submit')).click();
    await expectText(card.locator(tid('console-sku')), '45 in stock');
    await shot(page, JOURNEY, 'console');
    await accessible('shop console');
  });

  await finish(0);
} catch (e) {
  await finish(1, e instanceof Error ? e.message.split('\n')[0] : String(e));
}
