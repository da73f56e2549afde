#!/usr/bin/env node
// Browser test of the two languages against `liveshop demo`:
//   1. a browser whose language is Chinese gets the app in Simplified
//      Chinese (<html lang="zh-CN">, the header and the demo viewer's order
//      statuses in Chinese, prices as ¥);
//   2. switching to English in the header re-renders at once, and the choice
//      survives a reload;
//   3. a browser whose language is English gets English.
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
  const page = await zh.newPage();
  await page.goto(`${BASE_URL}/signin`);
  expect((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN', 'html lang is not zh-CN');
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

  step = 'an English browser gets English';
  log(step);
  const enCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const p2 = await enCtx.newPage();
  await p2.goto(`${BASE_URL}/`);
  expect((await p2.evaluate(() => document.documentElement.lang)) === 'en', 'html lang is not en');
  expect((await text(p2, 'nav-signin')) === 'Sign in', `sign-in link reads "${await text(p2, 'nav-signin')}"`);
  await enCtx.close();
  log('PASS');
} catch (err) {
  console.error(`FAIL languages e2e at step "${step}": ${err.message}`);
  await browser?.close().catch(() => undefined);
  process.exit(1);
}
clearTimeout(watchdog);
await browser.close();
