// The buyer's orders: the list with status tabs, and one order with its
// history; pay, cancel while unpaid, confirm receipt once delivered, ask
// for a refund (and withdraw or repeat the request).
import { useState } from 'preact/hooks';
import { api, list, newIdempotencyKey, one } from '../api';
import { addressLine, startPayment } from '../components/checkout';
import { History, ORDER_STATUSES, OrderHead, OrderLines, OrderWhen, Tracking } from '../components/orders';
import { PagedList } from '../components/paged';
import { BuyerRefund, canRequestRefund } from '../components/refund-request';
import { dateTime, money } from '../format';
import { t } from '../i18n';
import { orderStatus, providerLabel, statusLabel } from '../i18n/order-status';
import { fillSlots } from '../i18n/slots';
import { Link, setQuery, useLocation } from '../router';
import { shopRole, useSession } from '../session';
import type { Order, Payment, StatusChange } from '../types';
import { Button, Card, FormError, Loaded, Notice, useAction, useAsync, usePoll, useTitle } from '../ui';

/** The server completes a delivered order this long after delivery (order.AutoCompleteAfter). */
const AUTO_COMPLETE_MS = 7 * 24 * 3600 * 1000;

function BuyerActions({ o, onChange }: { o: Order; onChange: (o: Order) => void }) {
  const act = useAction(async (what: 'pay' | 'cancel' | 'complete') => {
    if (what === 'pay') {
      await startPayment(o.id, newIdempotencyKey());
      return;
    }
    if (what === 'cancel' && !confirm(t('viewer.order.confirmCancel'))) return;
    const body = what === 'cancel' ? { reason: 'cancelled by buyer' } : {};
    onChange(one<Order>(await api.post(`/orders/${o.id}/${what}`, body), 'order'));
  });
  if (o.status !== 'pending_payment' && o.status !== 'delivered') return null;
  return (
    <div class="actions">
      {o.status === 'pending_payment' && (
        <>
          <Button busy={act.busy} onClick={() => act.run('pay')} data-testid="order-pay">
            {t('viewer.order.pay', { price: money(o.total_minor, o.currency) })}
          </Button>
          <Button kind="secondary" busy={act.busy} onClick={() => act.run('cancel')} data-testid="order-cancel">
            {t('viewer.order.cancel')}
          </Button>
        </>
      )}
      {o.status === 'delivered' && (
        <>
          <Button busy={act.busy} onClick={() => act.run('complete')} data-testid="order-complete">
            {t('viewer.order.confirmReceipt')}
          </Button>
          {o.delivered_at && (
            <p class="hint" data-testid="order-auto-complete">
              {t('viewer.order.autoComplete', { time: dateTime(new Date(Date.parse(o.delivered_at) + AUTO_COMPLETE_MS).toISOString()) })}
            </p>
          )}
        </>
      )}
      <FormError err={act.error} />
    </div>
  );
}

function OrderCard({ o: initial }: { o: Order }) {
  const [o, setO] = useState(initial);
  return (
    <li class="card order" data-testid="order-card" data-order-id={o.id}>
      <OrderHead o={o} href={`/orders/${o.id}`} />
      <OrderLines o={o} />
      <OrderWhen o={o} />
      <BuyerActions o={o} onChange={setO} />
      <BuyerRefund o={o} onChange={setO} />
    </li>
  );
}

export function MyOrders() {
  useTitle(t('viewer.orders.title'));
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  return (
    <div>
      <h1>{t('viewer.orders.title')}</h1>
      <div class="tabs" role="tablist">
        {['', ...ORDER_STATUSES].map((s) => (
          <button key={s} role="tab" aria-selected={s === status} class={s === status ? 'tab active' : 'tab'} onClick={() => setQuery({ status: s })}>
            {s ? orderStatus(s) : t('viewer.orders.all')}
          </button>
        ))}
      </div>
      <PagedList<Order>
        path="/orders"
        query={{ status }}
        testid="orders"
        empty={status ? t('viewer.orders.emptyStatus', { status: orderStatus(status).toLowerCase() }) : t('viewer.orders.empty')}
        render={(o) => <OrderCard key={o.id} o={o} />}
      />
    </div>
  );
}

export function OrderPage({ params }: { params: Record<string, string> }) {
  useTitle(t('viewer.order.title'));
  const s = useSession();
  const { query } = useLocation();
  const a = useAsync(async (signal) => {
    const [o, h, p] = await Promise.all([
      api.get(`/orders/${params.id}`, undefined, signal).then((b) => one<Order>(b, 'order')),
      list<StatusChange>(`/orders/${params.id}/history`, undefined, signal).catch(() => ({ items: [], next_cursor: '' })),
      list<Payment>(`/orders/${params.id}/payments`, undefined, signal).catch(() => ({ items: [], next_cursor: '' })),
    ]);
    return { o, history: h.items, payments: p.items };
  }, [params.id]);
  // The provider confirms a payment by webhook; until the order shows it,
  // look again every second for a short while.
  const [polls, setPolls] = useState(0);
  const confirming = query.get('payment') === 'succeeded' && a.data?.o.status === 'pending_payment' && polls < 15;
  usePoll(
    () => {
      setPolls((n) => n + 1);
      a.reload();
    },
    1000,
    confirming,
  );
  return (
    <Loaded a={a}>
      {({ o, history, payments }) => {
        const buyer = s.me.user?.id === o.user_id;
        return (
          <div class="stack">
            <h1>{t('viewer.order.title')}</h1>
            {query.get('pay') === 'failed' && o.status === 'pending_payment' && (
              <Notice>{t('viewer.order.payFailedToStart')}</Notice>
            )}
            {query.get('payment') === 'succeeded' && o.status === 'pending_payment' && (
              <Notice>{t('viewer.order.confirming')}</Notice>
            )}
            {query.get('payment') === 'succeeded' && o.status === 'paid' && (
              <Notice>
                <span data-testid="payment-succeeded">{t('viewer.order.paid')}</span>
              </Notice>
            )}
            {query.get('payment') === 'failed' && o.status === 'pending_payment' && (
              <p class="form-error" data-testid="payment-failed">
                {t('viewer.order.declined')}
              </p>
            )}
            <Card>
              <OrderHead o={o} />
              <OrderLines o={o} />
              {buyer ? (
                <>
                  <BuyerActions o={o} onChange={() => a.reload()} />
                  <BuyerRefund
                    o={o}
                    onChange={(next) => {
                      a.setData({ o: next, history, payments });
                      a.reload(); // the history gains the move
                    }}
                  />
                </>
              ) : shopRole(s.me, o.shop_id) ? (
                <p class="hint">
                  {t('viewer.order.manageBefore')}
                  <Link href={`/merchant/shops/${o.shop_id}?tab=orders`}>{t('viewer.order.manageLink')}</Link>
                  {t('viewer.order.manageAfter')}
                </p>
              ) : null}
            </Card>
            <Card title={t('viewer.track.title')}>
              <Tracking o={o} />
              {buyer && canRequestRefund(o) && (
                <p class="hint" data-testid="refund-help">
                  {fillSlots(t('viewer.order.refundHelp'), { shop: <Link href={`/shops/${o.shop_id}`}>{t('viewer.order.theShop')}</Link> })}
                </p>
              )}
            </Card>
            <Card title={t('viewer.order.shipTo')}>
              <p>{addressLine(o.ship_to)}</p>
            </Card>
            {payments.length > 0 && (
              <Card title={t('viewer.order.payments')}>
                <ul class="plain">
                  {payments.map((p) => (
                    <li key={p.id}>
                      {providerLabel(p.provider)} · {money(p.amount_minor, p.currency)} · {statusLabel(p.status)}
                    </li>
                  ))}
                </ul>
              </Card>
            )}
            {history.length > 0 && (
              <Card title={t('viewer.order.history')}>
                <History items={history} />
              </Card>
            )}
          </div>
        );
      }}
    </Loaded>
  );
}
