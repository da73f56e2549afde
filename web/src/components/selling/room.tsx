// Selling in the viewer's room: loads the selling state when the page
// joins or the socket resets, records the funnel's `view`, and renders the
// pieces the room page places: the overlay on the video (bag, "just
// bought" notices), the panels (flash sales, coupons, draws, auctions) and
// the sheets (shelf, product).
import { useEffect, useRef, useState } from 'preact/hooks';
import { selling } from '../../api';
import { t } from '../../i18n';
import { couponOpen, msUntil, noteServerTime, SELLING_SNAPSHOT, salePhase, type SellingState } from '../../live/selling';
import { type Room, useRoomEvents } from '../../live/useroom';
import { useSession } from '../../session';
import type { Auction, LiveProduct, LiveSession } from '../../types';
import { Button } from '../../ui';
import { shelf as sessionShelf } from '../live';
import { AuctionPanel } from './auction';
import { useTrack } from './buy';
import { CouponCard } from './coupon';
import { DrawPanel } from './draw';
import { FlashSalePanel } from './flash-sale';
import { ProductSheet } from './product-sheet';
import { BagButton, ShelfSheet } from './shelf';
import { useServerNow } from './time';
import { PurchaseToasts } from './toasts';

/** How long a closed coupon or sale stays on screen, and how many draws and auctions show at once. */
const COUPON_LINGER_MS = 10_000;
const RECENT = 2;

/**
 * useSellingSnapshot loads GET /live-sessions/{id}/selling into the room's
 * state whenever the socket gets a snapshot (join, reset), and learns the
 * server's clock from the live frames. The studio uses it too.
 */
export function useSellingSnapshot(sessionID: string, rt: Room): void {
  const { st, sock } = rt;
  const seq = useRef(0);
  const inflight = useRef(false);
  const load = () => {
    if (!sock) return;
    const n = ++seq.current;
    inflight.current = true;
    selling.snapshot(sessionID).then(
      (snap) => {
        if (n !== seq.current) return;
        inflight.current = false;
        if (snap) sock.applyLocal(SELLING_SNAPSHOT, snap);
      },
      () => {
        if (n === seq.current) inflight.current = false; // a later snapshot tries again
      },
    );
  };
  // The socket may have joined before this part of the page was mounted.
  useEffect(() => {
    if (sock && st.synced && !st.selling.loaded && !inflight.current) load();
  }, [sock, st.synced]);
  useRoomEvents(sock, (e) => {
    // Ephemeral frames (counts…) are current; replayed stream events are not.
    if (!e.seq) noteServerTime(e.ts);
    if (e.type === 'snapshot') load();
  });
}

export interface SellingRoom {
  session: LiveSession;
  st: SellingState;
  /** The shelf in order: from the last `shelf` event, else the session's. */
  shelf: LiveProduct[];
  product: LiveProduct | null;
  shelfOpen: boolean;
  openProduct: (p: LiveProduct) => void;
  openShelf: () => void;
  close: () => void;
  onAuction: (a: Auction) => void;
}

export function useSellingRoom(s: LiveSession, rt: Room): SellingRoom {
  const { loaded } = useSession();
  const track = useTrack(s.id);
  const [product, setProduct] = useState<LiveProduct | null>(null);
  const [shelfOpen, setShelfOpen] = useState(false);
  useSellingSnapshot(s.id, rt);
  // One `view` per page and session, once we know whether the viewer is signed in.
  const viewed = useRef('');
  useEffect(() => {
    if (!loaded || viewed.current === s.id || (s.status !== 'live' && s.status !== 'replay' && s.status !== 'scheduled')) return;
    viewed.current = s.id;
    track('view');
  }, [loaded, s.id, s.status]);
  const st = rt.st.selling;
  return {
    session: s,
    st,
    shelf: st.shelf ?? sessionShelf(s),
    product,
    shelfOpen,
    openProduct: (p) => {
      setShelfOpen(false);
      setProduct(p);
    },
    openShelf: () => setShelfOpen(true),
    close: () => {
      setProduct(null);
      setShelfOpen(false);
    },
    // A bid's answer shows at once, unless a newer event already came.
    onAuction: (a) => {
      const cur = st.auctions.find((x) => x.id === a.id);
      if (!cur || a.bids >= cur.bids) rt.sock?.applyLocal('auction.bid', a);
    },
  };
}

/** SellingOverlay sits on the video: "just bought" notices and the bag. */
export function SellingOverlay({ ctl }: { ctl: SellingRoom }) {
  return (
    <>
      <PurchaseToasts purchases={ctl.st.purchases} />
      <BagButton count={ctl.shelf.length} onOpen={ctl.openShelf} replay={ctl.session.status === 'replay'} />
    </>
  );
}

/** ShelfBuy is the Buy button of a shelf row. */
export function ShelfBuy({ ctl, p }: { ctl: SellingRoom; p: LiveProduct }) {
  return (
    <Button class="small" onClick={() => ctl.openProduct(p)} data-testid="shelf-item-buy">
      {t('room.buy')}
    </Button>
  );
}

/** visibleDeals are the deals on screen now: running or coming sales and coupons (a closed one lingers a moment), the last draws and auctions. */
export function visibleDeals(ctl: SellingRoom, now: number) {
  const { st } = ctl;
  const sales = st.sales
    .filter((x) => salePhase(x, now) !== 'over' || (x.status !== 'cancelled' && msUntil(x.ends_at, now) > -COUPON_LINGER_MS))
    .sort((a, b) => (a.status === 'running' ? 0 : 1) - (b.status === 'running' ? 0 : 1) || a.starts_at.localeCompare(b.starts_at));
  const coupons = st.coupons.filter((c) => couponOpen(c, now) || msUntil(c.grab_ends_at, now) > -COUPON_LINGER_MS);
  const draws = st.draws.filter((d) => d.status !== 'cancelled').slice(-RECENT);
  const auctions = st.auctions.slice(-RECENT);
  return { sales, coupons, draws, auctions };
}

/** useDealCount is how many deals show now (the phone room's tray says it when folded). */
export function useDealCount(ctl: SellingRoom): number {
  const now = useServerNow(1000);
  const d = visibleDeals(ctl, now);
  return d.sales.length + d.coupons.length + d.draws.length + d.auctions.length;
}

/** SellingPanels: the running flash sales, coupons to grab, draws and auctions. */
export function SellingPanels({ ctl }: { ctl: SellingRoom }) {
  const now = useServerNow(1000);
  const [claimed, setClaimed] = useState<Set<string>>(new Set());
  const me = useSession().me;
  // The coupons already in the viewer's wallet show as grabbed.
  const shopID = ctl.session.shop_id;
  useEffect(() => {
    if (!me.user) return;
    const ctl2 = new AbortController();
    selling.myCoupons(shopID, ctl2.signal).then((p) => setClaimed(new Set(p.items.map((c) => c.coupon_id))), () => undefined);
    return () => ctl2.abort();
  }, [shopID, me.user?.id]);

  const { sales, coupons, draws, auctions } = visibleDeals(ctl, now);
  if (sales.length + coupons.length + draws.length + auctions.length === 0) return null;
  return (
    <div class="selling-panels" data-testid="selling-panels">
      {sales.map((x) => (
        <FlashSalePanel key={x.id} session={ctl.session} sale={x} />
      ))}
      {coupons.map((c) => (
        <CouponCard key={c.id} c={c} mine={claimed.has(c.id)} onClaimed={(id) => setClaimed((s) => new Set(s).add(id))} />
      ))}
      {auctions.map((a) => (
        <AuctionPanel key={a.id} a={a} onChange={ctl.onAuction} />
      ))}
      {draws.map((d) => (
        <DrawPanel key={d.id} d={d} shelf={ctl.shelf} />
      ))}
    </div>
  );
}

/** SellingSheets: the shelf list and the product sheet, when open. */
export function SellingSheets({ ctl, explaining }: { ctl: SellingRoom; explaining: string }) {
  if (ctl.product) return <ProductSheet session={ctl.session} item={ctl.product} onClose={ctl.close} />;
  if (ctl.shelfOpen) return <ShelfSheet products={ctl.shelf} explaining={explaining} onBuy={ctl.openProduct} onClose={ctl.close} />;
  return null;
}
