// The shell: header with the signed-in user and role badges, navigation,
// and the route table.
import { CartPage } from './pages/cart';
import { ChannelPage } from './pages/channel';
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { label } from './format';
import { SignIn, SignUp } from './pages/auth';
import { AdminShops } from './pages/admin';
import { AgencyPage, MyAgencies } from './pages/agencies';
import { Account } from './pages/account';
import { Home } from './pages/home';
import { Invitations } from './pages/invitations';
import { LiveRoom } from './pages/live/room';
import { LiveRooms } from './pages/live/rooms';
import { StudioPage } from './pages/live/studio';
import { ApplyShop, MyShops } from './pages/merchant/shops';
import { ShopConsole } from './pages/merchant/console';
import { MerchantProduct } from './pages/merchant/product';
import { MyOrders, OrderPage } from './pages/orders';
import { ProductPage } from './pages/product';
import { HostReportPage, PlatformReportPage, SessionReportPage } from './pages/reports';
import { ShopPage } from './pages/shop';
import { SearchBox, SearchPage } from './pages/search';
import { Bell, NotificationsPage } from './components/notifications';
import { SchedulePage } from './pages/schedule';
import { Link, match, navigate, useLocation } from './router';
import { signOut, useSession } from './session';
import { Empty, Spinner } from './ui';

type Params = Record<string, string>;

interface Route {
  pattern: string;
  page: FunctionComponent<{ params: Params }>;
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
      <h1>Page not found</h1>
      <p>
        <Link href="/">Back to the shop floor</Link>
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

const ROLE_LABELS: Record<string, string> = {
  host: 'Host',
  shop_owner: 'Merchant',
  shop_staff: 'Staff',
  mcn_manager: 'Agency',
  admin: 'Admin',
};

function Header() {
  const s = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const user = s.me.user;
  const roles = (s.me.roles ?? []).filter((r) => r !== 'viewer');
  const nav: [string, string, string][] = [['/', 'Discover', 'nav-home'], ['/live', 'Live', 'nav-live']];
  nav.push(['/schedule', 'Schedule', 'nav-schedule']);
  if (user) {
    nav.push(['/cart', 'Cart', 'nav-cart'], ['/orders', 'My orders', 'nav-orders'], ['/merchant/shops', 'Sell', 'nav-shops'], ['/agencies', 'Agencies', 'nav-agencies'], ['/invitations', 'Invitations', 'nav-invitations']);
    if (user.is_admin) nav.push(['/admin/shops', 'Approvals', 'nav-admin']);
    if (user.is_admin) nav.push(['/admin/report', 'Platform', 'nav-platform-report']);
    if (user.is_host) nav.push(['/reports/host', 'Earnings', 'nav-earnings']);
  }
  const active = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <Link href="/" class="brand" aria-label="liveshop home">
          <span class="brand-dot" aria-hidden="true" />
          <span>
            live<b>shop</b>
          </span>
        </Link>
        <nav class={open ? 'mainnav open' : 'mainnav'} aria-label="Main">
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
                    {ROLE_LABELS[r] ?? label(r)}
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
                Sign out
              </button>
            </>
          ) : (
            <>
              <Link href="/signin" class="btn btn-ghost small" data-testid="nav-signin">
                Sign in
              </Link>
              <Link href="/signup" class="btn btn-primary small" data-testid="nav-signup">
                Sign up
              </Link>
            </>
          )}
          <button class="menu-toggle" data-testid="menu-toggle" aria-label="Menu" aria-expanded={open} onClick={() => setOpen(!open)}>
            ☰
          </button>
        </div>
      </div>
    </header>
  );
}

export function App() {
  const { path } = useLocation();
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
      <footer class="footer">
        liveshop · open-source live commerce
      </footer>
    </>
  );
}
