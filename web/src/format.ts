// Formatting of money, rates, dates and labels. Money is integer minor
// units everywhere; conversions go through strings, never floats.

import { locale, t } from './i18n';

const EXPONENTS: Record<string, number> = { CNY: 2, USD: 2, EUR: 2, HKD: 2, JPY: 0 };
const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', JPY: '¥' };

function exponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** formatMinor renders 1990 CNY as "19.90" (no symbol). */
export function formatMinor(minor: number, currency = 'CNY'): string {
  const exp = exponent(currency);
  const neg = minor < 0;
  const digits = String(Math.abs(Math.trunc(minor)));
  if (exp === 0) return (neg ? '-' : '') + groupThousands(digits);
  const padded = digits.padStart(exp + 1, '0');
  const whole = padded.slice(0, padded.length - exp);
  const frac = padded.slice(padded.length - exp);
  return `${neg ? '-' : ''}${groupThousands(whole)}.${frac}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * money renders 1990 CNY as "¥19.90", the way the current language writes
 * amounts. The number reaches Intl as the exact decimal string, so no
 * float rounding can creep in.
 */
export function money(minor: number, currency = 'CNY'): string {
  const key = `${locale()}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale(), { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
      moneyFormats.set(key, f);
    } catch {
      f = undefined; // an unknown currency code
    }
  }
  const plain = formatMinor(minor, currency).replace(/,/g, '');
  if (f) return f.format(plain as unknown as number);
  const sym = SYMBOLS[currency];
  const s = formatMinor(minor, currency);
  if (!sym) return `${s} ${currency}`;
  return s.startsWith('-') ? `-${sym}${s.slice(1)}` : `${sym}${s}`;
}

/**
 * parseDecimal reads "19.9" with at most `exp` decimals into an integer
 * scaled by 10^exp ("19.9", 2 → 1990). Returns null when it is not a
 * plain non-negative decimal or has too many decimals.
 */
export function parseDecimal(input: string, exp: number): number | null {
  const s = input.trim().replace(/^[¥$€]/, '').replace(/,/g, '');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const frac = m[2] ?? '';
  if (frac.length > exp) return null;
  const whole = m[1] === '' ? '0' : m[1];
  const v = Number(whole + frac.padEnd(exp, '0'));
  return Number.isSafeInteger(v) ? v : null;
}

/** parseMoney reads a price typed in major units ("19.90" yuan) into minor units. */
export function parseMoney(input: string, currency = 'CNY'): number | null {
  return parseDecimal(input, exponent(currency));
}

/** minorToInput renders minor units for an input box ("19.90"). */
export function minorToInput(minor: number, currency = 'CNY'): string {
  return formatMinor(minor, currency).replace(/,/g, '');
}

/** percent renders basis points: 500 → "5%", 250 → "2.5%". */
export function percent(bps: number): string {
  const s = formatMinor(bps, 'CNY'); // two decimals
  return `${s.replace(/\.?0+$/, '')}%`;
}

/** parsePercent reads "12.5" (percent) into basis points (1250). */
export function parsePercent(input: string): number | null {
  return parseDecimal(input.replace(/%$/, ''), 2);
}

export function dateTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** label turns an identifier such as "fresh_produce" into "Fresh produce". */
export function label(id: string): string {
  const s = id.replace(/[_.]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** attrs renders SKU attributes: {colour: "red", size: "M"} → "colour: red · size: M". */
export function attrs(a: Record<string, string> | null | undefined): string {
  if (!a) return '';
  return Object.entries(a)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
}

/** parseAttrs reads "colour=red, size=M" into {colour: "red", size: "M"}. */
export function parseAttrs(s: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of s.split(/[,;\n]/)) {
    const p = part.trim();
    if (!p) continue;
    const i = p.search(/[=:]/);
    if (i <= 0) return `"${p}" is not name=value`;
    const k = p.slice(0, i).trim();
    const v = p.slice(i + 1).trim();
    if (!k) return `"${p}" has no attribute name`;
    out[k] = v;
  }
  return out;
}

/** attrsToInput is the inverse of parseAttrs. */
export function attrsToInput(a: Record<string, string> | null | undefined): string {
  if (!a) return '';
  return Object.entries(a)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** priceRange shows a product's cheapest price, "from" when SKUs differ. */
export function priceRange(skus: { price_minor: number; currency: string }[] | null | undefined): string {
  if (!skus || skus.length === 0) return '';
  let min = skus[0];
  let differ = false;
  for (const s of skus) {
    if (s.price_minor !== skus[0].price_minor) differ = true;
    if (s.price_minor < min.price_minor) min = s;
  }
  const price = money(min.price_minor, min.currency);
  return differ ? t('viewer.price.from', { price }) : price;
}

/** clock renders seconds as "4:05" or "1:02:03" (uptime, video positions). */
export function clock(totalSeconds: number): string {
  const t = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * countdown renders the time until a moment: "2d 3h", "3h 05m", "4m 09s"
 * ("2天3小时", "3小时05分", "4分09秒"), or "" once it has passed.
 */
export function countdown(ms: number): string {
  if (ms <= 0) return '';
  const total = Math.ceil(ms / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return t('viewer.countdown.days', { d, h });
  if (h > 0) return t('viewer.countdown.hours', { h, m: String(m).padStart(2, '0') });
  return t('viewer.countdown.minutes', { m, s: String(s).padStart(2, '0') });
}
