// The room's host messages: the current announcement, the pinned answer,
// and the "Ask the host" box with the questions asked so far.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { charCount, MAX_TEXT, type Announcement, type Question } from '../live/protocol';
import type { RoomSocket } from '../live/roomsocket';
import type { RoomState } from '../live/roomstate';
import { useSession } from '../session';
import { Button } from '../ui';

import { errorText, SignInPrompt } from './room-chat';
import { fillSlots } from '../i18n/slots';

export function AnnouncementBanner({ a }: { a: Announcement | null }) {
  if (!a?.text) return null;
  return (
    <div class="announcement" role="status" data-testid="announcement" data-id={a.id}>
      <span class="announcement-icon">{t('room.notice')}</span>
      <span>{a.text}</span>
    </div>
  );
}

/** pinnedQuestion is the question the host pinned (the last one when several are). */
export function pinnedQuestion(qs: Question[]): Question | undefined {
  const pinned = qs.filter((q) => q.pinned);
  return pinned[pinned.length - 1];
}

export function PinnedAnswer({ q }: { q: Question | undefined }) {
  if (!q) return null;
  return (
    <div class="pinned-answer" data-testid="pinned-answer" data-id={q.id}>
      <div class="pinned-q">
        <span class="pinned-tag">{t('room.qa.pinned')}</span> {fillSlots(t('room.qa.asked'), { name: <b>{q.name || t('room.aViewer')}</b>, text: q.text })}
      </div>
      <div class="pinned-a">{q.answer ? q.answer : <span class="muted">{t('room.qa.answering')}</span>}</div>
    </div>
  );
}

function QuestionItem({ q, mine }: { q: Question; mine: boolean }) {
  return (
    <li class={`question${q.status === 'answered' ? ' answered' : ''}`} data-testid="question" data-id={q.id} data-status={q.status}>
      <div>
        {fillSlots(t('room.qa.line'), { name: <b>{mine ? t('room.you') : q.name || t('room.aViewer')}</b>, text: q.text })}
      </div>
      {q.answer ? <div class="question-answer">↳ {q.answer}</div> : <div class="muted small">{t('room.qa.waiting')}</div>}
    </li>
  );
}

/**
 * AskHost sends a question over the socket; the host answers it in the
 * studio and may pin the answer for everyone.
 */
export function AskHost({ st, sock }: { st: RoomState; sock: RoomSocket | null }) {
  const me = useSession().me;
  const [text, setText] = useState('');
  const sent = useRef<{ ref: string; text: string } | null>(null);
  const [thanks, setThanks] = useState(false);
  const err = st.error && st.error.kind === 'question' ? st.error : null;

  useEffect(() => {
    if (err && sent.current && err.ref === sent.current.ref) {
      setText((t) => t || sent.current!.text);
      setThanks(false);
      sent.current = null;
    }
  }, [err]);

  const mine = me.user?.id ?? '';
  const n = charCount(text.trim());
  const open = st.connection === 'open' && !!sock;
  const submit = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    if (!sock || !t || n > MAX_TEXT || !open) return;
    const ref = sock.question(t);
    if (!ref) return;
    sent.current = { ref, text: t };
    setText('');
    setThanks(true);
  };
  // Answered questions first (they help everyone), then the viewer's own.
  const shown = st.questions.filter((q) => q.status === 'answered' || q.user_id === mine).slice(-8).reverse();

  return (
    <section class="ask-host" data-testid="ask-host">
      <h2 class="section-title">{t('room.qa.title')}</h2>
      {!me.user ? (
        <SignInPrompt what={t('room.qa.signinWhat')} />
      ) : (
        <form class="chat-form" onSubmit={submit}>
          <div class="chat-input-row">
            <input
              class="chat-input"
              value={text}
              placeholder={t('room.qa.placeholder')}
              aria-label={t('room.qa.label')}
              disabled={!open}
              onInput={(e) => {
                setText((e.currentTarget as HTMLInputElement).value);
                setThanks(false);
                if (err) sock?.clearError();
              }}
              data-testid="question-input"
            />
            <Button class="small" type="submit" disabled={!open || !text.trim() || n > MAX_TEXT} data-testid="question-send">
              {t('room.qa.ask')}
            </Button>
          </div>
          <div class="chat-meta">
            <span class={n > MAX_TEXT ? 'chat-count over' : 'chat-count'}>
              {n}/{MAX_TEXT}
            </span>
            {thanks && !err && <span class="ok-text">{t('room.qa.sent')}</span>}
          </div>
          {err && (
            <p class="chat-error" role="alert" data-testid="question-error">
              {errorText(err)}
            </p>
          )}
        </form>
      )}
      {shown.length > 0 && (
        <ul class="questions" data-testid="questions">
          {shown.map((q) => (
            <QuestionItem key={q.id} q={q} mine={q.user_id === mine} />
          ))}
        </ul>
      )}
    </section>
  );
}
