// Sign up and sign in.
import { useState } from 'preact/hooks';
import { api } from '../api';
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
  useTitle('Sign up');
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
      <h1>Create your account</h1>
      <p class="muted">Watch live shows, buy from farms and makers, open your own shop.</p>
      <form
        class="form"
        data-testid="signup-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label="Display name" name="display_name" err={act.error}>
          <input
            name="display_name"
            data-testid="signup-name"
            autocomplete="nickname"
            required
            value={name}
            onInput={(e) => setName(val(e))}
          />
        </Field>
        <Field label="Email" name="email" err={act.error}>
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
        <Field label="Password" name="password" err={act.error} hint="At least 8 characters.">
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
          Sign up
        </Button>
      </form>
      <p class="muted center">
        Already have an account? <Link href={`/signin${location.search}`}>Sign in</Link>
      </p>
    </div>
  );
}

export function SignIn() {
  useTitle('Sign in');
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
      <h1>Sign in</h1>
      <form
        class="form"
        data-testid="signin-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label="Email" name="email" err={act.error}>
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
        <Field label="Password" name="password" err={act.error}>
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
          Sign in
        </Button>
      </form>
      <p class="muted center">
        New here? <Link href={`/signup${location.search}`}>Create an account</Link>
      </p>
    </div>
  );
}
