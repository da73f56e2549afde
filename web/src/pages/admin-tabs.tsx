// The admin console's tab bar and gate, shared by the admin pages: links
// (each tab is its own address), the current one marked for screen readers.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { Link } from '../router';
import { useSession } from '../session';
import { Empty } from '../ui';
import '../styles/admin.css';

export type AdminTab = 'shops' | 'programmes' | 'moderation' | 'audit';

const TABS: [AdminTab, string, MessageKey][] = [
  ['shops', '/admin/shops', 'admin.nav.shops'],
  ['programmes', '/admin/programmes', 'admin.nav.programmes'],
  ['moderation', '/admin/moderation', 'admin.nav.moderation'],
  // The audit log lives on the programmes page's address (no route of its own).
  ['audit', '/admin/programmes?view=audit', 'admin.nav.audit'],
];

export function AdminTabs({ current }: { current: AdminTab }) {
  // On a phone the bar scrolls sideways: bring the current tab into view
  // (scrollLeft only, so the page itself does not jump).
  const nav = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const el = nav.current;
    const active = el?.querySelector<HTMLElement>('[aria-current="page"]');
    if (el && active && el.scrollWidth > el.clientWidth) el.scrollLeft = active.offsetLeft - el.offsetLeft - 16;
  }, [current]);
  return (
    <nav ref={nav} class="admin-tabs tabs" aria-label={t('admin.nav.label')} data-testid="admin-tabs">
      {TABS.map(([id, href, key]) => (
        <Link
          key={id}
          href={href}
          class={id === current ? 'tab active' : 'tab'}
          aria-current={id === current ? 'page' : undefined}
          data-testid={`admin-tab-${id}`}
        >
          {t(key)}
        </Link>
      ))}
    </nav>
  );
}

/** AdminArea shows the tabs and, for admins only, the page. */
export function AdminArea({ current, children }: { current: AdminTab; children: ComponentChildren }) {
  const s = useSession();
  if (!s.me.user?.is_admin) return <Empty>{t('admin.onlyAdminsConsole')}</Empty>;
  return (
    <div class="admin-area">
      <AdminTabs current={current} />
      {children}
    </div>
  );
}
