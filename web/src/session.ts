// Who is signed in: GET /me at start-up, updated on sign-in, sign-up and
// sign-out. Components read it with useSession().
import { useEffect, useState } from 'preact/hooks';
import { api, setCSRFToken } from './api';
import type { Me, User } from './types';

export interface Session {
  loaded: boolean;
  me: Me;
}

const anonymous: Me = { user: null, roles: ['viewer'], shop_roles: {}, mcns: [], csrf_token: '' };

let state: Session = { loaded: false, me: anonymous };
const listeners = new Set<(s: Session) => void>();

function set(next: Session): void {
  state = next;
  for (const l of listeners) l(state);
}

// shop_roles may come as a map (shop id → role) or as a list of
// {shop_id, role}; mcns as ids or agencies. Keep one form.
function normalise(me: Me): Me {
  const out: Me = { ...anonymous, ...me };
  const sr = me.shop_roles as unknown;
  if (Array.isArray(sr)) {
    const m: Record<string, string> = {};
    for (const r of sr as { shop_id?: string; id?: string; role?: string }[]) {
      const id = r.shop_id ?? r.id;
      if (id) m[id] = r.role ?? 'staff';
    }
    out.shop_roles = m;
  } else if (!sr || typeof sr !== 'object') {
    out.shop_roles = {};
  }
  const mcns = me.mcns as unknown;
  out.mcns = Array.isArray(mcns) ? mcns.map((x: string | { id: string }) => (typeof x === 'string' ? x : x.id)) : [];
  out.roles = Array.isArray(me.roles) ? me.roles : ['viewer'];
  return out;
}

/** loadSession asks the server who we are (and for a CSRF token). */
export async function loadSession(): Promise<Session> {
  try {
    const me = await api.get<Me>('/me');
    setCSRFToken(me.csrf_token);
    set({ loaded: true, me: normalise(me) });
  } catch {
    set({ loaded: true, me: anonymous });
  }
  return state;
}

/** signedIn records the response of sign-in or sign-up, then refreshes roles. */
export async function signedIn(resp: { user: User; csrf_token: string }): Promise<void> {
  setCSRFToken(resp.csrf_token);
  set({ loaded: true, me: { ...state.me, user: resp.user, csrf_token: resp.csrf_token } });
  await loadSession();
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/auth/signout');
  } finally {
    setCSRFToken('');
    set({ loaded: true, me: anonymous });
    await loadSession();
  }
}

export function useSession(): Session {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => {
      listeners.delete(setS);
    };
  }, []);
  return s;
}

/** shopRole returns whether the signed-in user is owner or staff of the shop. */
export function shopRole(me: Me, shopID: string): string {
  return me.shop_roles?.[shopID] ?? '';
}
