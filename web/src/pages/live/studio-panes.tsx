// The studio's panes (Products, Sell, Q&A & chat, Stats) and, on a phone,
// the tab bar that opens them. On a laptop a pane is a plain section of a
// column. On a phone it is a sheet over the camera: a modal dialog that
// keeps the focus inside, closes on Escape, × or a tap above it, and gives
// the focus back to its tab. A closed pane is only hidden, never unmounted,
// so forms, charts and subscriptions inside keep their state.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n';
import { Icon } from './studio-icons';

export type PaneID = 'products' | 'sell' | 'chat' | 'stats';
export const PANES: PaneID[] = ['products', 'sell', 'chat', 'stats'];

export function paneTitle(id: PaneID): string {
  return t(`studio.tab.${id}`);
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Pane(p: { id: PaneID; phone: boolean; open: boolean; onClose: () => void; children: ComponentChildren }) {
  const { id, phone, open, onClose } = p;
  const ref = useRef<HTMLElement>(null);
  const sheet = phone;
  const shown = !sheet || open;

  // Escape closes; the focus moves in when the sheet opens and back to its tab when it closes.
  useEffect(() => {
    if (!sheet || !open) return;
    const el = ref.current;
    el?.querySelector<HTMLElement>('.studio-pane-close')?.focus();
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('keydown', key);
      document.getElementById(`studio-tab-${id}`)?.focus();
    };
  }, [sheet, open]);

  /** trap keeps Tab and Shift+Tab inside an open sheet. */
  const trap = (e: KeyboardEvent) => {
    if (!sheet || e.key !== 'Tab' || !ref.current) return;
    const all = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.offsetParent !== null);
    if (all.length === 0) return;
    const first = all[0];
    const last = all[all.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <>
      {sheet && open && <div class="studio-scrim" onClick={onClose} aria-hidden="true" data-testid="sheet-scrim" />}
      <section
        ref={ref}
        id={`studio-pane-${id}`}
        class={sheet ? 'studio-pane is-sheet' : 'studio-pane'}
        role={sheet ? 'dialog' : undefined}
        aria-modal={sheet ? 'true' : undefined}
        aria-labelledby={`studio-pane-${id}-title`}
        hidden={!shown}
        onKeyDown={trap}
        data-testid={`pane-${id}`}
        data-open={shown ? 'true' : 'false'}
      >
        <header class="studio-pane-head">
          <h2 id={`studio-pane-${id}-title`} class="grow">
            {paneTitle(id)}
          </h2>
          {sheet && (
            <button type="button" class="studio-pane-close" onClick={onClose} aria-label={t('studio.sheet.close', { name: paneTitle(id) })} data-testid="sheet-close">
              ×
            </button>
          )}
        </header>
        <div class="studio-pane-body stack">{p.children}</div>
      </section>
    </>
  );
}

/** TabBar is the phone's row of tabs under the camera; a tab opens its sheet, the open one closes it. */
export function TabBar(p: { open: PaneID | null; onOpen: (id: PaneID | null) => void; badges: Partial<Record<PaneID, number>> }) {
  const move = (e: KeyboardEvent, i: number) => {
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % PANES.length;
    else if (e.key === 'ArrowLeft') j = (i + PANES.length - 1) % PANES.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = PANES.length - 1;
    if (j < 0) return;
    e.preventDefault();
    document.getElementById(`studio-tab-${PANES[j]}`)?.focus();
  };
  const current = p.open ?? 'products';
  return (
    <nav class="studio-tabs" aria-label={t('studio.tabs.label')}>
      <div role="tablist" aria-label={t('studio.tabs.label')} class="studio-tablist">
        {PANES.map((id, i) => {
          const n = p.badges[id] ?? 0;
          return (
            <button
              key={id}
              type="button"
              role="tab"
              id={`studio-tab-${id}`}
              class={p.open === id ? 'studio-tab on' : 'studio-tab'}
              aria-selected={p.open === id}
              aria-controls={`studio-pane-${id}`}
              tabIndex={id === current ? 0 : -1}
              onClick={() => p.onOpen(p.open === id ? null : id)}
              onKeyDown={(e) => move(e, i)}
              data-testid={`tab-${id}`}
            >
              <Icon name={id} size={22} />
              <span class="studio-tab-text">{paneTitle(id)}</span>
              {n > 0 && (
                <span class="studio-tab-badge">
                  <span class="studio-sr">, </span>
                  {t('studio.tabs.badge', { n })}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
