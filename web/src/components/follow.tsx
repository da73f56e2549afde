// Follow buttons for a host and a shop: the follower count and a toggle.
// Signed-out viewers are sent to sign in; nobody sees a button to follow
// themselves or a shop they work for.
import { useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { locale, t } from '../i18n';
import { navigate } from '../router';
import { shopRole, useSession } from '../session';
import { social, type FollowKind, type Followers } from '../social';
import type { LiveSession } from '../types';
import { useAsync } from '../ui';
import '../styles/social.css';

function count(n: number): string {
  return t(n === 1 ? 'discover.followers.one' : 'discover.followers.other', { n: n.toLocaleString(locale()) });
}

/** FollowButton follows or unfollows one host or shop; roomID counts a follow made in a live room. */
export function FollowButton({ kind, id, name, roomID }: { kind: FollowKind; id: string; name?: string; roomID?: string }) {
  const me = useSession().me;
  const state = useAsync<Followers>(
    async (signal) => (kind === 'host' ? social.host(id, signal) : social.shopFollowers(id, signal)),
    [kind, id, me.user?.id],
  );
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const self = kind === 'host' ? me.user?.id === id : !!shopRole(me, id);
  if (!state.data || self) return null;
  const f = state.data;
  const toggle = async () => {
    if (!me.user) {
      navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    setBusy(true);
    setErr('');
    try {
      if (f.following) await social.unfollow(kind, id);
      else await social.follow(kind, id, roomID);
      state.setData({ followers: f.followers + (f.following ? -1 : 1), following: !f.following });
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const who = name || (kind === 'host' ? t('discover.follow.thisHost') : t('discover.follow.thisShop'));
  return (
    <span class="follow" data-testid={`follow-${kind}`}>
      <button
        type="button"
        class={f.following ? 'btn btn-secondary small' : 'btn btn-primary small'}
        aria-pressed={f.following}
        disabled={busy}
        title={f.following ? t('discover.follow.stopTitle', { name: who }) : t('discover.follow.title', { name: who })}
        onClick={toggle}
        data-testid={`follow-${kind}-button`}
      >
        {f.following ? t('discover.follow.following') : kind === 'host' ? t('discover.follow.host') : t('discover.follow.shop')}
      </button>
      <span class="muted small" data-testid={`follow-${kind}-count`}>
        {count(f.followers)}
      </span>
      {err && (
        <span class="field-error small" role="alert">
          {err}
        </span>
      )}
    </span>
  );
}

/** RoomFollow puts the host's and the shop's follow buttons in a live room's header. */
export function RoomFollow({ s }: { s: LiveSession }) {
  return (
    <div class="follow-row" data-testid="room-follow">
      {s.host_id && <FollowButton kind="host" id={s.host_id} name={s.host_name} roomID={s.id} />}
      <FollowButton kind="shop" id={s.shop_id} name={s.shop_name} roomID={s.id} />
    </div>
  );
}
