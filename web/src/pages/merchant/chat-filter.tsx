// The shop's blocked words: chat lines containing any of them are refused
// in every live room of the shop (the server applies the filter).
import { useEffect, useState } from 'preact/hooks';
import { room } from '../../api';
import { Button, Card, FormError, Loaded, useAction, useAsync } from '../../ui';

/** parseWords reads one word or phrase per line (commas also separate), trimmed, without duplicates. */
export function parseWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of text.split(/[\n,]/)) {
    const t = w.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
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
        <span class="field-label">Blocked words</span>
        <textarea
          rows={6}
          value={text}
          placeholder={'one word or phrase per line'}
          onInput={(e) => {
            setText((e.currentTarget as HTMLTextAreaElement).value);
            setSaved(false);
          }}
          data-testid="chat-filter-words"
        />
      </label>
      <p class="hint">
        {n} word{n === 1 ? '' : 's'}. Messages containing one are refused in all of this shop's live rooms; matching ignores case.
      </p>
      <FormError err={save.error} />
      <div class="chat-input-row">
        <Button type="submit" busy={save.busy} data-testid="chat-filter-save">
          Save words
        </Button>
        {saved && <span class="ok-text">Saved.</span>}
      </div>
    </form>
  );
}

export function ChatFilterCard({ shopID }: { shopID: string }) {
  const a = useAsync((signal) => room.chatFilter(shopID, signal), [shopID]);
  return (
    <Card title="Live chat filter">
      <Loaded a={a}>{(words) => <Editor shopID={shopID} words={words} />}</Loaded>
    </Card>
  );
}
