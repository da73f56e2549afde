// Selling in the live room (docs/SELLING.md) as the client knows it: the
// shelf, flash sales, dropped coupons, lucky draws, auctions and the
// "just bought" notices, and how each room event changes them. Pure
// functions like roomstate.ts, which routes the selling events here; the
// page loads GET /live-sessions/{id}/selling on join and after a reset and
// applies it as a local `selling.snapshot` frame.
import type { Auction, Coupon, Draw, FlashSale, LiveProduct, SellingSnapshot } from '../types';
import type { Envelope } from './protocol';

/** The client-only frame type the page applies the REST snapshot with. */
export const SELLING_SNAPSHOT = 'selling.snapshot';
/** How many purchase notices are kept (the toasts show the recent ones). */
export const PURCHASES_CAP = 5;

export interface Purchase {
  /** A local id: the toasts key on it. */
  id: number;
  name: string;
  title: string;
  quantity: number;
  /** When it arrived (client clock). */
  at: number;
}

export interface SellingState {
  /** The shelf from the last `shelf` event; null: the session's own products are current. */
  shelf: LiveProduct[] | null;
  sales: FlashSale[];
  coupons: Coupon[];
  draws: Draw[];
  auctions: Auction[];
  purchases: Purchase[];
  /** Whether the REST snapshot has been applied since the page joined. */
  loaded: boolean;
}

export const initialSelling: SellingState = {
  shelf: null,
  sales: [],
  coupons: [],
  draws: [],
  auctions: [],
  purchases: [],
  loaded: false,
};

/** isSellingEvent says whether roomstate should hand the frame to applySelling. */
export function isSellingEvent(type: string): boolean {
  return (
    type === 'shelf' ||
    type === 'purchase' ||
    type === SELLING_SNAPSHOT ||
    type.startsWith('sale.') ||
    type.startsWith('coupon.') ||
    type.startsWith('draw.') ||
    type.startsWith('auction.')
  );
}

/** upsert replaces the item with the same id (merging, so partial updates keep the rest), or appends it. */
function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const out = list.slice();
  out[i] = { ...list[i], ...item };
  return out;
}

/** patch changes the item with id, if the client has it. */
function patch<T extends { id: string }>(list: T[], id: string, change: Partial<T>): T[] {
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) return list;
  const out = list.slice();
  out[i] = { ...list[i], ...change };
  return out;
}

let purchaseSeq = 0;

/** applySelling returns the selling state after one selling frame. */
export function applySelling(st: SellingState, env: Envelope): SellingState {
  const d = (env.data ?? {}) as Record<string, unknown>;
  switch (env.type) {
    case SELLING_SNAPSHOT: {
      const s = d as unknown as SellingSnapshot;
      return { ...st, loaded: true, sales: s.sales ?? [], coupons: s.coupons ?? [], draws: s.draws ?? [], auctions: s.auctions ?? [] };
    }
    case 'shelf':
      return { ...st, shelf: [...((d.products as LiveProduct[] | null) ?? [])].sort((a, b) => a.position - b.position) };
    case 'sale.scheduled':
    case 'sale.started':
    case 'sale.ended':
      return { ...st, sales: upsert(st.sales, d as unknown as FlashSale) };
    case 'sale.stock': {
      const { id, remaining, sold } = d as { id: string; remaining: number; sold: number };
      return { ...st, sales: patch(st.sales, id, { remaining, sold }) };
    }
    case 'sale.sold_out':
      return { ...st, sales: patch(st.sales, d.id as string, { remaining: 0 }) };
    case 'purchase': {
      const p: Purchase = {
        id: ++purchaseSeq,
        name: String(d.name ?? ''),
        title: String(d.title ?? ''),
        quantity: Number(d.quantity ?? 1),
        at: Date.now(),
      };
      return { ...st, purchases: [...st.purchases, p].slice(-PURCHASES_CAP) };
    }
    case 'coupon.dropped':
      return { ...st, coupons: upsert(st.coupons, d as unknown as Coupon) };
    case 'coupon.stock': {
      const { id, claimed, total_limit } = d as { id: string; claimed: number; total_limit: number };
      return { ...st, coupons: patch(st.coupons, id, { claimed, total_limit }) };
    }
    case 'coupon.gone':
      return { ...st, coupons: st.coupons.filter((c) => c.id !== d.id) };
    case 'draw.started':
    case 'draw.drawn':
      return { ...st, draws: upsert(st.draws, d as unknown as Draw) };
    case 'auction.started':
    case 'auction.bid':
    case 'auction.ended':
      return { ...st, auctions: upsert(st.auctions, d as unknown as Auction) };
    default:
      return st;
  }
}

// ---------- the server's clock ----------

/**
 * Countdowns compare the server's times (starts_at, ends_at…) with the
 * client's clock; a client minutes off would show a wrong countdown. The
 * offset is learnt from the `ts` of the frames received: ts − now is the
 * offset minus the network delay, so the largest recent sample is the
 * closest to the truth.
 */
const OFFSET_SAMPLES = 20;
const offsets: number[] = [];
let clockOffset = 0;

/** noteServerTime records the server time of a frame just received. */
export function noteServerTime(ts: number | undefined, now = Date.now()): void {
  if (!ts || !Number.isFinite(ts)) return;
  offsets.push(ts - now);
  if (offsets.length > OFFSET_SAMPLES) offsets.shift();
  clockOffset = Math.max(...offsets);
}

/** serverNow is the client's best guess of the server's clock, in unix ms. */
export function serverNow(): number {
  return Date.now() + clockOffset;
}

/** msUntil is the time from the server's now to iso (negative once passed; 0 for no time). */
export function msUntil(iso: string | undefined, now = serverNow()): number {
  if (!iso) return 0;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? 0 : t - now;
}

// ---------- what the panels show ----------

/** salePhase is where a sale stands for a viewer now: before its start, open, or over. */
export function salePhase(s: FlashSale, now = serverNow()): 'countdown' | 'open' | 'sold_out' | 'over' {
  if (s.status === 'ended' || s.status === 'settled' || s.status === 'cancelled') return 'over';
  if (msUntil(s.ends_at, now) <= 0 && s.status === 'running') return 'over';
  if (s.remaining <= 0 && (s.status === 'running' || msUntil(s.starts_at, now) <= 0)) return 'sold_out';
  if (s.status === 'scheduled' && msUntil(s.starts_at, now) > 0) return 'countdown';
  return 'open';
}

/** couponOpen says whether viewers can still grab a dropped coupon. */
export function couponOpen(c: Coupon, now = serverNow()): boolean {
  if (!c.grab_ends_at || msUntil(c.grab_ends_at, now) <= 0) return false;
  return c.total_limit <= 0 || c.claimed < c.total_limit;
}

/** nextMinBid is the lowest max bid the server accepts now. */
export function nextMinBid(a: Auction): number {
  if (a.min_next_bid_minor) return a.min_next_bid_minor;
  return a.bids > 0 ? a.current_price_minor + a.min_increment_minor : a.start_price_minor;
}

/** quickBids are the one-tap bids: the next minimum and two increments above it. */
export function quickBids(a: Auction): number[] {
  const min = nextMinBid(a);
  return [min, min + a.min_increment_minor, min + 2 * a.min_increment_minor];
}

/** couponDiscount is what the coupon takes off a subtotal (0 below its minimum spend or in another currency). */
export function couponDiscount(c: Coupon, subtotalMinor: number, currency: string): number {
  if (c.currency && currency && c.currency !== currency) return 0;
  if (subtotalMinor < c.min_spend_minor) return 0;
  const off = c.kind === 'percent' ? Math.floor((subtotalMinor * (c.percent_off ?? 0)) / 100) : (c.amount_off_minor ?? 0);
  return Math.min(off, subtotalMinor);
}

/** shortHash shows the start of a commitment; the full hash goes in a tooltip. */
export function shortHash(h: string | undefined, n = 12): string {
  if (!h) return '';
  return h.length > n ? `${h.slice(0, n)}…` : h;
}
