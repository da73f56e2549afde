// The room's chat: the lines (translucent over the video on phones, a
// scrolling panel on wide screens or in the studio), join notices, and the
// message box for signed-in viewers.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { room } from '../api';
import { charCount, MAX_TEXT, type ChatMessage } from '../live/protocol';
import type { RoomSocket } from '../live/roomsocket';
import type { JoinNotice, RoomState } from '../live/roomstate';
import { Link } from '../router';
import { useSession } from '../session';
import { Button } from '../ui';

/** How long a join notice stays on screen. */
const JOIN_SHOW_MS = 3000;

const ROLE_TAGS: Record<string, string> = { host: 'Host', operator: 'Staff', admin: 'Admin' };

function ChatLine({ m, actions }: { m: ChatMessage; actions?: (m: ChatMessage) => ComponentChildren }) {
  const tag = ROLE_TAGS[m.role];
  return (
    <li class={`chat-line${tag ? ' staff' : ''}`} data-testid="chat-line" data-id={m.id} data-user-id={m.user_id}>
      <span class="chat-bubble">
        {tag && <span class="chat-tag">{tag}</span>}
        <b class="chat-name">{m.name || 'Viewer'}</b> <span class="chat-text">{m.text}</span>
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
          {shown.name || 'A viewer'} joined
        </div>
      )}
    </div>
  );
}

function signInHref(): string {
  return `/signin?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/** SignInPrompt asks anonymous viewers to sign in to take part. */
export function SignInPrompt({ what }: { what: string }) {
  return (
    <p class="chat-signin muted small" data-testid="chat-signin">
      <Link href={signInHref()}>Sign in</Link> to {what}.
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
    ? `You are muted until ${until.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}.`
    : 'You are muted in this room.';
}

/**
 * ChatInput is the message box: a character counter, slow mode's
 * countdown, and the server's refusal shown under it (a refused message
 * comes back into the box so it is not lost).
 */
export function ChatInput({ st, sock, placeholder = 'Say something…' }: { st: RoomState; sock: RoomSocket | null; placeholder?: string }) {
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

  if (!me.user) return <SignInPrompt what="chat" />;
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
          placeholder={muted ? 'You are muted' : live ? placeholder : 'Chat opens when the live starts'}
          aria-label="Chat message"
          disabled={disabled}
          onInput={(e) => {
            setText((e.currentTarget as HTMLInputElement).value);
            if (st.error) sock?.clearError();
          }}
          data-testid="chat-input"
        />
        <Button class="small" type="submit" disabled={disabled || !text.trim() || n > MAX_TEXT || left > 0} data-testid="chat-send">
          {left > 0 ? `${left}s` : 'Send'}
        </Button>
      </div>
      <div class="chat-meta">
        <span class={n > MAX_TEXT ? 'chat-count over' : 'chat-count'} data-testid="chat-count">
          {n}/{MAX_TEXT}
        </span>
        {st.slowModeSeconds > 0 && <span class="muted">Slow mode: one message every {st.slowModeSeconds} s</span>}
      </div>
      {(err || muted) && (
        <p class="chat-error" role="alert" data-testid="chat-error">
          {err ? err.message : muted}
        </p>
      )}
    </form>
  );
}

/** ReportButton lets a signed-in viewer flag a line for the moderators (once per line on this page). */
export function ReportButton({ sessionID, m }: { sessionID: string; m: ChatMessage }) {
  const [state, setState] = useState<'' | 'busy' | 'done' | 'failed'>('');
  if (state === 'done') return <span class="muted small">Reported</span>;
  const report = () => {
    setState('busy');
    room.report(sessionID, m.id, 'inappropriate').then(
      () => setState('done'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" class="chat-report" disabled={state === 'busy'} onClick={report} title="Report this message" data-testid="chat-report">
      {state === 'failed' ? 'Retry report' : 'Report'}
    </button>
  );
}
