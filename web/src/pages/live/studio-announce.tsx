// The studio's announcement box: one line shown to every viewer as a
// banner over the chat until the next one replaces it.
import { useState } from 'preact/hooks';
import { room } from '../../api';
import { charCount, MAX_TEXT, type Announcement } from '../../live/protocol';
import { t } from '../../i18n';
import { Button, Card, FormError, useAction } from '../../ui';

export function AnnouncePanel({ sessionID, current, live }: { sessionID: string; current: Announcement | null; live: boolean }) {
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const send = useAction(async () => {
    await room.announce(sessionID, text.trim());
    setText('');
    setSent(true);
  });
  const n = charCount(text.trim());
  return (
    <Card title={t('studio.announce.title')}>
      {current?.text ? (
        <p class="announcement" data-testid="announce-current">
          <span class="announcement-icon">{t('studio.announce.notice')}</span> {current.text}
        </p>
      ) : (
        <p class="hint">{t('studio.announce.hint')}</p>
      )}
      <form
        class="chat-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() && n <= MAX_TEXT) send.run();
        }}
      >
        <div class="chat-input-row">
          <input
            class="chat-input"
            value={text}
            placeholder={t('studio.announce.placeholder')}
            aria-label={t('studio.announce.title')}
            disabled={!live}
            onInput={(e) => {
              setText((e.currentTarget as HTMLInputElement).value);
              setSent(false);
            }}
            data-testid="announce-input"
          />
          <Button class="small" type="submit" busy={send.busy} disabled={!live || !text.trim() || n > MAX_TEXT} data-testid="announce-send">
            {t('studio.announce.send')}
          </Button>
        </div>
        <div class="chat-meta">
          <span class={n > MAX_TEXT ? 'chat-count over' : 'chat-count'}>
            {n}/{MAX_TEXT}
          </span>
          {sent && <span class="ok-text">{t('studio.announce.sent')}</span>}
          {!live && <span class="muted">{t('studio.announce.notLive')}</span>}
        </div>
      </form>
      <FormError err={send.error} />
    </Card>
  );
}
