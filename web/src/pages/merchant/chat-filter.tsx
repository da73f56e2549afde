// The shop's blocked words: chat lines containing any of them are refused
// in every live room of the shop (the server applies the filter).
import { useEffect, useState } from 'preact/hooks';
import { room } from '../../api';
import { t } from '../../i18n';
import { Button, Card, FormError, Loaded, useAction, useAsync } from '../../ui';
import { plural } from './text';

/** parseWords reads one word or phrase per line (commas also separate), trimmed, without duplicates. */
export function parseWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of text.split(/[\n,]/)) {
    const word = w.trim();
    if (word && !seen.has(word.toLowerCase())) {
      seen.add(word.toLowerCase());
      out.push(word);
    }
  }
  return out;
}

function Editor({ shopID, words }: { shopID: string; words: string[] }) {
  const [text, setText] = useState(words.join('\n'));
  const [saved, setSaved] = useState(false);
  useEffect(() => setText(words.join('\n')), [words]);
  const save = useAction(async () => {
    const out = await room.setChatFilter(shopID, parseWords(text));
    setText(out.join('\n'));
    setSaved(true);
  });
  const n = parseWords(text).length;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.run();
      }}
    >
      <label class="field">
        <span class="field-label">{t('merchant.chatFilter.words')}</span>
        <textarea
          rows={6}
          value={text}
          placeholder={t('merchant.chatFilter.placeholder')}
          onInput={(e) => {
            setText((e.currentTarget as HTMLTextAreaElement).value);
            setSaved(false);
          }}
          data-testid="chat-filter-words"
        />
      </label>
      <p class="hint">
        {plural('merchant.chatFilter.hint.one', 'merchant.chatFilter.hint.other', n)}
      </p>
      <FormError err={save.error} />
      <div class="chat-input-row">
        <Button type="submit" busy={save.busy} data-testid="chat-filter-save">
          {t('merchant.chatFilter.save')}
        </Button>
        {saved && <span class="ok-text">{t('merchant.saved')}</span>}
      </div>
    </form>
  );
}

export function ChatFilterCard({ shopID }: { shopID: string }) {
  const a = useAsync((signal) => room.chatFilter(shopID, signal), [shopID]);
  return (
    <Card title={t('merchant.chatFilter.title')}>
      <Loaded a={a}>{(words) => <Editor shopID={shopID} words={words} />}</Loaded>
    </Card>
  );
}
