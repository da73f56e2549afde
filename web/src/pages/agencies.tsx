// Agencies (MCNs): create one, invite hosts by email with the agency's
// share, and the roster.
import { useState } from 'preact/hooks';
import { api, list, one } from '../api';
import { dateTime, parsePercent, percent } from '../format';
import { Link, navigate } from '../router';
import { loadSession } from '../session';
import type { Agency, Agreement } from '../types';
import { MCNReportCard } from './reports';
import { ApiError } from '../api';
import { Button, Card, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle, val } from '../ui';

export function MyAgencies() {
  useTitle('Agencies');
  const a = useAsync((signal) => list<Agency>('/mcns', undefined, signal), []);
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const ag = one<Agency>(await api.post('/mcns', { name: name.trim() }), 'mcn');
    await loadSession();
    navigate(`/agencies/${ag.id}`);
  });
  return (
    <div class="stack">
      <h1>Agencies</h1>
      <p class="muted">
        An agency (MCN) represents live hosts and keeps a share of the commission they earn. Invitations to join an agency as a host are on your{' '}
        <Link href="/invitations">Invitations</Link> page.
      </p>
      <Card title="Agencies you manage">
        <Loaded a={a}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>You manage no agency.</Empty>
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
                    <small class="muted">since {dateTime(ag.created_at)}</small>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </Card>
      <Card title="Create an agency">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            create.run();
          }}
        >
          <Field label="Agency name" name="name" err={create.error}>
            <input required maxLength={80} value={name} onInput={(e) => setName(val(e))} data-testid="agency-name" />
          </Field>
          <FormError err={create.error} fields={['name']} />
          <Button type="submit" busy={create.busy} data-testid="agency-submit">
            Create agency
          </Button>
        </form>
      </Card>
    </div>
  );
}

export function AgencyPage({ params }: { params: Record<string, string> }) {
  useTitle('Agency');
  const agencies = useAsync((signal) => list<Agency>('/mcns', undefined, signal), []);
  const roster = useAsync((signal) => list<Agreement>(`/mcns/${params.id}/hosts`, undefined, signal), [params.id]);
  const [email, setEmail] = useState('');
  const [share, setShare] = useState('');
  const invite = useAction(async () => {
    const bps = parsePercent(share);
    if (bps === null || bps > 10000) throw new ApiError(400, 'invalid', 'enter the agency share in percent, 0 to 100', 'mcn_share_bps');
    await api.post(`/mcns/${params.id}/hosts`, { email: email.trim(), mcn_share_bps: bps });
    setEmail('');
    roster.reload();
  });
  const end = useAction(async (ag: Agreement) => {
    if (!confirm(`End the agreement with ${ag.host_name || ag.host_email || ag.host_id}?`)) return;
    await api.del(`/mcns/${params.id}/hosts/${ag.host_id}`);
    roster.reload();
  });
  const agency = agencies.data?.items.find((x) => x.id === params.id);
  return (
    <div class="stack">
      <p class="muted small">
        <Link href="/agencies">Agencies</Link> ›
      </p>
      <h1>{agency?.name ?? 'Agency'}</h1>
      <MCNReportCard mcnID={params.id} />
      <Card title="Roster">
        <Loaded a={roster}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>No hosts yet. Invite one below.</Empty>
            ) : (
              <div class="tablewrap">
                <table class="table" data-testid="roster">
                  <thead>
                    <tr>
                      <th>Host</th>
                      <th class="num">Agency share</th>
                      <th>Status</th>
                      <th>Since</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {pg.items.map((ag) => (
                      <tr key={ag.host_id}>
                        <td>
                          {ag.host_name || ag.host_id}
                          {ag.host_email && <div class="muted small">{ag.host_email}</div>}
                        </td>
                        <td class="num">{percent(ag.mcn_share_bps)}</td>
                        <td>
                          <StatusBadge status={ag.status} />
                        </td>
                        <td class="small nowrap">{dateTime(ag.created_at)}</td>
                        <td>
                          {(ag.status === 'active' || ag.status === 'invited') && (
                            <button class="link danger" onClick={() => end.run(ag)}>
                              End
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
        <FormError err={end.error} />
      </Card>
      <Card title="Invite a host">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            invite.run();
          }}
        >
          <div class="row2">
            <Field label="Host's email" name="email" err={invite.error} hint="They need a liveshop account.">
              <input type="email" required value={email} onInput={(e) => setEmail(val(e))} data-testid="host-email" />
            </Field>
            <Field label="Agency share of commission (%)" name="mcn_share_bps" err={invite.error}>
              <input inputMode="decimal" required value={share} onInput={(e) => setShare(val(e))} placeholder="30" data-testid="host-share" />
            </Field>
          </div>
          <FormError err={invite.error} fields={['email', 'mcn_share_bps']} />
          <Button type="submit" busy={invite.busy} data-testid="host-invite">
            Send invitation
          </Button>
        </form>
      </Card>
    </div>
  );
}
