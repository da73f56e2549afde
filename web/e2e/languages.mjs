#!/usr/bin/env node
// Browser test of the two languages against `liveshop demo`:
//   1. a browser whose language is Chinese gets the app in Simplified
//      Chinese (<html lang="zh-CN">, the header and the demo viewer's order
//      statuses in Chinese, prices as ¥);
//   2. switching to English in the header re-renders at once, and the choice
//      survives a reload;
//   3. a browser whose language is English gets English, and never
//      downloads the Chinese strings (the messages-zh chunk);
//   4. the Chinese strings load on demand: a Chinese browser's first paint
//      is already Chinese (no English flash), switching an English page to
//      Chinese loads them first, and if they fail to load the page stays
//      English and works.
// Environment: BASE_URL, VIEWER_EMAIL, VIEWER_PASSWORD, CHROMIUM.
// Exits 0 on success; stops by itself within 90 s.
import { chromium } from 'playwright-core';

const env = process.env;
const BASE_URL = (env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;
let step = 'starting';
let browser;
const watchdog = setTimeout(() => {
  console.error(`FAIL languages e2e at step "${step}": took longer than 90s`);
  process.exit(1);
}, 90_000);

function expect(ok, what) {
  if (!ok) throw new Error(what);
}

// The Chinese strings' chunk (vite.config.ts names it messages-zh-<hash>.js).
const isZhChunk = (url) => /\/assets\/messages-zh-[^/]*\.js(\?|$)/.test(url);

/** watchZh counts the requests for the Chinese chunk a context makes. */
function watchZh(ctx) {
  const seen = [];
  ctx.on('request', (r) => {
    if (isZhChunk(r.url())) seen.push(r.url());
  });
  return seen;
}

/** recordFirstPaint keeps what #app shows the first time the app renders (window.__firstPaint). */
async function recordFirstPaint(ctx) {
  await ctx.addInitScript(() => {
    window.__firstPaint = null;
    const obs = new MutationObserver(() => {
      const app = document.getElementById('app');
      if (!app || app.childElementCount === 0 || window.__firstPaint) return;
      window.__firstPaint = { text: app.innerText, lang: document.documentElement.lang };
      obs.disconnect();
    });
    obs.observe(document, { childList: true, subtree: true });
  });
}

const ENGLISH_SHELL = /\b(Sign in|Sign up|Sign out|Discover|Schedule|Cart|My orders|Page not found)\b/;

async function firstPaint(page) {
  await page.waitForFunction(() => window.__firstPaint !== null, null, { timeout: 15_000 });
  return page.evaluate(() => window.__firstPaint);
}

async function text(page, id) {
  const el = page.locator(tid(id)).first();
  await el.waitFor({ timeout: 15_000 });
  return (await el.innerText()).trim();
}

try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  step = 'a Chinese browser gets Chinese';
  log(step);
  const zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const zhLoads = watchZh(zh);
  await recordFirstPaint(zh);
  const page = await zh.newPage();
  await page.goto(`${BASE_URL}/signin`);
  expect((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN', 'html lang is not zh-CN');
  const zhFirst = await firstPaint(page);
  expect(/[\u4e00-\u9fff]/.test(zhFirst.text) && !ENGLISH_SHELL.test(zhFirst.text), `the first paint is not Chinese: ${JSON.stringify(zhFirst.text.slice(0, 300))}`);
  expect(zhLoads.length > 0, 'a Chinese browser did not load the Chinese strings chunk');
  log(`  first paint in Chinese: ${JSON.stringify(zhFirst.text.replace(/\s+/g, ' ').slice(0, 80))}`);
  expect((await text(page, 'nav-signin')) === '登录', `sign-in link reads "${await text(page, 'nav-signin')}"`);
  await page.fill(tid('signin-email'), env.VIEWER_EMAIL);
  await page.fill(tid('signin-password'), env.VIEWER_PASSWORD);
  await page.click(tid('signin-submit'));
  await page.locator(tid('current-user')).waitFor({ timeout: 15_000 });
  await page.goto(`${BASE_URL}/orders`);
  await page.locator(tid('order-card')).first().waitFor({ timeout: 15_000 });
  const cards = await page.locator(tid('order-card')).allInnerTexts();
  const all = cards.join('\n');
  expect(/已付款|待付款|已发货|已完成|已取消|已退款|已签收/.test(all), `no order status in Chinese on /orders:\n${all.slice(0, 400)}`);
  expect(/¥\d/.test(all), `no ¥ price on /orders:\n${all.slice(0, 400)}`);
  const header = await page.locator('header').innerText();
  expect(header.includes('我的订单') || (await page.locator(tid('menu-toggle')).count()) > 0, 'the header is not in Chinese');
  log('  /orders in Chinese: ' + all.split('\n').slice(0, 3).join(' | '));

  step = 'switching to English re-renders and is remembered';
  log(step);
  await page.selectOption(tid('language'), 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5_000 });
  const en = (await page.locator(tid('order-card')).allInnerTexts()).join('\n');
  expect(/Paid|Pending payment|Shipped|Completed|Cancelled|Refunded|Delivered/.test(en), `orders did not switch to English:\n${en.slice(0, 400)}`);
  await page.reload();
  await page.locator(tid('order-card')).first().waitFor({ timeout: 15_000 });
  expect((await page.evaluate(() => document.documentElement.lang)) === 'en', 'the English choice did not survive a reload');
  await zh.close();

  step = 'an English browser gets English and not the Chinese strings';
  log(step);
  const enCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const enLoads = watchZh(enCtx);
  await recordFirstPaint(enCtx);
  const p2 = await enCtx.newPage();
  for (const path of ['/', '/signin', '/schedule', '/watch']) {
    await p2.goto(`${BASE_URL}${path}`);
    await p2.locator(tid('nav-signin')).first().waitFor({ timeout: 15_000 });
    await p2.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  }
  expect((await p2.evaluate(() => document.documentElement.lang)) === 'en', 'html lang is not en');
  expect((await text(p2, 'nav-signin')) === 'Sign in', `sign-in link reads "${await text(p2, 'nav-signin')}"`);
  expect(enLoads.length === 0, `an English browser requested the Chinese strings: ${enLoads.join(', ')}`);

  step = 'switching an English page to Chinese loads the Chinese strings first';
  log(step);
  await p2.goto(`${BASE_URL}/`);
  await p2.locator(tid('nav-signin')).first().waitFor({ timeout: 15_000 });
  await p2.selectOption(tid('language'), 'zh-CN');
  await p2.waitForFunction(() => document.documentElement.lang === 'zh-CN', null, { timeout: 10_000 });
  expect((await text(p2, 'nav-signin')) === '登录', `after switching, the sign-in link reads "${await text(p2, 'nav-signin')}"`);
  expect(enLoads.length > 0, 'switching to Chinese did not load the Chinese strings');
  await p2.reload();
  const remembered = await firstPaint(p2);
  expect(remembered.lang === 'zh-CN' && !ENGLISH_SHELL.test(remembered.text), `after a reload the first paint is not Chinese: ${JSON.stringify(remembered.text.slice(0, 300))}`);
  await enCtx.close();

  step = 'the Chinese strings fail to load: the page stays English';
  log(step);
  const failCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  await failCtx.route((url) => isZhChunk(url.href), (route) => route.abort());
  const p3 = await failCtx.newPage();
  const errors = [];
  p3.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  const logged = [];
  p3.on('console', (m) => m.type() === 'error' && logged.push(m.text()));
  await p3.goto(`${BASE_URL}/`);
  await p3.locator(tid('nav-signin')).first().waitFor({ timeout: 15_000 });
  await p3.selectOption(tid('language'), 'zh-CN');
  await p3.waitForFunction(() => false, null, { timeout: 1_500 }).catch(() => undefined);
  expect((await p3.evaluate(() => document.documentElement.lang)) === 'en', 'the language changed although the Chinese strings did not load');
  expect((await text(p3, 'nav-signin')) === 'Sign in', `the sign-in link reads "${await text(p3, 'nav-signin')}"`);
  expect(logged.some((m) => m.includes('did not load')), `no error logged: ${logged.join(' | ')}`);
  expect((await p3.locator(tid('language')).inputValue()) === 'en', 'the language picker does not show English again');
  expect(errors.length === 0, errors.join('; '));
  await failCtx.close();
  log('PASS');
} catch (err) {
  console.error(`FAIL languages e2e at step "${step}": ${err.message}`);
  await browser?.close().catch(() => undefined);
  process.exit(1);
}
clearTimeout(watchdog);
await browser.close();
