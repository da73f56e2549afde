// Invitations to me: shop staff invitations and agency (MCN) offers.
import { api, list } from '../api';
import { dateTime, label, percent } from '../format';
import { loadSession } from '../session';
import type { Agreement, Invitation } from '../types';
import { Button, Card, Empty, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle } from '../ui';

export function Invitations() {
  useTitle('Invitations');
  const staff = useAsync((signal) => list<Invitation>('/me/invitations', undefined, signal), []);
  const agencies = useAsync((signal) => list<Agreement>('/me/agencies', undefined, signal), []);
  const answerStaff = useAction(async (id: string, accept: boolean) => {
    await api.post(`/invitations/${id}/${accept ? 'accept' : 'decline'}`);
    staff.reload();
    await loadSession();
  });
  const answerAgency = useAction(async (mcnID: string, accept: boolean) => {
    await api.post(`/me/agencies/${mcnID}/${accept ? 'accept' : 'decline'}`);
    agencies.reload();
    await loadSession();
  });
  return (
    <div class="stack">
      <h1>Invitations</h1>
      <Card title="Shop staff">
        <Loaded a={staff}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>No shop has invited you.</Empty>
            ) : (
              <ul class="plain" data-testid="staff-invitations">
                {pg.items.map((i) => (
                  <li key={i.id} class="member">
                    <span class="grow">
                      <b>{i.shop_name || i.shop_id}</b> invites you as {label(i.role || 'staff').toLowerCase()}
                      <small class="muted block">{dateTime(i.created_at)}</small>
                    </span>
                    {i.status === 'pending' ? (
                      <>
                        <Button class="small" busy={answerStaff.busy} onClick={() => answerStaff.run(i.id, true)}>
                          Accept
                        </Button>
                        <Button kind="ghost" class="small" busy={answerStaff.busy} onClick={() => answerStaff.run(i.id, false)}>
                          Decline
                        </Button>
                      </>
                    ) : (
                      <StatusBadge status={i.status} />
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <FormError err={answerStaff.error} />
      </Card>
      <Card title="Agencies">
        <Loaded a={agencies}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>No agency has offered you an agreement.</Empty>
            ) : (
              <ul class="plain" data-testid="agency-invitations">
                {pg.items.map((ag) => (
                  <li key={ag.mcn_id} class="member">
                    <span class="grow">
                      <b>{ag.mcn_name || ag.mcn_id}</b> keeps {percent(ag.mcn_share_bps)} of your commission
                      <small class="muted block">{dateTime(ag.created_at)}</small>
                    </span>
                    {ag.status === 'invited' ? (
                      <>
                        <Button class="small" busy={answerAgency.busy} onClick={() => answerAgency.run(ag.mcn_id, true)}>
                          Accept
                        </Button>
                        <Button kind="ghost" class="small" busy={answerAgency.busy} onClick={() => answerAgency.run(ag.mcn_id, false)}>
                          Decline
                        </Button>
                      </>
                    ) : (
                      <StatusBadge status={ag.status} />
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <FormError err={answerAgency.error} />
      </Card>
    </div>
  );
}
