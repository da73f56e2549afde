// A sheet over the page: slides up from the bottom on phones, a centred
// dialog on wide screens. Escape, the backdrop and × close it.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../../i18n';

export function Sheet(p: { title: ComponentChildren; onClose: () => void; testid: string; children: ComponentChildren }) {
  const { onClose } = p;
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [onClose]);
  return (
    <div class="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <section class="sheet" role="dialog" aria-modal="true" data-testid={p.testid}>
        <header class="sheet-head">
          <h2 class="grow">{p.title}</h2>
          <button type="button" class="notice-close" onClick={onClose} aria-label={t('room.sheet.close')} data-testid="sheet-close">
            ×
          </button>
        </header>
        <div class="sheet-body">{p.children}</div>
      </section>
    </div>
  );
}
