// The studio's Q&A: viewers' questions as they arrive over the socket. The
// host answers in text and pins an answer so every viewer sees it on top
// of the chat (one pinned at a time).
import { useState } from 'preact/hooks';
import { room } from '../../api';
import type { Question } from '../../live/protocol';
import type { RoomSocket } from '../../live/roomsocket';
import { locale, t } from '../../i18n';
import { Button, Card, FormError, useAction } from '../../ui';

function QuestionRow({ sessionID, q, sock }: { sessionID: string; q: Question; sock: RoomSocket | null }) {
  const [answer, setAnswer] = useState(q.answer ?? '');
  const save = useAction(async (body: { answer?: string; pin?: boolean }) => {
    const updated = await room.answer(sessionID, q.id, body);
    // Show it now; the socket's question.updated confirms it for everyone.
    sock?.applyLocal('question.updated', updated && updated.id ? updated : { ...q, ...body, answer: body.answer ?? q.answer, pinned: body.pin ?? q.pinned });
  });
  const submit = (e: Event) => {
    e.preventDefault();
    if (answer.trim()) save.run({ answer: answer.trim() });
  };
  return (
    <li class={`qa-row${q.pinned ? ' pinned' : ''}`} data-testid="qa-question" data-id={q.id} data-status={q.status} data-pinned={q.pinned ? 'true' : undefined}>
      <div class="qa-head">
        <b>{q.name || t('studio.qa.aViewer')}</b>
        <span class="muted small">{new Date(q.created_at).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' })}</span>
        {q.pinned && <span class="pinned-tag">{t('studio.qa.pinned')}</span>}
      </div>
      <p class="qa-text">{q.text}</p>
      {q.status === 'answered' && q.answer && <p class="question-answer">↳ {q.answer}</p>}
      <form class="qa-actions" onSubmit={submit}>
        <input
          value={answer}
          placeholder={q.status === 'answered' ? t('studio.qa.editAnswer') : t('studio.qa.yourAnswer')}
          aria-label={t('studio.qa.answerTo', { text: q.text })}
          onInput={(e) => setAnswer((e.currentTarget as HTMLInputElement).value)}
          data-testid="qa-answer-text"
        />
        <Button class="small" type="submit" busy={save.busy} disabled={!answer.trim()} data-testid="qa-answer">
          {t('studio.qa.answer')}
        </Button>
        <Button class="small" kind="secondary" type="button" disabled={save.busy} onClick={() => save.run({ pin: !q.pinned })} data-testid="qa-pin">
          {q.pinned ? t('studio.qa.unpin') : t('studio.qa.pin')}
        </Button>
      </form>
      <FormError err={save.error} />
    </li>
  );
}

export function QAPanel({ sessionID, questions, sock, live }: { sessionID: string; questions: Question[]; sock: RoomSocket | null; live: boolean }) {
  const open = questions.filter((q) => q.status === 'open');
  const answered = questions.filter((q) => q.status !== 'open').reverse();
  return (
    <Card title={open.length ? t('studio.qa.titleOpen', { n: open.length }) : t('studio.qa.title')}>
      {questions.length === 0 ? (
        <p class="muted" data-testid="qa-empty">
          {live ? t('studio.qa.empty') : t('studio.qa.notLive')}
        </p>
      ) : (
        <ul class="qa-list" data-testid="qa-list">
          {[...open, ...answered].map((q) => (
            <QuestionRow key={q.id} sessionID={sessionID} q={q} sock={sock} />
          ))}
        </ul>
      )}
    </Card>
  );
}
