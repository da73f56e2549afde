// Admin approvals: pending shop applications, approve or reject with a reason.
import { useState } from 'preact/hooks';
import { api, list, one } from '../api';
import { dateTime, label } from '../format';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useSession } from '../session';
import type { Shop } from '../types';
import { Button, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle, val } from '../ui';
import { AdminTabs } from './admin-tabs';

/** known names key.code in the current language, label(code) when it has no key. */
function known(prefix: string, code: string): string {
  const key = `${prefix}.${code}` as MessageKey;
  const text = t(key);
  return text === key ? label(code) : text;
}

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
            {known('admin.category', sh.category)} · {sh.region}
            {sh.county ? `, ${sh.county}` : ''} · {t('admin.app.programme', { name: known('admin.programme', sh.programme) })} ·{' '}
            {t('admin.app.applied', { date: dateTime(sh.created_at) })}
          </p>
        </div>
        <StatusBadge status={sh.status} testid="application-status" />
      </div>
      {sh.description && <p>{sh.description}</p>}
      {sh.reject_reason && <p class="reject-reason">{t('admin.app.reason', { reason: sh.reject_reason })}</p>}
      {sh.status === 'pending' && !rejecting && (
        <div class="actions">
          <Button busy={act.busy} onClick={() => act.run(true)} data-testid="approve">
            {t('admin.app.approve')}
          </Button>
          <Button kind="secondary" onClick={() => setRejecting(true)} data-testid="reject">
            {t('admin.app.reject')}
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
          <Field label={t('admin.app.reasonLabel')} name="reason" err={act.error}>
            <textarea rows={2} required value={reason} onInput={(e) => setReason(val(e))} data-testid="reject-reason-input" />
          </Field>
          <div class="actions">
            <Button type="button" kind="ghost" onClick={() => setRejecting(false)}>
              {t('admin.app.back')}
            </Button>
            <Button type="submit" kind="danger" busy={act.busy} data-testid="reject-confirm">
              {t('admin.app.rejectConfirm')}
            </Button>
          </div>
        </form>
      )}
      <FormError err={act.error} fields={rejecting ? ['reason'] : []} />
    </li>
  );
}

export function AdminShops() {
  useTitle(t('admin.title'));
  const s = useSession();
  const a = useAsync((signal) => list<Shop>('/shops', { status: 'pending', limit: 100 }, signal), []);
  if (!s.me.user?.is_admin) return <Empty>{t('admin.onlyAdmins')}</Empty>;
  return (
    <div class="admin-area">
      <AdminTabs current="shops" />
      <div class="page-head">
        <h1>{t('admin.heading')}</h1>
        <Button kind="secondary" onClick={a.reload}>
          {t('admin.refresh')}
        </Button>
      </div>
      <Loaded a={a}>
        {(pg) =>
          pg.items.length === 0 ? (
            <Empty>{t('admin.empty')}</Empty>
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
