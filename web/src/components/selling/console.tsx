// The operator's selling console in the studio: the live sales strip, the
// shelf editor, and flash sales, coupons, lucky draws and auctions, each
// started here and followed live from the room's socket.
import type { Room } from '../../live/useroom';
import type { LiveSession } from '../../types';
import { t } from '../../i18n';
import { ErrorBox } from '../../ui';
import { shelf } from '../live';
import { AuctionConsole, DrawConsole } from './console-events';
import { CouponConsole } from './console-coupons';
import { FlashSaleConsole } from './console-flash';
import { useShelfSKUs } from './console-kit';
import { ShelfEditor } from './console-shelf';
import { SalesStrip } from './console-stats';
import { useSellingSnapshot } from './room';

export function SellingConsole({ s, rt, onSession }: { s: LiveSession; rt: Room; onSession: (s: LiveSession) => void }) {
  useSellingSnapshot(s.id, rt);
  const skus = useShelfSKUs(s);
  const st = rt.st.selling;
  const over = s.status === 'ended' || s.status === 'replay';
  const currency = shelf(s)[0]?.currency ?? 'CNY';
  const choices = skus.data ?? [];
  // What the server answered shows at once; the room's events then keep it current.
  const apply = (type: string) => (x: unknown) => rt.sock?.applyLocal(type, x);
  return (
    <section class="selling-console stack" data-testid="selling-console">
      <h2 class="section-title">{t('studio.selling.title')}</h2>
      <SalesStrip sessionID={s.id} currency={currency} live={!over} />
      {!over && (
        <div class="studio-grid">
          <div class="stack">
            {skus.error ? <ErrorBox err={skus.error} retry={skus.reload} /> : null}
            <FlashSaleConsole sessionID={s.id} choices={choices} sales={st.sales} onSale={apply('sale.scheduled')} onStock={skus.reload} disabled={!skus.data} />
            <AuctionConsole sessionID={s.id} choices={choices} auctions={st.auctions} onAuction={apply('auction.started')} onStock={skus.reload} disabled={!skus.data} />
            <DrawConsole sessionID={s.id} choices={choices} draws={st.draws} onDraw={apply('draw.started')} onStock={skus.reload} disabled={!skus.data} />
          </div>
          <div class="stack">
            <ShelfEditor s={s} onSession={onSession} />
            <CouponConsole sessionID={s.id} shopID={s.shop_id} currency={currency} live={st.coupons} onDrop={apply('coupon.dropped')} disabled={over} />
          </div>
        </div>
      )}
    </section>
  );
}
