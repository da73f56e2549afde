// Admin approvals: pending shop applications, approve or reject with a reason.
import { useState } from 'preact/hooks';
import { api, list, one } from '../api';
import { dateTime, label } from '../format';
import { useSession } from '../session';
import type { Shop } from '../types';
import { Button, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle, val } from '../ui';

function Application({ sh: initial }: { sh: Shop }) {
  const [sh, setSh] = useState(initial);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const act = useAction(async (approve: boolean) => {
    const body = approve ? {} : { reason: reason.trim() };
    const res = one<Shop | null>(await api.post(`/admin/shops/${sh.id}/${approve ? 'approve' : 'reject'}`, body), 'shop');
    setSh(res?.id ? res : one<Shop>(await api.get(`/shops/${sh.id}`), 'shop'));
    setRejecting(false);
  });
  return (
    <li class="card" data-testid="application" data-shop-id={sh.id} data-shop-name={sh.name}>
      <div class="order-head">
        <div class="grow">
          <h3>{sh.name}</h3>
          <p class="muted small">
            {label(sh.category)} · {sh.region}
            {sh.county ? `, ${sh.county}` : ''} · {label(sh.programme)} programme · applied {dateTime(sh.created_at)}
          </p>
        </div>
        <StatusBadge status={sh.status} testid="application-status" />
      </div>
      {sh.description && <p>{sh.description}</p>}
      {sh.reject_reason && <p class="reject-reason">Reason: {sh.reject_reason}</p>}
      {sh.status === 'pending' && !rejecting && (
        <div class="actions">
          <Button busy={act.busy} onClick={() => act.run(true)} data-testid="approve">
            Approve
          </Button>
          <Button kind="secondary" onClick={() => setRejecting(true)} data-testid="reject">
            Reject…
          </Button>
        </div>
      )}
      {sh.status === 'pending' && rejecting && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            act.run(false);
          }}
        >
          <Field label="Reason (shown to the merchant)" name="reason" err={act.error}>
            <textarea rows={2} required value={reason} onInput={(e) => setReason(val(e))} data-testid="reject-reason-input" />
          </Field>
          <div class="actions">
            <Button type="button" kind="ghost" onClick={() => setRejecting(false)}>
              Back
            </Button>
            <Button type="submit" kind="danger" busy={act.busy} data-testid="reject-confirm">
              Reject application
            </Button>
          </div>
        </form>
      )}
      <FormError err={act.error} fields={rejecting ? ['reason'] : []} />
    </li>
  );
}

export function AdminShops() {
  useTitle('Shop approvals');
  const s = useSession();
  const a = useAsync((signal) => list<Shop>('/shops', { status: 'pending', limit: 100 }, signal), []);
  if (!s.me.user?.is_admin) return <Empty>Only platform admins review shop applications.</Empty>;
  return (
    <div>
      <div class="page-head">
        <h1>Shop applications</h1>
        <Button kind="secondary" onClick={a.reload}>
          Refresh
        </Button>
      </div>
      <Loaded a={a}>
        {(pg) =>
          pg.items.length === 0 ? (
            <Empty>No applications are waiting.</Empty>
          ) : (
            <ul class="list" data-testid="applications">
              {pg.items.map((sh) => (
                <Application key={sh.id} sh={sh} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}
