// Labels for the status codes the server sends (orders, payments, shops,
// live sessions, sales, invitations, …) and for shop categories. The
// codes stay as they are in the API; only what people read is translated.
// A code added on the server before it gets a translation still reads
// sensibly: it falls back to label() ("on_hold" → "On hold").
import { label } from '../format';
import { t } from './index';
import type { MessageKey } from './messages';
import { en } from './messages/viewer';

function lookup(prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  return key in en ? t(key as MessageKey) : label(code);
}

/** statusLabel is any server status for people: "pending_payment" → "Pending payment" / "待付款". */
export function statusLabel(status: string): string {
  return lookup('viewer.status.', status);
}

/** orderStatus is an order status for buyers and merchants. */
export function orderStatus(status: string): string {
  return statusLabel(status);
}

/** categoryLabel is a shop or product category: "fresh_produce" → "Fresh produce" / "生鲜". */
export function categoryLabel(category: string): string {
  return lookup('viewer.category.', category);
}

/** providerLabel is a payment provider: "sandbox" → "Sandbox" / "沙盒支付". */
export function providerLabel(provider: string): string {
  return lookup('viewer.provider.', provider);
}
