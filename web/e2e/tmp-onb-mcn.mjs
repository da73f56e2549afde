// ad-hoc (not committed): MCN pages at phone and desktop, screenshots + axe
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { SIZES } from './lib/journey.mjs';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const B = 'http://127.0.0.1:18777';
const tid = (id) => `[data-testid="${id}"]`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const out = [];
try {
  for (const size of ['phone', 'desktop']) {
    for (const [who, pages] of [
      ['mcn.manager@demo.liveshop', ['/agencies', 'AGENCY', 'HOSTREPORT']],
      ['host.xiaoyu@demo.liveshop', ['/reports/host']],
      ['farmer.li@demo.liveshop', ['CONSOLE', 'CONSOLE?tab=orders', 'CONSOLE?tab=staff', 'CONSOLE?tab=live']],
    ]) {
      const ctx = await browser.newContext(SIZES[size]);
      const page = await ctx.newPage();
      page.setDefaultTimeout(15000);
      page.on('pageerror', (e) => out.push(`pageerror ${e.message}`));
      await page.goto(`${B}/signin`);
      await page.fill(tid('signin-email'), who);
      await page.fill(tid('signin-password'), 'liveshop-demo');
      await page.click(tid('signin-submit'));
      await page.locator(tid('current-user')).waitFor();
      for (let path of pages) {
        if (path === 'AGENCY' || path === 'HOSTREPORT') {
          const ags = await page.evaluate(async () => (await (await fetch('/api/v1/mcns')).json()).items);
          const id = ags[0].id;
          if (path === 'AGENCY') path = `/agencies/${id}`;
          else {
            const hosts = await page.evaluate(async (id) => (await (await fetch(`/api/v1/mcns/${id}/hosts`)).json()).items, id);
            path = `/reports/host?host=${hosts[0].host_id}`;
          }
        }
        if (path.startsWith('CONSOLE')) {
          const shops = await page.evaluate(async () => (await (await fetch('/api/v1/shops?mine=1')).json()).items);
          path = path.replace('CONSOLE', `/merchant/shops/${shops[0].id}`);
        }
        await page.goto(B + path);
        await page.waitForTimeout(1500);
        await page.waitForFunction(() => !document.querySelector('.loading, .spinner'), null, { timeout: 8000 }).catch(() => {});
        const name = `/tmp/onb-mcn/${size}-${path.replace(/[^a-z0-9]+/gi, '_')}.png`;
        await page.screenshot({ path: name, fullPage: true });
        await page.addScriptTag({ path: AXE });
        const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'], preload: false }));
        const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        out.push(`${size} ${path}: scrollWidth=${sw} ${bad.map((v) => `${v.id}@${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(',')}`).join('; ') || 'axe ok'} -> ${name}`);
      }
      await ctx.close();
    }
  }
} catch (e) {
  out.push(`ERROR ${e.message}`);
}
console.log(out.join('\n'));
await browser.close();
