// My account: who I am, my roles, becoming a host, API tokens.
import { useState } from 'preact/hooks';
import { api, list, one } from '../api';
import { dateTime, label } from '../format';
import { loadSession, useSession } from '../session';
import { Button, Card, Empty, Field, FormError, Loaded, Notice, useAction, useAsync, useTitle, val } from '../ui';

interface Token {
  id: string;
  name: string;
  created_at: string;
  last_used_at?: string;
}

export function Account() {
  useTitle('Account');
  const s = useSession();
  const user = s.me.user;
  const host = useAction(async () => {
    await api.post('/me/host');
    await loadSession();
  });
  if (!user) return null;
  return (
    <div class="stack">
      <h1>{user.display_name || user.email}</h1>
      <Card title="Account">
        <p>{user.email}</p>
        <p class="roles">
          {(s.me.roles ?? []).map((r) => (
            <span key={r} class={`role role-${r}`}>
              {label(r)}
            </span>
          ))}
        </p>
        <p class="muted small">Member since {dateTime(user.created_at)}</p>
        {!user.is_host && (
          <div class="actions">
            <Button kind="secondary" busy={host.busy} onClick={() => host.run()} data-testid="become-host">
              Become a host
            </Button>
            <span class="muted small">Hosts sell other shops' products live and earn their commission.</span>
          </div>
        )}
        <FormError err={host.error} />
      </Card>
      <Tokens />
    </div>
  );
}

function Tokens() {
  const a = useAsync((signal) => list<Token>('/me/tokens', undefined, signal), []);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const create = useAction(async () => {
    const body = (await api.post('/me/tokens', { name: name.trim() })) as Record<string, unknown>;
    const sec = (body.secret as string) ?? one<{ secret?: string }>(body, 'token').secret ?? '';
    setSecret(sec);
    setName('');
    a.reload();
  });
  const revoke = useAction(async (id: string) => {
    if (!confirm('Revoke this token? Programs using it stop working.')) return;
    await api.del(`/me/tokens/${id}`);
    a.reload();
  });
  return (
    <Card title="API tokens">
      <p class="muted small">For programs that call the API with an Authorization: Bearer header.</p>
      {secret && (
        <Notice onClose={() => setSecret('')}>
          <p>Copy the token now: it is not shown again.</p>
          <code class="secret">{secret}</code>
        </Notice>
      )}
      <Loaded a={a}>
        {(pg) =>
          pg.items.length === 0 ? (
            <Empty>No tokens.</Empty>
          ) : (
            <ul class="plain">
              {pg.items.map((t) => (
                <li key={t.id} class="member">
                  <span class="grow">
                    <b>{t.name}</b>
                    <small class="muted block">
                      created {dateTime(t.created_at)}
                      {t.last_used_at ? ` · last used ${dateTime(t.last_used_at)}` : ' · never used'}
                    </small>
                  </span>
                  <Button kind="ghost" class="small" onClick={() => revoke.run(t.id)}>
                    Revoke
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <FormError err={revoke.error} />
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          create.run();
        }}
      >
        <Field label="New token name" name="name" err={create.error}>
          <input required maxLength={60} value={name} onInput={(e) => setName(val(e))} placeholder="inventory sync" />
        </Field>
        <Button type="submit" busy={create.busy}>
          Create token
        </Button>
      </form>
      <FormError err={create.error} fields={['name']} />
    </Card>
  );
}
