// My account: who I am, my roles, becoming a host, API tokens.
import { useState } from 'preact/hooks';
import { api, list, one } from '../api';
import { dateTime, label } from '../format';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { loadSession, useSession } from '../session';
import { Button, Card, Empty, Field, FormError, Loaded, Notice, useAction, useAsync, useTitle, val } from '../ui';

/** roleName names an account role; an unknown one falls back to label(). */
function roleName(r: string): string {
  const key = `account.role.${r}` as MessageKey;
  const text = t(key);
  return text === key ? label(r) : text;
}

interface Token {
  id: string;
  name: string;
  created_at: string;
  last_used_at?: string;
}

export function Account() {
  useTitle(t('account.title'));
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
      <Card title={t('account.title')}>
        <p>{user.email}</p>
        <p class="roles">
          {(s.me.roles ?? []).map((r) => (
            <span key={r} class={`role role-${r}`}>
              {roleName(r)}
            </span>
          ))}
        </p>
        <p class="muted small">{t('account.memberSince', { date: dateTime(user.created_at) })}</p>
        {!user.is_host && (
          <div class="actions">
            <Button kind="secondary" busy={host.busy} onClick={() => host.run()} data-testid="become-host">
              {t('account.becomeHost')}
            </Button>
            <span class="muted small">{t('account.becomeHostHint')}</span>
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
    if (!confirm(t('account.tokens.revokeConfirm'))) return;
    await api.del(`/me/tokens/${id}`);
    a.reload();
  });
  return (
    <Card title={t('account.tokens.title')}>
      <p class="muted small">{t('account.tokens.lead')}</p>
      {secret && (
        <Notice onClose={() => setSecret('')}>
          <p>{t('account.tokens.copyNow')}</p>
          <code class="secret">{secret}</code>
        </Notice>
      )}
      <Loaded a={a}>
        {(pg) =>
          pg.items.length === 0 ? (
            <Empty>{t('account.tokens.empty')}</Empty>
          ) : (
            <ul class="plain">
              {pg.items.map((tk) => (
                <li key={tk.id} class="member">
                  <span class="grow">
                    <b>{tk.name}</b>
                    <small class="muted block">
                      {t('account.tokens.created', { date: dateTime(tk.created_at) })}
                      {' · '}
                      {tk.last_used_at ? t('account.tokens.lastUsed', { date: dateTime(tk.last_used_at) }) : t('account.tokens.neverUsed')}
                    </small>
                  </span>
                  <Button kind="ghost" class="small" onClick={() => revoke.run(tk.id)}>
                    {t('account.tokens.revoke')}
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
        <Field label={t('account.tokens.name')} name="name" err={create.error}>
          <input required maxLength={60} value={name} onInput={(e) => setName(val(e))} placeholder={t('account.tokens.namePlaceholder')} />
        </Field>
        <Button type="submit" busy={create.busy}>
          {t('account.tokens.create')}
        </Button>
      </form>
      <FormError err={create.error} fields={['name']} />
    </Card>
  );
}
