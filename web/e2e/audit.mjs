#!/usr/bin/env node
// Browser audit of the web app (issue 8) against `liveshop demo` with the
// demo room live:
//
//   1. accessibility: axe-core (WCAG 2 A and AA rules) on each key page at
//      phone (390×844, touch) and desktop (1280×800) sizes, signed in as the
//      user who would see it; any "serious" or "critical" violation fails,
//      except the ones listed in KNOWN_TODO below;
//   2. a screenshot of each page at each size into docs/screenshots/;
//   3. keyboard: on the home page, Tab from the top reaches the main
//      navigation links, the search box and the language picker, each with a
//      visible focus indicator, and Enter on a navigation link navigates;
//   4. performance: the live room's first rendered video frame, measured
//      from navigation start in a fresh browser context, 5 times, with the
//      phases on the way (web/scripts/firstframe.mjs: entry script, WHEP
//      offer and answer, ICE, DTLS, first RTP, first frame); the median
//      must be within FIRST_FRAME_BUDGET_MS, a loose bound (the Go test
//      gives 10 s: speed is bench/firstframe's job, not a test's). This
//      runs first, before the audit loads the browser; the two sizes of
//      step 1 run side by side.
//
// The last line of output is `AUDIT_RESULT {json}` for the Go test's log.
//
// Environment:
//   BASE_URL    the server (default http://127.0.0.1:8080)
//   SESSION_ID  the live demo room (default "demo")
//   PASSWORD    the demo users' password (default liveshop-demo)
//   VIEWER_EMAIL, MERCHANT_EMAIL, ADMIN_EMAIL  the demo logins (defaults
//               below; the merchant must operate SESSION_ID's shop)
//   CHROMIUM    default /usr/bin/chromium
//   AUDIT_LIMIT_S  the watchdog in seconds, default 200
//   FIRST_FRAME_BUDGET_MS  the first-frame budget (issue 8), default 1000
//   SCREENSHOT_DIR         where the screenshots go (default docs/screenshots)
// Exits 0 on success; on failure prints what failed and writes screenshots to
// web/test-results/. Stops by itself within AUDIT_LIMIT_S.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request } from 'playwright-core';
import { firstFrames, PHASES, summarise } from '../scripts/firstframe.mjs';

const require = createRequire(import.meta.url);
const env = process.env;
const BASE_URL = (env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SESSION_ID = env.SESSION_ID || 'demo';
const PASSWORD = env.PASSWORD || 'liveshop-demo';
const LOGINS = {
  viewer: env.VIEWER_EMAIL || 'viewer@demo.liveshop',
  merchant: env.MERCHANT_EMAIL || 'farmer.li@demo.liveshop',
  admin: env.ADMIN_EMAIL || 'admin@demo.liveshop',
};
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, '..', 'test-results');
const SCREENSHOTS = env.SCREENSHOT_DIR || join(HERE, '..', '..', 'docs', 'screenshots');
const AXE = require.resolve('axe-core/axe.min.js');
const STEP_MS = 15_000;
const LIMIT_MS = Number(env.AUDIT_LIMIT_S || 200) * 1000;
const FIRST_FRAME_RUNS = 5;
const FIRST_FRAME_BUDGET_MS = Number(env.FIRST_FRAME_BUDGET_MS || 1000);

const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};

// Rules switched off for every page, each with the reason. Keep this empty
// unless a rule is wrong about this app.
const DISABLED_RULES = {};

// KNOWN_TODO: serious/critical violations whose fix is in a .tsx file that
// another change owns right now (the i18n pass, issue 8). They are tolerated
// by rule id and exact axe target selector only, so a new violation of the
// same rule elsewhere still fails. Remove an entry once the component is
// fixed (the list of fixes is in the issue 8 a11y notes).
const KNOWN_TODO = [];

const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const tid = (id) => `[data-testid="${id}"]`;

let browser;
let step = 'starting';
const pages = {};
const consoleErrors = {};
const watchdog = setTimeout(() => {
  console.error(`FAIL audit at step "${step}": took longer than ${LIMIT_MS / 1000}s`);
  process.exit(1);
}, LIMIT_MS);

async function run(name, fn) {
  step = name;
  log(name);
  return fn();
}

async function expect(who, locator, what, timeout = STEP_MS) {
  try {
    await locator.first().waitFor({ timeout, state: 'visible' });
  } catch {
    throw new Error(`${who} did not see ${what} within ${timeout / 1000}s`);
  }
}

async function newPage(key, ctx) {
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  consoleErrors[key] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors[key] = [...consoleErrors[key], m.text()].slice(-8);
  });
  page.on('pageerror', (e) => {
    consoleErrors[key] = [...consoleErrors[key], `uncaught: ${e.message}`].slice(-8);
  });
  pages[key] = page;
  return page;
}

/**
 * signIn signs a user in through the API (quicker than the form, which the
 * browser tests of sign-in already cover) and returns the cookies for every
 * browser context of that user, and the API context with its CSRF token.
 */
async function signIn(email) {
  const api = await request.newContext({ baseURL: BASE_URL });
  const res = await api.post('/api/v1/auth/signin', { data: { email, password: PASSWORD } });
  if (!res.ok()) throw new Error(`sign in ${email}: ${res.status()} ${await res.text()}`);
  const { csrf_token: csrf } = await res.json();
  return { api, csrf, state: await api.storageState() };
}

/** settle waits until the page shows no loading spinner, so that axe and the screenshot see the real page. */
async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('.loading, .spinner'), null, { timeout: 8000 }).catch(() => {});
  await page.evaluate(() => document.fonts?.ready).catch(() => {});
  await page.waitForTimeout(150);
}

const known = (v, target) => KNOWN_TODO.some((k) => k.rule === v.id && k.target === target);

/** audit runs axe-core on the page and returns its serious and critical findings, split into new and known. */
async function audit(page, where) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(
    (rules) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
        rules,
        resultTypes: ['violations'],
        // The CSSOM preload serves only rules outside WCAG 2.0 A/AA (css-orientation-lock is 2.1).
        preload: false,
      }),
    Object.fromEntries(Object.keys(DISABLED_RULES).map((id) => [id, { enabled: false }])),
  );
  const found = { failures: [], known: [], minor: 0 };
  for (const v of res.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') {
      found.minor += v.nodes.length;
      continue;
    }
    for (const n of v.nodes) {
      const target = n.target.join(' ');
      const item = { page: where, rule: v.id, impact: n.impact || v.impact, target, summary: (n.failureSummary || v.help).replace(/\s+/g, ' ').slice(0, 240), html: n.html.slice(0, 100) };
      (known(v, target) ? found.known : found.failures).push(item);
    }
  }
  return found;
}

const results = { violations: [], known_todo: [], minor_nodes: 0, screenshots: [], keyboard: {}, first_frame_ms: [], first_frame_median_ms: 0 };

try {
  await run('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
  });

  const room = await run('read the demo room', async () => {
    const res = await fetch(`${BASE_URL}/api/v1/live-sessions/${encodeURIComponent(SESSION_ID)}`);
    if (!res.ok) throw new Error(`GET live session ${SESSION_ID}: ${res.status}`);
    const s = await res.json();
    if (!s.products?.length) throw new Error(`room ${SESSION_ID} has no products`);
    return { shopID: s.shop_id, productID: s.products[0].product_id };
  });

  // First, while nothing else runs in the browser: the timing is the point.
  // Informational (the bound is loose in the Go test); bench/firstframe is the benchmark.
  await run(`first video frame of the live room, ${FIRST_FRAME_RUNS} fresh loads`, async () => {
    const runs = await firstFrames(browser, {
      base: BASE_URL,
      session: SESSION_ID,
      runs: FIRST_FRAME_RUNS,
      contextOptions: SIZES.desktop,
      log: (r, i) => log(`  run ${i + 1}: ${PHASES.map((k) => `${k} ${r[k] ?? '–'}`).join(', ')} ms (${r.path})`),
    });
    results.first_frame_ms = runs.map((r) => r.frame);
    results.first_frame_via = [...new Set(runs.map((r) => r.path))].join(', ');
    const summary = summarise(runs);
    results.first_frame_median_ms = summary.frame.median;
    results.first_frame_phases = Object.fromEntries(PHASES.map((k) => [k, summary[k].median]));
    log(`first frame: runs ${results.first_frame_ms.join(', ')} ms; median ${results.first_frame_median_ms} ms (budget ${FIRST_FRAME_BUDGET_MS} ms)`);
    log(`  phases, median ms from navigation start: ${PHASES.map((k) => `${k} ${summary[k].median ?? '–'}`).join(' → ')}`);
  });

  const states = { anonymous: undefined };
  await run('sign the demo users in; the viewer puts a product in the cart', async () => {
    for (const [role, email] of Object.entries(LOGINS)) {
      const u = await signIn(email);
      states[role] = u.state;
      if (role !== 'viewer') {
        await u.api.dispose();
        continue;
      }
      const p = await (await u.api.get(`/api/v1/products/${room.productID}`)).json();
      const res = await u.api.put(`/api/v1/cart/items/${p.skus[0].id}`, { data: { quantity: 1 }, headers: { 'X-CSRF-Token': u.csrf } });
      if (!res.ok()) throw new Error(`add to cart: ${res.status()} ${await res.text()}`);
      await u.api.dispose();
    }
  });

  // The key pages, in the order a visitor meets them; the step name is the screenshot's name.
  const steps = [
    { step: '01-home', role: 'viewer', path: '/', ready: tid('home-feed') },
    { step: '02-live-room', role: 'viewer', path: `/live/${SESSION_ID}`, ready: tid('player') },
    { step: '03-product', role: 'viewer', path: `/products/${room.productID}`, ready: tid('product-title') },
    { step: '04-cart', role: 'viewer', path: '/cart', ready: tid('cart-item') },
    { step: '05-my-orders', role: 'viewer', path: '/orders', ready: tid('order-card') },
    { step: '06-host-studio', role: 'merchant', path: `/studio/${SESSION_ID}`, ready: tid('studio') },
    { step: '07-merchant-console', role: 'merchant', path: `/merchant/shops/${room.shopID}`, ready: tid('console-shop-name') },
    { step: '08-session-report', role: 'merchant', path: `/reports/sessions/${SESSION_ID}`, ready: tid('session-report') },
    { step: '09-admin-approvals', role: 'admin', path: '/admin/shops', ready: tid('application') },
    { step: '10-sign-in', role: 'anonymous', path: '/signin', ready: tid('signin-form') },
  ];

  // Both sizes at once, in their own contexts: halves the wall time on a busy machine.
  mkdirSync(SCREENSHOTS, { recursive: true });
  const auditSize = async (size, opts) => {
    const ctxs = {};
    for (const s of steps) {
      await run(`audit ${s.step} at ${size} size as ${s.role}`, async () => {
        ctxs[s.role] ??= await browser.newContext({ ...opts, bypassCSP: true, reducedMotion: 'reduce', storageState: states[s.role] });
        const key = `${s.role}-${size}`;
        const fresh = !pages[key];
        const page = pages[key] ?? (await newPage(key, ctxs[s.role]));
        const t = [Date.now()];
        if (fresh) await page.goto(`${BASE_URL}${s.path}`);
        // Later pages of the same user: navigate inside the app, as a click on a link does.
        else await page.evaluate((path) => {
          history.pushState(null, '', path);
          dispatchEvent(new PopStateEvent('popstate'));
        }, s.path);
        await expect(s.role, page.locator(s.ready), `${s.path} (${s.ready})`);
        t.push(Date.now());
        await settle(page);
        t.push(Date.now());
        const shot = join(SCREENSHOTS, `${s.step}-${size}.png`);
        await page.screenshot({ path: shot, fullPage: false, animations: 'disabled', caret: 'hide' });
        results.screenshots.push(shot);
        t.push(Date.now());
        const found = await audit(page, `${s.path} (${size}, ${s.role})`);
        t.push(Date.now());
        const ms = (i) => `${((t[i + 1] - t[i]) / 1000).toFixed(1)}s`;
        log(`  ${s.step}-${size}: load ${ms(0)}, settle ${ms(1)}, screenshot ${ms(2)}, axe ${ms(3)}`);
        results.violations.push(...found.failures);
        results.known_todo.push(...found.known);
        results.minor_nodes += found.minor;
      });
    }
    for (const c of Object.values(ctxs)) await c.close();
    for (const k of Object.keys(pages)) if (k.endsWith(`-${size}`)) delete pages[k];
  };
  await Promise.all(Object.entries(SIZES).map(([size, opts]) => auditSize(size, opts)));

  await run('keyboard: Tab from the top of the home page', async () => {
    const ctx = await browser.newContext({ ...SIZES.desktop, storageState: states.viewer });
    const page = await newPage('keyboard', ctx);
    await page.goto(`${BASE_URL}/`);
    await expect('viewer', page.locator(tid('home-feed')), 'the home feed');
    await settle(page);
    const navLinks = await page.locator('nav.mainnav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    if (navLinks.length < 3) throw new Error(`the main navigation has ${navLinks.length} links`);
    const reached = new Map();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
        const shadow = cs.boxShadow && cs.boxShadow !== 'none';
        let what = '';
        if (el.closest('nav.mainnav') && el.tagName === 'A') what = `nav ${el.getAttribute('href')}`;
        else if (el.closest('[data-testid="search-box"]') && el.tagName === 'INPUT') what = 'search';
        else if (el.matches('[data-testid="language"]')) what = 'language';
        return { what, indicator: outline || shadow, style: `outline: ${cs.outlineStyle} ${cs.outlineWidth}; box-shadow: ${cs.boxShadow}` };
      });
      if (f?.what && !reached.has(f.what)) reached.set(f.what, f);
      if (navLinks.every((h) => reached.has(`nav ${h}`)) && reached.has('search') && reached.has('language')) break;
    }
    const want = [...navLinks.map((h) => `nav ${h}`), 'search', 'language'];
    const missing = want.filter((w) => !reached.has(w));
    if (missing.length) throw new Error(`Tab never reached: ${missing.join(', ')}`);
    const invisible = want.filter((w) => !reached.get(w).indicator).map((w) => `${w} (${reached.get(w).style})`);
    if (invisible.length) throw new Error(`no visible focus indicator on: ${invisible.join('; ')}`);
    results.keyboard = { reached: want, focus_indicator: 'ok' };

    // Enter on a focused navigation link navigates to it.
    const target = navLinks.find((h) => h !== '/') ?? navLinks[0];
    await page.focus(`nav.mainnav a[href="${target}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === target, { timeout: 5000 }).catch(() => {
      throw new Error(`Enter on the nav link ${target} left the page at ${page.url()}`);
    });
    results.keyboard.enter_navigates = target;
    await ctx.close();
    delete pages.keyboard;
  });

  clearTimeout(watchdog);
  await browser.close();
  for (const k of results.known_todo) log(`known (KNOWN_TODO): ${k.rule} ${k.target} on ${k.page}`);
  log(`axe: ${results.violations.length} serious/critical, ${results.known_todo.length} known, ${results.minor_nodes} minor/moderate nodes`);
  const failures = [];
  // One line per rule and finding, with the pages and elements it was seen on.
  const groups = new Map();
  for (const v of results.violations) {
    const key = `axe ${v.rule} (${v.impact}): ${v.summary}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(`${v.page}: ${v.target}  ${v.html}`);
  }
  for (const [key, where] of groups) {
    const more = where.length > 6 ? `\n      … and ${where.length - 6} more` : '';
    failures.push(`${key}\n      ${where.slice(0, 6).join('\n      ')}${more}`);
  }
  if (results.first_frame_median_ms > FIRST_FRAME_BUDGET_MS) {
    failures.push(`first video frame median ${results.first_frame_median_ms} ms > ${FIRST_FRAME_BUDGET_MS} ms (runs ${results.first_frame_ms.join(', ')})`);
  }
  console.log(`AUDIT_RESULT ${JSON.stringify({ ...results, violations: results.violations.length, known_todo: results.known_todo.length })}`);
  if (failures.length) {
    console.error(`\nFAIL audit:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  log('PASS audit');
  process.exit(0);
} catch (e) {
  console.error(`\nFAIL audit at step "${step}": ${e.message}`);
  mkdirSync(RESULTS, { recursive: true });
  for (const [key, page] of Object.entries(pages)) {
    const shot = join(RESULTS, `audit-failure-${key}.png`);
    try {
      await page.screenshot({ path: shot, timeout: 5000 });
      console.error(`${key}: ${page.url()}\n  screenshot: ${shot}`);
    } catch {
      console.error(`${key}: no screenshot`);
    }
    for (const line of consoleErrors[key] ?? []) console.error(`  console: ${line}`);
  }
  await browser?.close().catch(() => {});
  process.exit(1);
}
