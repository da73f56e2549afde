// The console's orders: the shop's orders by status with the merchant's
// actions: ship (carrier and tracking number), mark delivered, refund, cancel;
// and the buyers' open refund requests (their own tab with a count), each
// approved or declined with a reason.
import { useState } from 'preact/hooks';
import { api, list, one } from '../../api';
import { addressLine } from '../../components/checkout';
import { ORDER_STATUSES, OrderHead, OrderLines, OrderWhen } from '../../components/orders';
import { PagedList } from '../../components/paged';
import { refundRequestOf, ShopRefundRequest } from '../../components/refund-request';
import { money } from '../../format';
import { t } from '../../i18n';
import type { Order, Shop } from '../../types';
import { Button, Field, FormError, useAction, useAsync, val } from '../../ui';
import { orderStatusLabel } from './text';
import { tSlots } from '../../i18n/slots';

/** REFUND_REQUESTED is the orders filter for open refund requests (not an order status). */
const REFUND_REQUESTED = 'refund_requested';
/** COUNT_LIMIT: open requests counted for the tab; more read as "N+". */
const COUNT_LIMIT = 100;

export function OrdersTab({ shop }: { shop: Shop }) {
  const [status, setStatus] = useState('');
  const [nonce, setNonce] = useState(0);
  const refresh = () => setNonce((n) => n + 1);
  // The open requests' count for the tab (a server without refund requests answers with an error: no count).
  const open = useAsync(
    (signal) =>
      list<Order>('/orders', { shop_id: shop.id, status: REFUND_REQUESTED, limit: COUNT_LIMIT }, signal).then(
        (pg) => `${pg.items.length}${pg.next_cursor ? '+' : ''}`,
        () => '',
      ),
    [shop.id, nonce],
  );
  const count = open.data ?? '';
  const filters = ['', REFUND_REQUESTED, ...ORDER_STATUSES];
  const name = (s: string) =>
    s === REFUND_REQUESTED
      ? count && count !== '0'
        ? t('merchant.refundRequests.tabCount', { n: count })
        : t('merchant.refundRequests.tab')
      : s
        ? orderStatusLabel(s)
        : t('merchant.orders.all');
  return (
    <div class="stack">
      <div class="orders-filter">
        <div class="tabs small" role="tablist" aria-label={t('merchant.orders.filter')}>
          {filters.map((s) => (
            <button
              key={s}
              role="tab"
              aria-selected={s === status}
              class={s === status ? 'tab active' : 'tab'}
              onClick={() => setStatus(s)}
              data-testid={s === REFUND_REQUESTED ? 'orders-tab-refund-requests' : undefined}
              data-count={s === REFUND_REQUESTED ? count : undefined}
            >
              {name(s)}
            </button>
          ))}
        </div>
        <button class="tab" onClick={refresh} aria-label={t('merchant.orders.refresh')} data-testid="orders-refresh">
          ↻
        </button>
      </div>
      <PagedList<Order>
        path="/orders"
        query={{ shop_id: shop.id, status }}
        nonce={nonce}
        testid="shop-orders"
        empty={
          status === REFUND_REQUESTED
            ? t('merchant.refundRequests.empty')
            : status
              ? t('merchant.orders.emptyStatus', { status: orderStatusLabel(status).toLowerCase() })
              : t('merchant.orders.empty')
        }
        // Keyed by state too: a refresh shows what changed meanwhile (a request withdrawn, …).
        render={(o) => <ShopOrder key={`${o.id}:${o.updated_at}:${refundRequestOf(o)?.id ?? ''}:${refundRequestOf(o)?.status ?? ''}`} o={o} onActed={refresh} />}
      />
    </div>
  );
}

type Mode = '' | 'ship' | 'refund';

function ShopOrder({ o: initial, onActed }: { o: Order; onActed: () => void }) {
  const [o, setO] = useState(initial);
  const [mode, setMode] = useState<Mode>('');
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [reason, setReason] = useState('');
  const act = useAction(async (what: 'ship' | 'deliver' | 'refund' | 'cancel') => {
    let body: Record<string, string> = {};
    if (what === 'ship') body = { carrier: carrier.trim(), tracking_number: tracking.trim() };
    if (what === 'refund') body = { reason: reason.trim() };
    if (what === 'cancel') {
      if (!confirm(t('merchant.orders.confirmCancel'))) return;
      body = { reason: 'cancelled by the shop' };
    }
    setO(one<Order>(await api.post(`/orders/${o.id}/${what}`, body), 'order'));
    setMode('');
    if (what === 'refund') onActed(); // a refund also approves an open refund request
  });
  const refundable = o.status === 'paid' || o.status === 'shipped' || o.status === 'delivered';
  const split = (o.lines ?? []).reduce(
    (sum, l) => ({
      fee: sum.fee + (l.platform_fee_minor ?? 0),
      host: sum.host + (l.host_commission_minor ?? 0) + (l.mcn_share_minor ?? 0),
      net: sum.net + (l.merchant_net_minor ?? 0),
    }),
    { fee: 0, host: 0, net: 0 },
  );
  const paidOnce = !!o.paid_at;

  return (
    <li class="card order" data-testid="shop-order" data-order-id={o.id}>
      <OrderHead o={o} href={`/orders/${o.id}`} />
      <ShopRefundRequest
        o={o}
        onChange={(next) => {
          setO(next);
          onActed();
        }}
      />
      <OrderLines o={o} linkProducts={false} />
      <p class="small">
        <b>{t('merchant.orders.shipTo')}</b> {addressLine(o.ship_to)}
      </p>
      <OrderWhen o={o} />
      {paidOnce && (
        <p class="muted small">
          {tSlots('merchant.orders.split', {
            fee: money(split.fee, o.currency),
            host: money(split.host, o.currency),
            net: <b>{money(split.net, o.currency)}</b>,
          })}
        </p>
      )}
      <div class="actions">
        {o.status === 'paid' && (
          <Button kind={mode === 'ship' ? 'primary' : 'secondary'} onClick={() => setMode(mode === 'ship' ? '' : 'ship')} data-testid="order-ship">
            {t('merchant.orders.ship')}
          </Button>
        )}
        {o.status === 'shipped' && (
          <Button busy={act.busy} onClick={() => act.run('deliver')} data-testid="order-deliver">
            {t('merchant.orders.deliver')}
          </Button>
        )}
        {refundable && (
          <Button kind="ghost" onClick={() => setMode(mode === 'refund' ? '' : 'refund')} data-testid="order-refund">
            {t('merchant.orders.refund')}
          </Button>
        )}
        {o.status === 'pending_payment' && (
          <Button kind="ghost" busy={act.busy} onClick={() => act.run('cancel')} data-testid="order-cancel">
            {t('merchant.cancel')}
          </Button>
        )}
      </div>
      {mode === 'ship' && (
        <form
          class="form inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            act.run('ship');
          }}
        >
          <div class="row2">
            <Field label={t('merchant.orders.carrier')} name="carrier" err={act.error}>
              <input required value={carrier} onInput={(e) => setCarrier(val(e))} placeholder={t('merchant.orders.carrierPlaceholder')} data-testid="ship-carrier" />
            </Field>
            <Field label={t('merchant.orders.tracking')} name="tracking_number" err={act.error}>
              <input required value={tracking} onInput={(e) => setTracking(val(e))} data-testid="ship-tracking" />
            </Field>
          </div>
          <Button type="submit" busy={act.busy} data-testid="ship-submit">
            {t('merchant.orders.markShipped')}
          </Button>
        </form>
      )}
      {mode === 'refund' && (
        <form
          class="form inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            act.run('refund');
          }}
        >
          <Field label={t('merchant.orders.reason')} name="reason" err={act.error}>
            <input required value={reason} onInput={(e) => setReason(val(e))} data-testid="refund-reason" />
          </Field>
          <Button type="submit" kind="danger" busy={act.busy} data-testid="refund-submit">
            {t('merchant.orders.refundAmount', { amount: money(o.total_minor, o.currency) })}
          </Button>
        </form>
      )}
      <FormError err={act.error} fields={mode === 'ship' ? ['carrier', 'tracking_number'] : mode === 'refund' ? ['reason'] : []} />
    </li>
  );
}
