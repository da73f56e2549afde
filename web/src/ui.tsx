// Small shared components and hooks.
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from './api';
import { money } from './format';
import { t } from './i18n';
import { statusLabel } from './i18n/order-status';
import { Link } from './router';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** useAsync runs a loader when deps change and on reload(); stale answers are dropped. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    load(ctl.signal).then(
      (d) => {
        if (ctl.signal.aborted) return;
        setData(d);
        setLoading(false);
      },
      (e) => {
        if (ctl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

/**
 * useAction wraps a submit handler: it tracks busy state and keeps the
 * last error so that forms can show it next to the field it names.
 */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = async (...args: A) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await fn(...args);
    } catch (e) {
      if (mounted.current) setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      if (mounted.current) setBusy(false);
    }
  };
  return { run, busy, error, setError };
}

function fieldOf(err: unknown): string {
  return err instanceof ApiError ? err.field : '';
}

/** FieldError shows the error when the server named this field. */
export function FieldError({ err, name }: { err: unknown; name: string }) {
  if (!err || fieldOf(err) !== name) return null;
  return (
    <p class="field-error" role="alert" data-testid={`field-error-${name}`}>
      {errorMessage(err)}
    </p>
  );
}

/** FormError shows an error that names no field shown on the form. */
export function FormError({ err, fields = [] }: { err: unknown; fields?: string[] }) {
  if (!err) return null;
  const f = fieldOf(err);
  if (f && fields.includes(f)) return null;
  return (
    <p class="form-error" role="alert" data-testid="form-error">
      {errorMessage(err)}
    </p>
  );
}

interface FieldProps {
  label: string;
  name: string;
  err?: unknown;
  hint?: ComponentChildren;
  children: ComponentChildren;
}

/** Field is a labelled control with its hint and its error. */
export function Field(p: FieldProps) {
  const bad = !!p.err && fieldOf(p.err) === p.name;
  return (
    <div class={bad ? 'field invalid' : 'field'}>
      <label>
        <span class="field-label">{p.label}</span>
        {p.children}
      </label>
      {p.hint && <p class="hint">{p.hint}</p>}
      <FieldError err={p.err} name={p.name} />
    </div>
  );
}

export function Button(
  p: ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean; kind?: 'primary' | 'secondary' | 'danger' | 'ghost' },
) {
  const { busy, kind = 'primary', class: cls, disabled, children, ...rest } = p;
  return (
    <button
      class={`btn btn-${kind}${cls ? ` ${cls}` : ''}`}
      disabled={Boolean(disabled) || busy}
      aria-busy={busy ? 'true' : undefined}
      {...rest}
    >
      {busy ? <span class="spinner small" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

export function Spinner({ text = t('viewer.loading') }: { text?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" /> {text}
    </div>
  );
}

export function ErrorBox({ err, retry }: { err: unknown; retry?: () => void }) {
  if (!err) return null;
  const status = err instanceof ApiError ? err.status : 0;
  return (
    <div class="error-box" role="alert" data-testid="error-box">
      <p>{errorMessage(err)}</p>
      {status === 401 ? (
        <Link class="btn btn-primary" href={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`}>
          {t('auth.signin')}
        </Link>
      ) : retry ? (
        <Button kind="secondary" onClick={retry}>
          {t('viewer.tryAgain')}
        </Button>
      ) : null}
    </div>
  );
}

/** Loaded renders the states of an Async: spinner, error, or the content. */
export function Loaded<T>({ a, children }: { a: Async<T>; children: (d: T) => ComponentChildren }) {
  if (a.error) return <ErrorBox err={a.error} retry={a.reload} />;
  if (a.data === undefined) return <Spinner />;
  return <>{children(a.data)}</>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function Price({ minor, currency = 'CNY', class: cls }: { minor: number; currency?: string; class?: string }) {
  return <span class={`price${cls ? ` ${cls}` : ''}`}>{money(minor, currency)}</span>;
}

const STATUS_TONES: Record<string, string> = {
  pending: 'warn',
  scheduled: 'info',
  live: 'bad',
  replay: 'ok',
  pending_payment: 'warn',
  invited: 'warn',
  queued: 'warn',
  running: 'info',
  processing: 'info',
  approved: 'ok',
  active: 'ok',
  paid: 'info',
  shipped: 'info',
  delivered: 'ok',
  completed: 'ok',
  succeeded: 'ok',
  done: 'ok',
  accepted: 'ok',
  rejected: 'bad',
  cancelled: 'muted',
  declined: 'muted',
  ended: 'muted',
  archived: 'muted',
  refunded: 'muted',
  failed: 'bad',
};

export function StatusBadge({ status, testid }: { status: string; testid?: string }) {
  return (
    <span class={`badge badge-${STATUS_TONES[status] ?? 'muted'}`} data-testid={testid} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

/** Thumb shows a product thumbnail or a placeholder with the title's initial. */
export function Thumb({ src, alt, size = 'md' }: { src?: string; alt: string; size?: 'sm' | 'md' | 'lg' }) {
  if (src) return <img class={`thumb thumb-${size}`} src={src} alt={alt} loading="lazy" data-testid="product-thumb" />;
  return (
    <div class={`thumb thumb-${size} thumb-empty`} aria-hidden="true">
      {alt.trim().charAt(0).toUpperCase() || '?'}
    </div>
  );
}

/** Notice is a dismissable success message. */
export function Notice({ children, onClose }: { children: ComponentChildren; onClose?: () => void }) {
  return (
    <div class="notice" role="status" data-testid="notice">
      <div>{children}</div>
      {onClose && (
        <button class="notice-close" onClick={onClose} aria-label={t('viewer.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}

export function Card({ children, title, actions }: { children: ComponentChildren; title?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      {(title || actions) && (
        <header class="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div class="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

/** usePoll calls fn every ms while active is true. */
export function usePoll(fn: () => void, ms: number, active: boolean): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return;
    const t = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(t);
  }, [ms, active]);
}

/** useTitle sets the document title. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · liveshop` : 'liveshop';
  }, [title]);
}

/** inputValue reads the value from an input event. */
export function val(e: Event): string {
  return (e.currentTarget as HTMLInputElement).value;
}
