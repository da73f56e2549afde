// The right-hand rail of the phone room, over the video: round buttons
// with a short label under each (share, questions…), and the share button,
// which uses the system share sheet when there is one, else copies the link.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

export function RailButton(p: { label: string; short: string; onClick: () => void; testid: string; badge?: ComponentChildren; children: ComponentChildren; expanded?: boolean }) {
  return (
    <button type="button" class="rail-button" onClick={p.onClick} aria-label={p.label} aria-haspopup={p.expanded === undefined ? undefined : 'dialog'} data-testid={p.testid}>
      <span class="rail-icon" aria-hidden="true">
        {p.children}
      </span>
      {p.badge}
      <span class="rail-text" aria-hidden="true">
        {p.short}
      </span>
    </button>
  );
}

/** ShareButton shares the room's address (system sheet on phones that have one) or copies it. */
export function ShareButton({ title }: { title: string }) {
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (!said) return;
    const id = window.setTimeout(() => setSaid(''), 2500);
    return () => window.clearTimeout(id);
  }, [said]);
  const share = async () => {
    const url = location.origin + location.pathname;
    const nav = navigator as Navigator & { share?: (d: ShareData) => Promise<void> };
    if (nav.share && matchMedia('(pointer: coarse)').matches) {
      try {
        await nav.share({ title, url });
        return;
      } catch (e) {
        if ((e as DOMException)?.name === 'AbortError') return; // the viewer closed the sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setSaid(t('room.share.copied'));
    } catch {
      setSaid(t('room.share.failed'));
    }
  };
  return (
    <div class="rail-share">
      <RailButton label={t('room.share.label')} short={t('room.share')} onClick={share} testid="share-button">
        <svg viewBox="0 0 24 24" width="22" height="22">
          <path d="M14 5l6 6-6 6v-4c-5 0-8 1.5-10 5 .5-5 3-10 10-11V5z" fill="currentColor" />
        </svg>
      </RailButton>
      <span class="rail-said" role="status" data-testid="share-status">
        {said}
      </span>
    </div>
  );
}
