// The console's staff: members, removing staff, and email invitations.
import { useState } from 'preact/hooks';
import { api, list } from '../../api';
import { dateTime } from '../../format';
import { t } from '../../i18n';
import { useSession } from '../../session';
import type { Invitation, Member, Shop } from '../../types';
import { Button, Card, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, val } from '../../ui';
import { memberRoleLabel } from './text';

export function StaffTab({ shop }: { shop: Shop }) {
  const s = useSession();
  const members = useAsync((signal) => list<Member>(`/shops/${shop.id}/members`, undefined, signal), [shop.id]);
  const invites = useAsync((signal) => list<Invitation>(`/shops/${shop.id}/invitations`, undefined, signal), [shop.id]);
  const [email, setEmail] = useState('');
  const invite = useAction(async () => {
    await api.post(`/shops/${shop.id}/invitations`, { email: email.trim() });
    setEmail('');
    invites.reload();
  });
  const remove = useAction(async (m: Member) => {
    if (!confirm(t('merchant.staff.confirmRemove', { name: m.display_name || m.email }))) return;
    await api.del(`/shops/${shop.id}/members/${m.user_id}`);
    members.reload();
  });
  return (
    <div class="stack">
      <Card title={t('merchant.staff.members')}>
        <Loaded a={members}>
          {(pg) => (
            <ul class="plain" data-testid="members">
              {pg.items.map((m) => (
                <li key={m.user_id} class="member">
                  <span class="avatar" aria-hidden="true">
                    {(m.display_name || m.email).charAt(0).toUpperCase()}
                  </span>
                  <span class="grow">
                    <b>{m.display_name || m.email}</b>
                    <small class="muted block">{m.email}</small>
                  </span>
                  <span class="badge badge-info">{memberRoleLabel(m.role)}</span>
                  {m.role !== 'owner' && m.user_id !== s.me.user?.id && (
                    <Button kind="ghost" class="small" busy={remove.busy} onClick={() => remove.run(m)}>
                      {t('merchant.remove')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Loaded>
        <FormError err={remove.error} />
      </Card>
      <Card title={t('merchant.staff.invite')}>
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            invite.run();
          }}
        >
          <Field label={t('merchant.staff.email')} name="email" err={invite.error} hint={t('merchant.staff.emailHint')}>
            <input type="email" required value={email} onInput={(e) => setEmail(val(e))} data-testid="invite-email" />
          </Field>
          <FormError err={invite.error} fields={['email']} />
          <Button type="submit" busy={invite.busy} data-testid="invite-submit">
            {t('merchant.staff.send')}
          </Button>
        </form>
        <h3>{t('merchant.staff.invitations')}</h3>
        <Loaded a={invites}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('merchant.staff.noInvitations')}</Empty>
            ) : (
              <ul class="plain" data-testid="invitations">
                {pg.items.map((i) => (
                  <li key={i.id} class="member">
                    <span class="grow">
                      {i.email}
                      <small class="muted block">{dateTime(i.created_at)}</small>
                    </span>
                    <StatusBadge status={i.status} />
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </Card>
    </div>
  );
}
