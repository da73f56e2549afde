// Invitations to me: shop staff invitations and agency (MCN) offers.
import { api, list } from '../api';
import { dateTime, label, percent } from '../format';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { loadSession } from '../session';
import type { Agreement, Invitation } from '../types';
import { Button, Card, Empty, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle } from '../ui';

/** shopRole names, inside a sentence, the shop role an invitation offers. */
function shopRole(r: string): string {
  const key = `account.shopRole.${r}` as MessageKey;
  const text = t(key);
  return text === key ? label(r).toLowerCase() : text;
}

export function Invitations() {
  useTitle(t('account.invitations.title'));
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
      <h1>{t('account.invitations.title')}</h1>
      <Card title={t('account.invitations.staff')}>
        <Loaded a={staff}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('account.invitations.staffEmpty')}</Empty>
            ) : (
              <ul class="plain" data-testid="staff-invitations">
                {pg.items.map((i) => (
                  <li key={i.id} class="member">
                    <span class="grow">
                      <b>{i.shop_name || i.shop_id}</b> {t('account.invitations.invitesAs', { role: shopRole(i.role || 'staff') })}
                      <small class="muted block">{dateTime(i.created_at)}</small>
                    </span>
                    {i.status === 'pending' ? (
                      <>
                        <Button class="small" busy={answerStaff.busy} onClick={() => answerStaff.run(i.id, true)}>
                          {t('account.invitations.accept')}
                        </Button>
                        <Button kind="ghost" class="small" busy={answerStaff.busy} onClick={() => answerStaff.run(i.id, false)}>
                          {t('account.invitations.decline')}
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
      <Card title={t('account.invitations.agencies')}>
        <Loaded a={agencies}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('account.invitations.agenciesEmpty')}</Empty>
            ) : (
              <ul class="plain" data-testid="agency-invitations">
                {pg.items.map((ag) => (
                  <li key={ag.mcn_id} class="member">
                    <span class="grow">
                      <b>{ag.mcn_name || ag.mcn_id}</b> {t('account.invitations.keeps', { share: percent(ag.mcn_share_bps) })}
                      <small class="muted block">{dateTime(ag.created_at)}</small>
                    </span>
                    {ag.status === 'invited' ? (
                      <>
                        <Button class="small" busy={answerAgency.busy} onClick={() => answerAgency.run(ag.mcn_id, true)}>
                          {t('account.invitations.accept')}
                        </Button>
                        <Button kind="ghost" class="small" busy={answerAgency.busy} onClick={() => answerAgency.run(ag.mcn_id, false)}>
                          {t('account.invitations.decline')}
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
