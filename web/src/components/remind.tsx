// The "Remind me" toggle of a scheduled session: a notification when it
// is about to start and when it goes live.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { social } from '../social';

/** RemindButton toggles the caller's reminder; reminded is the state when the caller already knows it. */
export function RemindButton({ sessionID, reminded }: { sessionID: string; reminded?: boolean }) {
  const user = useSession().me.user;
  const [on, setOn] = useState<boolean | undefined>(reminded);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  useEffect(() => {
    if (reminded !== undefined) {
      setOn(reminded);
      return;
    }
    if (!user) {
      setOn(false);
      return;
    }
    const ctl = new AbortController();
    social.reminded(sessionID, ctl.signal).then(
      (r) => setOn(r.reminded),
      () => undefined,
    );
    return () => ctl.abort();
  }, [sessionID, reminded, user?.id]);
  const toggle = async () => {
    if (!user) {
      navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    setBusy(true);
    setErr('');
    try {
      if (on) await social.unremind(sessionID);
      else await social.remind(sessionID);
      setOn(!on);
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="follow">
      <button
        type="button"
        class={on ? 'btn btn-secondary small' : 'btn btn-primary small'}
        aria-pressed={!!on}
        disabled={busy || on === undefined}
        onClick={toggle}
        data-testid="remind-button"
      >
        {on ? t('discover.remind.on') : t('discover.remind.off')}
      </button>
      {err && (
        <span class="field-error small" role="alert">
          {err}
        </span>
      )}
    </span>
  );
}
