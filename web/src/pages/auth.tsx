// Sign up and sign in.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { signedIn } from '../session';
import type { User } from '../types';
import { Button, Field, FormError, useAction, useTitle, val } from '../ui';

/** safeNext keeps redirects after sign-in inside the app. */
function safeNext(q: URLSearchParams): string {
  const n = q.get('next') ?? '';
  return n.startsWith('/') && !n.startsWith('//') ? n : '/';
}

export function SignUp() {
  useTitle(t('auth.signup'));
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const act = useAction(async () => {
    const resp = await api.post<{ user: User; csrf_token: string }>('/auth/signup', {
      email: email.trim(),
      password,
      display_name: name.trim(),
    });
    await signedIn(resp);
    navigate(safeNext(query));
  });
  return (
    <div class="auth">
      <h1>{t('account.signup.heading')}</h1>
      <p class="muted">{t('account.signup.lead')}</p>
      <form
        class="form"
        data-testid="signup-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label={t('account.field.displayName')} name="display_name" err={act.error}>
          <input
            name="display_name"
            data-testid="signup-name"
            autocomplete="nickname"
            required
            value={name}
            onInput={(e) => setName(val(e))}
          />
        </Field>
        <Field label={t('account.field.email')} name="email" err={act.error}>
          <input
            type="email"
            name="email"
            data-testid="signup-email"
            autocomplete="email"
            required
            value={email}
            onInput={(e) => setEmail(val(e))}
          />
        </Field>
        <Field label={t('account.field.password')} name="password" err={act.error} hint={t('account.field.passwordHint')}>
          <input
            type="password"
            name="password"
            data-testid="signup-password"
            autocomplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(val(e))}
          />
        </Field>
        <FormError err={act.error} fields={['display_name', 'email', 'password']} />
        <Button type="submit" busy={act.busy} data-testid="signup-submit" class="wide">
          {t('auth.signup')}
        </Button>
      </form>
      <p class="muted center">
        {t('account.signup.haveAccount')} <Link href={`/signin${location.search}`}>{t('auth.signin')}</Link>
      </p>
    </div>
  );
}

export function SignIn() {
  useTitle(t('auth.signin'));
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const act = useAction(async () => {
    const resp = await api.post<{ user: User; csrf_token: string }>('/auth/signin', { email: email.trim(), password });
    await signedIn(resp);
    navigate(safeNext(query));
  });
  return (
    <div class="auth">
      <h1>{t('auth.signin')}</h1>
      <form
        class="form"
        data-testid="signin-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label={t('account.field.email')} name="email" err={act.error}>
          <input
            type="email"
            name="email"
            data-testid="signin-email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(val(e))}
          />
        </Field>
        <Field label={t('account.field.password')} name="password" err={act.error}>
          <input
            type="password"
            name="password"
            data-testid="signin-password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(val(e))}
          />
        </Field>
        <FormError err={act.error} fields={['email', 'password']} />
        <Button type="submit" busy={act.busy} data-testid="signin-submit" class="wide">
          {t('auth.signin')}
        </Button>
      </form>
      <p class="muted center">
        {t('account.signin.newHere')} <Link href={`/signup${location.search}`}>{t('account.signin.createAccount')}</Link>
      </p>
    </div>
  );
}
