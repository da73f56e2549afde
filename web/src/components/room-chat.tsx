// The room's chat: the lines (translucent over the video on phones, a
// scrolling panel on wide screens or in the studio), join notices, and the
// message box for signed-in viewers.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { room } from '../api';
import { locale, t } from '../i18n';
import type { ErrorFrame } from '../live/protocol';
import { charCount, MAX_TEXT, type ChatMessage } from '../live/protocol';
import type { RoomSocket } from '../live/roomsocket';
import type { JoinNotice, RoomState } from '../live/roomstate';
import { Link } from '../router';
import { useSession } from '../session';
import { Button } from '../ui';
import { fillSlots } from '../i18n/slots';

/** How long a join notice stays on screen. */
const JOIN_SHOW_MS = 3000;

/** roleTag is the tag before a line of the host or the room's staff ("" for viewers). */
function roleTag(role: string): string {
  switch (role) {
    case 'host':
      return t('room.chat.tag.host');
    case 'operator':
      return t('room.chat.tag.operator');
    case 'admin':
      return t('room.chat.tag.admin');
    default:
      return '';
  }
}

/** errorText is the text of a refused frame: the server's sentence, ours when the socket was offline. */
export function errorText(e: ErrorFrame): string {
  return e.code === 'offline' ? t('room.conn.offline') : e.message;
}

function ChatLine({ m, actions }: { m: ChatMessage; actions?: (m: ChatMessage) => ComponentChildren }) {
  const tag = roleTag(m.role);
  return (
    <li class={`chat-line${tag ? ' staff' : ''}`} data-testid="chat-line" data-id={m.id} data-user-id={m.user_id}>
      <span class="chat-bubble">
        {tag && <span class="chat-tag">{tag}</span>}
        <b class="chat-name">{m.name || t('room.chat.viewer')}</b> <span class="chat-text">{m.text}</span>
      </span>
      {actions && <span class="chat-actions">{actions(m)}</span>}
    </li>
  );
}

/**
 * ChatLines lists chat lines, newest at the bottom. In a panel it follows
 * new lines unless the reader scrolled up to read older ones.
 */
export function ChatLines(p: { lines: ChatMessage[]; mode: 'overlay' | 'panel'; actions?: (m: ChatMessage) => ComponentChildren; empty?: string }) {
  const ref = useRef<HTMLOListElement>(null);
  const follow = useRef(true);
  const last = p.lines.length ? p.lines[p.lines.length - 1].id : '';
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [last, p.lines.length]);
  const onScroll = () => {
    const el = ref.current;
    if (el) follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };
  if (p.lines.length === 0 && p.empty) return <p class="muted small chat-empty">{p.empty}</p>;
  return (
    <ol ref={ref} class={`chat-lines chat-lines-${p.mode}`} onScroll={onScroll} aria-live="polite" data-testid="chat-lines">
      {p.lines.map((m) => (
        <ChatLine key={m.id} m={m} actions={p.actions} />
      ))}
    </ol>
  );
}

/** JoinNoticeLine shows "Ann joined" for a few seconds (the server samples joins). */
export function JoinNoticeLine({ join }: { join: JoinNotice | null }) {
  const [shown, setShown] = useState<JoinNotice | null>(null);
  useEffect(() => {
    if (!join) return;
    setShown(join);
    const t = window.setTimeout(() => setShown(null), JOIN_SHOW_MS);
    return () => window.clearTimeout(t);
  }, [join]);
  // The slot stays in place when empty so the notice never jumps around the chat.
  return (
    <div class="join-slot">
      {shown && (
        <div class="join-notice" data-testid="join-notice" key={shown.at}>
          {t('room.chat.joined', { name: shown.name || t('room.aViewer') })}
        </div>
      )}
    </div>
  );
}

function signInHref(): string {
  return `/signin?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/** SignInPrompt asks anonymous viewers to sign in to take part; what is the translated activity ("chat"). */
export function SignInPrompt({ what }: { what: string }) {
  return (
    <p class="chat-signin muted small" data-testid="chat-signin">
      {fillSlots(t('room.signin.prompt', { what }), { link: <Link href={signInHref()}>{t('auth.signin')}</Link> })}
    </p>
  );
}

/** useCooldown counts down the seconds left before slow mode lets the viewer send again. */
function useCooldown(): [number, (s: number) => void] {
  const [until, setUntil] = useState(0);
  const [, tick] = useState(0);
  useEffect(() => {
    if (until <= Date.now()) return;
    const t = window.setInterval(() => {
      tick((n) => n + 1);
      if (Date.now() >= until) window.clearInterval(t);
    }, 250);
    return () => window.clearInterval(t);
  }, [until]);
  const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
  return [left, (s: number) => setUntil(s > 0 ? Date.now() + s * 1000 : 0)];
}

function mutedText(st: RoomState): string {
  if (!st.you?.muted) return '';
  const until = st.mutedUntil ? new Date(st.mutedUntil) : null;
  return until && !Number.isNaN(until.getTime())
    ? t('room.chat.mutedUntil', { time: until.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }) })
    : t('room.chat.mutedHere');
}

/**
 * ChatInput is the message box: a character counter, slow mode's
 * countdown, and the server's refusal shown under it (a refused message
 * comes back into the box so it is not lost).
 */
export function ChatInput({ st, sock, placeholder }: { st: RoomState; sock: RoomSocket | null; placeholder?: string }) {
  const me = useSession().me;
  const [text, setText] = useState('');
  const sent = useRef<{ ref: string; text: string } | null>(null);
  const [left, startCooldown] = useCooldown();
  const err = st.error && (st.error.kind === 'chat' ? st.error : null);

  useEffect(() => {
    // The server refused the message we just sent: give it back for editing.
    if (err && sent.current && err.ref === sent.current.ref) {
      setText((t) => t || sent.current!.text);
      startCooldown(0);
      sent.current = null;
    }
  }, [err]);

  if (!me.user) return <SignInPrompt what={t('room.chat.signinWhat')} />;
  const n = charCount(text.trim());
  const muted = mutedText(st);
  const live = st.session?.status === 'live';
  const disabled = !sock || st.connection !== 'open' || !!muted || !live;
  const submit = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    if (!sock || !t || n > MAX_TEXT || left > 0 || disabled) return;
    const ref = sock.chat(t);
    if (!ref) return;
    sent.current = { ref, text: t };
    setText('');
    startCooldown(st.slowModeSeconds);
  };
  return (
    <form class="chat-form" onSubmit={submit} data-testid="chat-form">
      <div class="chat-input-row">
        <input
          class="chat-input"
          value={text}
          placeholder={muted ? t('room.chat.placeholderMuted') : live ? (placeholder ?? t('room.chat.placeholder')) : t('room.chat.placeholderClosed')}
          aria-label={t('room.chat.label')}
          disabled={disabled}
          onInput={(e) => {
            setText((e.currentTarget as HTMLInputElement).value);
            if (st.error) sock?.clearError();
          }}
          data-testid="chat-input"
        />
        <Button class="small" type="submit" disabled={disabled || !text.trim() || n > MAX_TEXT || left > 0} data-testid="chat-send">
          {left > 0 ? t('room.chat.cooldown', { n: left }) : t('room.chat.send')}
        </Button>
      </div>
      <div class="chat-meta">
        <span class={n > MAX_TEXT ? 'chat-count over' : 'chat-count'} data-testid="chat-count">
          {n}/{MAX_TEXT}
        </span>
        {st.slowModeSeconds > 0 && <span class="muted">{t('room.chat.slowMode', { n: st.slowModeSeconds })}</span>}
      </div>
      {(err || muted) && (
        <p class="chat-error" role="alert" data-testid="chat-error">
          {err ? errorText(err) : muted}
        </p>
      )}
    </form>
  );
}

/** ReportButton lets a signed-in viewer flag a line for the moderators (once per line on this page). */
export function ReportButton({ sessionID, m }: { sessionID: string; m: ChatMessage }) {
  const [state, setState] = useState<'' | 'busy' | 'done' | 'failed'>('');
  if (state === 'done') return <span class="muted small">{t('room.chat.reported')}</span>;
  const report = () => {
    setState('busy');
    room.report(sessionID, m.id, 'inappropriate').then(
      () => setState('done'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" class="chat-report" disabled={state === 'busy'} onClick={report} title={t('room.chat.reportTitle')} data-testid="chat-report">
      {state === 'failed' ? t('room.chat.retryReport') : t('room.chat.report')}
    </button>
  );
}
