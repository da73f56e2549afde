// Agencies (MCNs): create one, invite hosts by email with the agency's
// share, and the roster with each host's GMV and commission of the last
// 30 days (cards on a phone).
import { useState } from 'preact/hooks';
import { api, list, one } from '../api';
import { dateTime, parsePercent, percent } from '../format';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { loadSession } from '../session';
import type { Agency, Agreement } from '../types';
import { MCNReportCard } from './reports';
import { lastDays, useReport } from './reports/common';
import { ApiError } from '../api';
import { money } from '../format';
import { tSlots } from '../i18n/slots';
import '../styles/merchant-console.css';
import { Button, Card, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle, val } from '../ui';

/** The per-host lines of GET /mcns/{id}/report the roster shows beside each host. */
interface HostTotals {
  currency: string;
  hosts: { host_id: string; orders: number; gmv_minor: number; host_commission_minor: number; mcn_share_minor: number }[];
}

export function MyAgencies() {
  useTitle(t('account.agencies.title'));
  const a = useAsync((signal) => list<Agency>('/mcns', undefined, signal), []);
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const ag = one<Agency>(await api.post('/mcns', { name: name.trim() }), 'mcn');
    await loadSession();
    navigate(`/agencies/${ag.id}`);
  });
  return (
    <div class="stack">
      <h1>{t('account.agencies.title')}</h1>
      <p class="muted">
        {tSlots('account.agencies.introSlots', { invitations: <Link href="/invitations">{t('account.agencies.introLink')}</Link> })}
      </p>
      <Card title={t('account.agencies.mine')}>
        <Loaded a={a}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('account.agencies.mineEmpty')}</Empty>
            ) : (
              <ul class="plain" data-testid="agencies">
                {pg.items.map((ag) => (
                  <li key={ag.id} class="member">
                    <span class="avatar" aria-hidden="true">
                      {ag.name.charAt(0).toUpperCase()}
                    </span>
                    <Link class="grow" href={`/agencies/${ag.id}`}>
                      <b>{ag.name}</b>
                    </Link>
                    <small class="muted">{t('account.agencies.since', { date: dateTime(ag.created_at) })}</small>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </Card>
      <Card title={t('account.agencies.create')}>
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            create.run();
          }}
        >
          <Field label={t('account.agencies.name')} name="name" err={create.error}>
            <input required maxLength={80} value={name} onInput={(e) => setName(val(e))} data-testid="agency-name" />
          </Field>
          <FormError err={create.error} fields={['name']} />
          <Button type="submit" busy={create.busy} data-testid="agency-submit">
            {t('account.agencies.createSubmit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}

export function AgencyPage({ params }: { params: Record<string, string> }) {
  useTitle(t('account.agency.title'));
  const agencies = useAsync((signal) => list<Agency>('/mcns', undefined, signal), []);
  const roster = useAsync((signal) => list<Agreement>(`/mcns/${params.id}/hosts`, undefined, signal), [params.id]);
  const [email, setEmail] = useState('');
  const [share, setShare] = useState('');
  const invite = useAction(async () => {
    const bps = parsePercent(share);
    if (bps === null || bps > 10000) throw new ApiError(400, 'invalid', t('account.agency.shareInvalid'), 'mcn_share_bps');
    await api.post(`/mcns/${params.id}/hosts`, { email: email.trim(), mcn_share_bps: bps });
    setEmail('');
    roster.reload();
  });
  const end = useAction(async (ag: Agreement) => {
    if (!confirm(t('account.agency.endConfirm', { name: ag.host_name || ag.host_email || ag.host_id }))) return;
    await api.del(`/mcns/${params.id}/hosts/${ag.host_id}`);
    roster.reload();
  });
  const agency = agencies.data?.items.find((x) => x.id === params.id);
  // Each host's last 30 days of live selling, beside the roster.
  const [range] = useState(() => lastDays(30));
  const totals = useReport<HostTotals>(`/mcns/${params.id}/report`, range);
  const byHost = new Map((totals.data?.hosts ?? []).map((h) => [h.host_id, h]));
  const cur = totals.data?.currency ?? 'CNY';
  return (
    <div class="stack">
      <p class="muted small">
        <Link href="/agencies">{t('account.agencies.title')}</Link> ›
      </p>
      <h1>{agency?.name ?? t('account.agency.title')}</h1>
      <MCNReportCard mcnID={params.id} />
      <Card title={t('account.agency.roster')}>
        <Loaded a={roster}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('account.agency.rosterEmpty')}</Empty>
            ) : (
              <div class="tablewrap">
                <table class="table cards" data-testid="roster">
                  <caption class="muted small roster-caption">{t('account.agency.rosterCaption')}</caption>
                  <thead>
                    <tr>
                      <th>{t('account.agency.colHost')}</th>
                      <th class="num">{t('account.agency.colGmv')}</th>
                      <th class="num">{t('account.agency.colCommission')}</th>
                      <th class="num">{t('account.agency.colShare')}</th>
                      <th>{t('account.agency.colStatus')}</th>
                      <th>{t('account.agency.colSince')}</th>
                      <th>
                        <span class="sr-only">{t('account.agency.colActions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {pg.items.map((ag) => {
                      const h = byHost.get(ag.host_id);
                      return (
                        <tr key={ag.host_id} data-testid="roster-host" data-host-id={ag.host_id}>
                          <td>
                            <span>
                              <Link href={`/reports/host?host=${ag.host_id}`}>{ag.host_name || ag.host_id}</Link>
                              {ag.host_email && <span class="muted small block">{ag.host_email}</span>}
                            </span>
                          </td>
                          <td class="num" data-label={t('account.agency.colGmv')} data-testid="roster-gmv">
                            {totals.data ? money(h?.gmv_minor ?? 0, cur) : '…'}
                          </td>
                          <td class="num" data-label={t('account.agency.colCommission')}>
                            {totals.data ? money(h?.host_commission_minor ?? 0, cur) : '…'}
                          </td>
                          <td class="num" data-label={t('account.agency.colShare')}>
                            {percent(ag.mcn_share_bps)}
                          </td>
                          <td data-label={t('account.agency.colStatus')}>
                            <StatusBadge status={ag.status} />
                          </td>
                          <td class="small nowrap" data-label={t('account.agency.colSince')}>
                            {dateTime(ag.created_at)}
                          </td>
                          <td>
                            {(ag.status === 'active' || ag.status === 'invited') && (
                              <button class="link danger" onClick={() => end.run(ag)} aria-label={t('account.agency.endWith', { name: ag.host_name || ag.host_email || ag.host_id })}>
                                {t('account.agency.end')}
                              </button>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
        <FormError err={end.error} />
      </Card>
      <Card title={t('account.agency.invite')}>
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            invite.run();
          }}
        >
          <div class="row2">
            <Field label={t('account.agency.hostEmail')} name="email" err={invite.error} hint={t('account.agency.hostEmailHint')}>
              <input type="email" required value={email} onInput={(e) => setEmail(val(e))} data-testid="host-email" />
            </Field>
            <Field label={t('account.agency.share')} name="mcn_share_bps" err={invite.error}>
              <input inputMode="decimal" required value={share} onInput={(e) => setShare(val(e))} placeholder="30" data-testid="host-share" />
            </Field>
          </div>
          <FormError err={invite.error} fields={['email', 'mcn_share_bps']} />
          <Button type="submit" busy={invite.busy} data-testid="host-invite">
            {t('account.agency.send')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
