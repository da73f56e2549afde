// The console's staff: members, removing staff, and email invitations.
import { useState } from 'preact/hooks';
import { api, list } from '../../api';
import { dateTime, label } from '../../format';
import { useSession } from '../../session';
import type { Invitation, Member, Shop } from '../../types';
import { Button, Card, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, val } from '../../ui';

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
    if (!confirm(`Remove ${m.display_name || m.email} from the shop?`)) return;
    await api.del(`/shops/${shop.id}/members/${m.user_id}`);
    members.reload();
  });
  return (
    <div class="stack">
      <Card title="Members">
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
                  <span class="badge badge-info">{label(m.role)}</span>
                  {m.role !== 'owner' && m.user_id !== s.me.user?.id && (
                    <Button kind="ghost" class="small" busy={remove.busy} onClick={() => remove.run(m)}>
                      Remove
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Loaded>
        <FormError err={remove.error} />
      </Card>
      <Card title="Invite staff">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            invite.run();
          }}
        >
          <Field label="Email" name="email" err={invite.error} hint="They accept from their Invitations page after signing in with this email.">
            <input type="email" required value={email} onInput={(e) => setEmail(val(e))} data-testid="invite-email" />
          </Field>
          <FormError err={invite.error} fields={['email']} />
          <Button type="submit" busy={invite.busy} data-testid="invite-submit">
            Send invitation
          </Button>
        </form>
        <h3>Invitations</h3>
        <Loaded a={invites}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>No invitations sent.</Empty>
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
