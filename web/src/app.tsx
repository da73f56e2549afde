// The shell: header with the signed-in user and role badges, navigation,
// and the route table.
import type { ComponentChildren, FunctionComponent } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { label } from './format';
import { SignIn, SignUp } from './pages/auth';
import { Home } from './pages/home';
import { LiveRoom } from './pages/live/room';
import { SearchBox, SearchPage } from './pages/search';
import { Bell, NotificationsPage } from './components/notifications';
import { Link, match, navigate, useLocation } from './router';
import { appRendered } from './live/early';
import { loadSession, signOut, useSession } from './session';
import { Empty, ErrorBox, Spinner } from './ui';
import { LOCALES, setLocale, t, useLocale, type Locale } from './i18n';

type Params = Record<string, string>;

type Page = FunctionComponent<{ params: Params }>;

/**
 * lazy loads a page's module the first time the page is shown (a chunk of
 * its own), with a spinner meanwhile and a retry when the load fails. A
 * viewer who opens a live room downloads none of the studio, merchant,
 * admin, report or account pages (issue 8). Pages the app shell needs
 * anyway (home, the room, sign-in, search, notifications) stay eager.
 */
function lazy<K extends string>(load: () => Promise<Record<K, Page>>, name: K): Page {
  let page: Page | undefined;
  let pending: Promise<void> | undefined;
  const get = () =>
    (pending ??= load().then(
      (m) => {
        page = m[name];
      },
      (e: unknown) => {
        pending = undefined; // let a retry load it again
        throw e;
      },
    ));
  function Lazy(props: { params: Params }) {
    const [, setLoaded] = useState(false);
    const [err, setErr] = useState<unknown>(null);
    const start = () => {
      setErr(null);
      get().then(
        () => setLoaded(true),
        (e: unknown) => setErr(e ?? new Error('load failed')),
      );
    };
    useEffect(() => {
      if (!page) start();
    }, []);
    if (page) {
      const P = page;
      return <P {...props} />;
    }
    return err ? <ErrorBox err={err} retry={start} /> : <Spinner />;
  }
  return Lazy;
}

const CartPage = lazy(() => import('./pages/cart'), 'CartPage');
const ChannelPage = lazy(() => import('./pages/channel'), 'ChannelPage');
const AdminShops = lazy(() => import('./pages/admin'), 'AdminShops');
const AdminModeration = lazy(() => import('./pages/admin-moderation'), 'AdminModeration');
const AdminProgrammes = lazy(() => import('./pages/admin-programmes'), 'AdminProgrammes');
const WatchFeed = lazy(() => import('./pages/watch'), 'WatchFeed');
const AgencyPage = lazy(() => import('./pages/agencies'), 'AgencyPage');
const MyAgencies = lazy(() => import('./pages/agencies'), 'MyAgencies');
const Account = lazy(() => import('./pages/account'), 'Account');
const Invitations = lazy(() => import('./pages/invitations'), 'Invitations');
const LiveRooms = lazy(() => import('./pages/live/rooms'), 'LiveRooms');
const StudioPage = lazy(() => import('./pages/live/studio'), 'StudioPage');
const ApplyShop = lazy(() => import('./pages/merchant/shops'), 'ApplyShop');
const MyShops = lazy(() => import('./pages/merchant/shops'), 'MyShops');
const ShopConsole = lazy(() => import('./pages/merchant/console'), 'ShopConsole');
const MerchantProduct = lazy(() => import('./pages/merchant/product'), 'MerchantProduct');
const MyOrders = lazy(() => import('./pages/orders'), 'MyOrders');
const OrderPage = lazy(() => import('./pages/orders'), 'OrderPage');
const ProductPage = lazy(() => import('./pages/product'), 'ProductPage');
const HostReportPage = lazy(() => import('./pages/reports'), 'HostReportPage');
const PlatformReportPage = lazy(() => import('./pages/reports'), 'PlatformReportPage');
const SessionReportPage = lazy(() => import('./pages/reports'), 'SessionReportPage');
const ShopPage = lazy(() => import('./pages/shop'), 'ShopPage');
const SchedulePage = lazy(() => import('./pages/schedule'), 'SchedulePage');

interface Route {
  pattern: string;
  page: Page;
  auth?: boolean;
}

const routes: Route[] = [
  { pattern: '/', page: Home },
  { pattern: '/signin', page: SignIn },
  { pattern: '/signup', page: SignUp },
  { pattern: '/products/:id', page: ProductPage },
  { pattern: '/shops/:id', page: ShopPage },
  { pattern: '/search', page: SearchPage },
  { pattern: '/live', page: LiveRooms },
  { pattern: '/watch', page: WatchFeed },
  { pattern: '/channels/:code', page: ChannelPage },
  { pattern: '/live/:id', page: LiveRoom },
  { pattern: '/studio/:id', page: StudioPage, auth: true },
  { pattern: '/cart', page: CartPage, auth: true },
  { pattern: '/orders', page: MyOrders, auth: true },
  { pattern: '/orders/:id', page: OrderPage, auth: true },
  { pattern: '/merchant/apply', page: ApplyShop, auth: true },
  { pattern: '/merchant/shops', page: MyShops, auth: true },
  { pattern: '/merchant/shops/:id', page: ShopConsole, auth: true },
  { pattern: '/merchant/shops/:id/products/:pid', page: MerchantProduct, auth: true },
  { pattern: '/admin/shops', page: AdminShops, auth: true },
  { pattern: '/admin/report', page: PlatformReportPage, auth: true },
  { pattern: '/admin/programmes', page: AdminProgrammes, auth: true },
  { pattern: '/admin/moderation', page: AdminModeration, auth: true },
  { pattern: '/reports/host', page: HostReportPage, auth: true },
  { pattern: '/reports/sessions/:id', page: SessionReportPage, auth: true },
  { pattern: '/agencies', page: MyAgencies, auth: true },
  { pattern: '/agencies/:id', page: AgencyPage, auth: true },
  { pattern: '/invitations', page: Invitations, auth: true },
  { pattern: '/account', page: Account, auth: true },
  { pattern: '/notifications', page: NotificationsPage, auth: true },
  { pattern: '/schedule', page: SchedulePage },
];

function NotFound() {
  return (
    <Empty>
      <h1>{t('shell.notFound')}</h1>
      <p>
        <Link href="/">{t('shell.backHome')}</Link>
      </p>
    </Empty>
  );
}

/** RequireUser sends anonymous visitors to sign in, then back. */
function RequireUser({ children }: { children: ComponentChildren }) {
  const s = useSession();
  const signedOut = s.loaded && !s.me.user;
  useEffect(() => {
    if (signedOut) {
      navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
  }, [signedOut]);
  if (!s.loaded || !s.me.user) return <Spinner />;
  return <>{children}</>;
}

const ROLE_KEYS = {
  host: 'role.host',
  shop_owner: 'role.shop_owner',
  shop_staff: 'role.shop_staff',
  mcn_manager: 'role.mcn_manager',
  admin: 'role.admin',
} as const;

function roleLabel(r: string): string {
  const key = ROLE_KEYS[r as keyof typeof ROLE_KEYS];
  return key ? t(key) : label(r);
}

/** LanguagePicker switches between Chinese and English. */
function LanguagePicker() {
  const current = useLocale();
  return (
    <select
      class="lang-picker"
      aria-label={t('shell.language')}
      data-testid="language"
      value={current}
      onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}
    >
      {LOCALES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

function Header() {
  const s = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const user = s.me.user;
  const roles = (s.me.roles ?? []).filter((r) => r !== 'viewer');
  const nav: [string, string, string][] = [['/', t('nav.discover'), 'nav-home'], ['/watch', t('nav.watch'), 'nav-watch'], ['/live', t('nav.live'), 'nav-live']];
  nav.push(['/schedule', t('nav.schedule'), 'nav-schedule']);
  if (user) {
    nav.push(
      ['/cart', t('nav.cart'), 'nav-cart'],
      ['/orders', t('nav.orders'), 'nav-orders'],
      ['/merchant/shops', t('nav.sell'), 'nav-shops'],
      ['/agencies', t('nav.agencies'), 'nav-agencies'],
      ['/invitations', t('nav.invitations'), 'nav-invitations'],
    );
    if (user.is_admin) nav.push(['/admin/shops', t('nav.approvals'), 'nav-admin']);
    if (user.is_admin) nav.push(['/admin/report', t('nav.platform'), 'nav-platform-report']);
    if (user.is_host) nav.push(['/reports/host', t('nav.earnings'), 'nav-earnings']);
  }
  const active = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <Link href="/" class="brand" aria-label={t('nav.home')}>
          <span class="brand-dot" aria-hidden="true" />
          <span>
            live<b>shop</b>
          </span>
        </Link>
        <nav class={open ? 'mainnav open' : 'mainnav'} aria-label={t('nav.main')}>
          {nav.map(([href, text, id]) => (
            <Link key={href} href={href} class={active(href) ? 'active' : ''} data-testid={id}>
              {text}
            </Link>
          ))}
        </nav>
        <SearchBox />
        <Bell />
        <div class="userbox">
          {!s.loaded ? null : user ? (
            <>
              <Link href="/account" class="user" data-testid="current-user">
                <span class="avatar" aria-hidden="true">
                  {(user.display_name || user.email).charAt(0).toUpperCase()}
                </span>
                <span class="user-name">{user.display_name || user.email}</span>
              </Link>
              <span class="roles">
                {roles.map((r) => (
                  <span key={r} class={`role role-${r}`} data-testid={`role-${r}`}>
                    {roleLabel(r)}
                  </span>
                ))}
              </span>
              <button
                class="btn btn-ghost small"
                data-testid="signout"
                onClick={async () => {
                  await signOut().catch(() => undefined);
                  navigate('/');
                }}
              >
                {t('auth.signout')}
              </button>
            </>
          ) : (
            <>
              <Link href="/signin" class="btn btn-ghost small" data-testid="nav-signin">
                {t('auth.signin')}
              </Link>
              <Link href="/signup" class="btn btn-primary small" data-testid="nav-signup">
                {t('auth.signup')}
              </Link>
            </>
          )}
          <LanguagePicker />
          <button class="menu-toggle" data-testid="menu-toggle" aria-label={t('nav.menu')} aria-expanded={open} onClick={() => setOpen(!open)}>
            ☰
          </button>
        </div>
      </div>
    </header>
  );
}

export function App() {
  const { path } = useLocation();
  useLocale(); // a language switch re-renders the whole app
  let content: ComponentChildren = <NotFound />;
  for (const r of routes) {
    const params = match(r.pattern, path);
    if (!params) continue;
    const Page = r.page;
    const page = <Page key={path} params={params} />;
    content = r.auth ? <RequireUser>{page}</RequireUser> : page;
    break;
  }
  return (
    <>
      <Header />
      <main class="page">{content}</main>
      <footer class="footer">{t('shell.footer')}</footer>
    </>
  );
}

/** mount renders the app into el (main.tsx calls it once this chunk has loaded). */
export function mount(el: HTMLElement): void {
  void loadSession();
  render(<App />, el);
  appRendered();
}
