// The operator's selling console in the studio: flash sales, coupons,
// lucky draws and auctions, each started here and followed live from the
// room's socket. The studio places the shelf editor and the sales strip
// (console-shelf.tsx, console-stats.tsx) in its own panes.
import type { Room } from '../../live/useroom';
import type { LiveSession } from '../../types';
import type { Async } from '../../ui';
import { ErrorBox } from '../../ui';
import { shelf } from '../live';
import { AuctionConsole, DrawConsole } from './console-events';
import { CouponConsole } from './console-coupons';
import { FlashSaleConsole } from './console-flash';
import type { SkuChoice } from './console-kit';
import { useSellingSnapshot } from './room';

export function SellingConsole({ s, rt, skus }: { s: LiveSession; rt: Room; skus: Async<SkuChoice[]> }) {
  useSellingSnapshot(s.id, rt);
  const st = rt.st.selling;
  const over = s.status === 'ended' || s.status === 'replay';
  const currency = shelf(s)[0]?.currency ?? 'CNY';
  const choices = skus.data ?? [];
  // What the server answered shows at once; the room's events then keep it current.
  const apply = (type: string) => (x: unknown) => rt.sock?.applyLocal(type, x);
  if (over) return <div class="selling-console" data-testid="selling-console" />;
  return (
    <div class="selling-console stack" data-testid="selling-console">
      {skus.error ? <ErrorBox err={skus.error} retry={skus.reload} /> : null}
      <FlashSaleConsole sessionID={s.id} choices={choices} sales={st.sales} onSale={apply('sale.scheduled')} onStock={skus.reload} disabled={!skus.data} />
      <CouponConsole sessionID={s.id} shopID={s.shop_id} currency={currency} live={st.coupons} onDrop={apply('coupon.dropped')} disabled={over} />
      <DrawConsole sessionID={s.id} choices={choices} draws={st.draws} onDraw={apply('draw.started')} onStock={skus.reload} disabled={!skus.data} />
      <AuctionConsole sessionID={s.id} choices={choices} auctions={st.auctions} onAuction={apply('auction.started')} onStock={skus.reload} disabled={!skus.data} />
    </div>
  );
}
