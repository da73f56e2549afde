// Translated labels for the server's codes the merchant pages show
// (categories, programmes, order statuses, stock movement reasons, member
// roles); sentences with links inside use tSlots (i18n/slots). Codes
// the app does not know yet fall back to label(code), so a new server value
// still reads sensibly.
import { t } from '../../i18n';
import { messages, type MessageKey } from '../../i18n/messages';
import { label } from '../../format';

function known(key: string): key is MessageKey {
  return key in messages.en;
}

/** coded translates `${prefix}.${code}`, or falls back to label(code). */
function coded(prefix: string, code: string): string {
  const k = `${prefix}.${code}`;
  return known(k) ? t(k) : label(code);
}

export const categoryLabel = (c: string) => coded('merchant.category', c);
export const orderStatusLabel = (s: string) => coded('merchant.orderStatus', s);
export const movementReasonLabel = (r: string) => coded('merchant.reason', r);
export const memberRoleLabel = (r: string) => coded('merchant.role', r);

/** programmeOf reads "Rural programme" for a shop's programme code. */
export function programmeOf(code: string): string {
  const k = `merchant.programme.${code}.short`;
  return t('merchant.programme.of', { name: known(k) ? t(k) : label(code) });
}

/** programmeName is a programme's name, the server's own for codes the app does not know. */
export function programmeName(p: { code: string; name: string }): string {
  const k = `merchant.programme.${p.code}.name`;
  return known(k) ? t(k) : p.name || label(p.code);
}

/** programmeDescription is a programme's description, the server's own for codes the app does not know. */
export function programmeDescription(p: { code: string; description: string }): string {
  const k = `merchant.programme.${p.code}.description`;
  return known(k) ? t(k) : p.description;
}

/** plural picks `${key}.one` for 1 and `${key}.other` otherwise. */
export function plural(one: MessageKey, other: MessageKey, n: number, params: Record<string, string | number> = {}): string {
  return t(n === 1 ? one : other, { n, ...params });
}

