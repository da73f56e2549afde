// A sheet over the page: slides up from the bottom on phones, a centred
// dialog on wide screens. It is a modal dialog: focus moves into it and
// stays there (Tab cycles), Escape, the backdrop and × close it, and focus
// goes back to what opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

let sheetIDs = 0;

export function Sheet(p: { title: ComponentChildren; onClose: () => void; testid: string; children: ComponentChildren }) {
  const { onClose } = p;
  const ref = useRef<HTMLElement>(null);
  const titleID = useRef(`sheet-title-${++sheetIDs}`);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const el = ref.current;
    // The first field or button of the body, else the sheet itself (× is last resort: it would close on Enter).
    const first = el?.querySelector<HTMLElement>(`.sheet-body ${FOCUSABLE.split(', ').join(', .sheet-body ')}`);
    (first ?? el)?.focus({ preventScroll: true });
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab' || !el) return;
      const all = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.offsetParent !== null || x === document.activeElement);
      if (all.length === 0) {
        e.preventDefault();
        return;
      }
      const a = all[0];
      const z = all[all.length - 1];
      if (e.shiftKey && (document.activeElement === a || document.activeElement === el)) {
        e.preventDefault();
        z.focus();
      } else if (!e.shiftKey && document.activeElement === z) {
        e.preventDefault();
        a.focus();
      } else if (!el.contains(document.activeElement)) {
        e.preventDefault();
        a.focus();
      }
    };
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('keydown', key);
      if (opener && opener.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
  return (
    <div class="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <section ref={ref} class="sheet" role="dialog" aria-modal="true" aria-labelledby={titleID.current} tabIndex={-1} data-testid={p.testid}>
        <header class="sheet-head">
          <h2 class="grow" id={titleID.current}>
            {p.title}
          </h2>
          <button type="button" class="notice-close" onClick={onClose} aria-label={t('room.sheet.close')} data-testid="sheet-close">
            ×
          </button>
        </header>
        <div class="sheet-body">{p.children}</div>
      </section>
    </div>
  );
}
