// Settings for streaming apps (OBS and the like): the RTMP server and
// stream key, or the WHIP URL with the key as bearer token. The key stays
// masked until revealed, and can be rotated (which cuts off a live publisher).
import { useState } from 'preact/hooks';
import { live } from '../../api';
import type { Studio } from '../../types';
import { t } from '../../i18n';
import { Button, Card, FormError, useAction } from '../../ui';

/** copyText copies to the clipboard, falling back to a selection where the Clipboard API is missing (plain HTTP). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  document.execCommand('copy');
  ta.remove();
}

function CopyButton({ text, testid }: { text: string; testid: string }) {
  const [done, setDone] = useState(false);
  return (
    <Button
      kind="secondary"
      class="small"
      type="button"
      data-testid={testid}
      onClick={() =>
        copyText(text).then(
          () => {
            setDone(true);
            setTimeout(() => setDone(false), 1500);
          },
          () => undefined,
        )
      }
    >
      {done ? t('studio.obs.copied') : t('studio.obs.copy')}
    </Button>
  );
}

function Setting(p: { label: string; value: string; secret?: boolean; shown?: boolean; onReveal?: () => void; testid: string }) {
  const masked = p.secret && !p.shown;
  return (
    <div class="setting">
      <span class="field-label">{p.label}</span>
      <div class="setting-row">
        <code class="setting-value mono" data-testid={p.testid}>
          {masked ? '•'.repeat(Math.min(24, Math.max(8, p.value.length))) : p.value}
        </code>
        {p.secret && (
          <Button kind="ghost" class="small" type="button" onClick={p.onReveal} data-testid={`${p.testid}-reveal`}>
            {p.shown ? t('studio.obs.hide') : t('studio.obs.reveal')}
          </Button>
        )}
        <CopyButton text={p.value} testid={`${p.testid}-copy`} />
      </div>
    </div>
  );
}

export function OBSPanel({ st, onChange }: { st: Studio; onChange: (s: Studio) => void }) {
  const [shown, setShown] = useState(false);
  const over = st.session.status === 'ended' || st.session.status === 'replay';
  const rotate = useAction(async () => {
    const live_ = st.session.status === 'live';
    if (!confirm(live_ ? t('studio.obs.rotateConfirmLive') : t('studio.obs.rotateConfirm'))) return;
    onChange(await live.rotateKey(st.session.id));
    setShown(true);
  });
  return (
    <Card title={t('studio.obs.title')}>
      <p class="hint">
        {t('studio.obs.hint')}
      </p>
      <h3>RTMP</h3>
      <Setting label={t('studio.obs.server')} value={st.rtmp_server} testid="rtmp-server" />
      <Setting label={t('studio.obs.streamKey')} value={st.stream_key} secret shown={shown} onReveal={() => setShown(!shown)} testid="stream-key" />
      <h3>{t('studio.obs.whip')}</h3>
      <Setting label={t('studio.obs.server')} value={st.whip_url} testid="whip-url" />
      <Setting label={t('studio.obs.bearer')} value={st.stream_key} secret shown={shown} onReveal={() => setShown(!shown)} testid="whip-token" />
      <FormError err={rotate.error} />
      <div class="actions">
        <Button kind="secondary" busy={rotate.busy} disabled={over} onClick={() => rotate.run()} data-testid="rotate-key">
          {t('studio.obs.newKey')}
        </Button>
      </div>
    </Card>
  );
}
