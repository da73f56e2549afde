// Buyer refund requests (after-sales, like 申请退款): the buyer asks for a
// refund with a reason on a paid, shipped or delivered order; the shop
// approves (POST /orders/{id}/refund) or declines with a reason within 48 h,
// after which the refund is made automatically. The buyer may withdraw an
// open request, and ask again after a decline.
import { useState } from 'preact/hooks';
import { api, one } from '../api';
import { dateTime } from '../format';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import type { Order } from '../types';
import { Button, Field, FieldError, FormError, useAction, val } from '../ui';
import { Sheet } from './selling/sheet';

export const REFUND_REASONS = ['not_received', 'damaged', 'not_as_described', 'wrong_item', 'changed_mind', 'other'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
export type RefundRequestStatus = 'open' | 'approved' | 'declined' | 'withdrawn';

/** RefundRequest is the order's latest refund request (Order.refund_request). */
export interface RefundRequest {
  id: string;
  order_id: string;
  reason: RefundReason | string;
  note?: string;
  status: RefundRequestStatus;
  respond_by: string;
  created_at: string;
  decided_at?: string;
  decline_reason?: string;
}

/** NOTE_MAX is the longest note the server takes. */
export const NOTE_MAX = 500;
/** DECLINE_MAX is the longest reason a shop may give for declining. */
export const DECLINE_MAX = 200;

/** refundRequestOf is the order's latest refund request, if it ever had one. */
export function refundRequestOf(o: Order): RefundRequest | undefined {
  return (o as Order & { refund_request?: RefundRequest }).refund_request ?? undefined;
}

/** refundable: the order's status lets the buyer ask for a refund. */
export function refundable(o: Order): boolean {
  return o.status === 'paid' || o.status === 'shipped' || o.status === 'delivered';
}

/** canRequestRefund: the buyer may ask now (refundable, and no request is open). */
export function canRequestRefund(o: Order): boolean {
  return refundable(o) && refundRequestOf(o)?.status !== 'open';
}

/** refundReasonLabel is a reason code for people; unknown codes read as they are. */
export function refundReasonLabel(reason: string): string {
  const key = `viewer.refund.reason.${reason}`;
  return (REFUND_REASONS as readonly string[]).includes(reason) ? t(key as MessageKey) : reason;
}

/** RefundRequestSheet asks for the reason (and a note) and sends the request. */
export function RefundRequestSheet({ o, onClose, onDone }: { o: Order; onClose: () => void; onDone: (o: Order) => void }) {
  const [reason, setReason] = useState<RefundReason | ''>('');
  const [note, setNote] = useState('');
  const act = useAction(async () => {
    if (!reason) return;
    const body = await api.post(`/orders/${o.id}/refund-request`, { reason, note: note.trim() });
    onDone(one<Order>(body, 'order'));
  });
  const noteRequired = reason === 'other';
  return (
    <Sheet title={t('viewer.refund.sheetTitle')} onClose={onClose} testid="refund-request-sheet">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <fieldset class="field" data-testid="refund-reasons">
          <legend class="field-label">{t('viewer.refund.reasonLabel')}</legend>
          <div class="choices">
            {REFUND_REASONS.map((r) => (
              <label key={r} class={reason === r ? 'choice selected' : 'choice'}>
                <input
                  type="radio"
                  name="refund-reason"
                  value={r}
                  required
                  checked={reason === r}
                  onChange={() => setReason(r)}
                  data-testid={`refund-reason-${r}`}
                />
                <span>{refundReasonLabel(r)}</span>
              </label>
            ))}
          </div>
          <FieldError err={act.error} name="reason" />
        </fieldset>
        <Field
          label={noteRequired ? t('viewer.refund.noteRequired') : t('viewer.refund.note')}
          name="note"
          err={act.error}
          hint={t('viewer.refund.noteHint', { n: NOTE_MAX })}
        >
          <textarea
            rows={3}
            maxLength={NOTE_MAX}
            required={noteRequired}
            value={note}
            onInput={(e) => setNote(val(e))}
            data-testid="refund-note"
          />
        </Field>
        <FormError err={act.error} fields={['reason', 'note']} />
        <Button type="submit" busy={act.busy} disabled={!reason} data-testid="refund-request-submit">
          {t('viewer.refund.submit')}
        </Button>
      </form>
    </Sheet>
  );
}

/**
 * BuyerRefund is the buyer's side of an order's refund request: its state
 * (open with the shop's deadline and Withdraw, declined with the shop's
 * reason, approved, withdrawn) and the button that asks for a refund.
 */
export function BuyerRefund({ o, onChange }: { o: Order; onChange: (o: Order) => void }) {
  const [open, setOpen] = useState(false);
  const rr = refundRequestOf(o);
  const withdraw = useAction(async () => {
    if (!confirm(t('viewer.refund.confirmWithdraw'))) return;
    onChange(one<Order>(await api.del(`/orders/${o.id}/refund-request`), 'order'));
  });
  const canAsk = canRequestRefund(o);
  if (!rr && !canAsk) return null;
  return (
    <div class="refund-request" data-testid="refund-request" data-status={rr?.status ?? 'none'}>
      {rr && <RefundState rr={rr} />}
      {(canAsk || rr?.status === 'open') && (
        <div class="actions">
          {rr?.status === 'open' && (
          <Button kind="secondary" busy={withdraw.busy} onClick={() => withdraw.run()} data-testid="refund-withdraw">
            {t('viewer.refund.withdraw')}
          </Button>
        )}
          {canAsk && (
            <Button kind="secondary" onClick={() => setOpen(true)} data-testid="refund-request-open">
              {rr?.status === 'declined' ? t('viewer.refund.again') : t('viewer.refund.request')}
            </Button>
          )}
        </div>
      )}
      <FormError err={withdraw.error} />
      {open && (
        <RefundRequestSheet
          o={o}
          onClose={() => setOpen(false)}
          onDone={(next) => {
            setOpen(false);
            onChange(next);
          }}
        />
      )}
    </div>
  );
}

/** RefundState says where the request stands, for the buyer. */
function RefundState({ rr }: { rr: RefundRequest }) {
  const reason = refundReasonLabel(rr.reason);
  switch (rr.status) {
    case 'open':
      return (
        <div role="status">
          <p>
            <b data-testid="refund-state">{t('viewer.refund.requested', { time: dateTime(rr.respond_by) })}</b>
          </p>
          <p class="muted small">
            {t('viewer.refund.yourReason', { reason })}
            {rr.note ? ` · ${rr.note}` : ''}
          </p>
          <p class="hint">{t('viewer.refund.automatic')}</p>
        </div>
      );
    case 'declined':
      return (
        <div role="status">
          <p class="form-error" data-testid="refund-state">
            {t('viewer.refund.declined', { reason: rr.decline_reason || '—' })}
          </p>
          <p class="muted small">{t('viewer.refund.yourReason', { reason })}</p>
        </div>
      );
    case 'approved':
      return (
        <p data-testid="refund-state">
          <b>{t('viewer.refund.approved', { time: dateTime(rr.decided_at) })}</b>
        </p>
      );
    case 'withdrawn':
      return (
        <p class="muted small" data-testid="refund-state">
          {t('viewer.refund.withdrawn', { time: dateTime(rr.decided_at) })}
        </p>
      );
    default:
      return null;
  }
}

/** ShopRefundRequest is the shop's side: the buyer's reason, note and deadline; approve or decline. */
export function ShopRefundRequest({ o, onChange }: { o: Order; onChange: (o: Order) => void }) {
  const rr = refundRequestOf(o);
  const [declining, setDeclining] = useState(false);
  const approve = useAction(async () => {
    if (!rr) return;
    const reason = `refund request approved (${rr.reason})`;
    onChange(one<Order>(await api.post(`/orders/${o.id}/refund`, { reason }), 'order'));
  });
  if (!rr || rr.status !== 'open') return null;
  return (
    <div class="refund-request inline-form" data-testid="shop-refund-request" data-status={rr.status}>
      <p>
        <span class="badge badge-warn">{t('merchant.refundRequests.badge')}</span>{' '}
        <b data-testid="shop-refund-reason">{refundReasonLabel(rr.reason)}</b>
        <span class="muted small"> · {dateTime(rr.created_at)}</span>
      </p>
      {rr.note && (
        <p class="small" data-testid="shop-refund-note">
          “{rr.note}”
        </p>
      )}
      <p class="hint" data-testid="shop-refund-respond-by">
        {t('merchant.refundRequests.respondBy', { time: dateTime(rr.respond_by) })}
      </p>
      <div class="actions">
        <Button kind="danger" busy={approve.busy} onClick={() => approve.run()} data-testid="refund-approve">
          {t('merchant.refundRequests.approve')}
        </Button>
        <Button kind="secondary" onClick={() => setDeclining(true)} data-testid="refund-decline">
          {t('merchant.refundRequests.decline')}
        </Button>
      </div>
      <FormError err={approve.error} />
      {declining && (
        <DeclineSheet
          o={o}
          onClose={() => setDeclining(false)}
          onDone={(next) => {
            setDeclining(false);
            onChange(next);
          }}
        />
      )}
    </div>
  );
}

function DeclineSheet({ o, onClose, onDone }: { o: Order; onClose: () => void; onDone: (o: Order) => void }) {
  const [reason, setReason] = useState('');
  const act = useAction(async () => {
    const body = await api.post(`/orders/${o.id}/refund-request/decline`, { reason: reason.trim() });
    onDone(one<Order>(body, 'order'));
  });
  return (
    <Sheet title={t('merchant.refundRequests.declineTitle')} onClose={onClose} testid="refund-decline-sheet">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label={t('merchant.refundRequests.declineReason')} name="reason" err={act.error} hint={t('merchant.refundRequests.declineHint')}>
          <textarea
            rows={3}
            required
            maxLength={DECLINE_MAX}
            value={reason}
            onInput={(e) => setReason(val(e))}
            data-testid="refund-decline-reason"
          />
        </Field>
        <FormError err={act.error} fields={['reason']} />
        <Button type="submit" busy={act.busy} data-testid="refund-decline-submit">
          {t('merchant.refundRequests.declineSubmit')}
        </Button>
      </form>
    </Sheet>
  );
}
