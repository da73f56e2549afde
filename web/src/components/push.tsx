// "Turn on notifications": subscribes this browser to Web Push through the
// service worker (/sw.js) and hands the subscription to the server. Hidden
// where the browser cannot (no service workers or Push API, not a secure
// context) or the person has blocked notifications.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { t } from '../i18n';
import { social } from '../social';
import '../styles/social.css';

function supported(): boolean {
  return window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** keyBytes turns the base64url VAPID key into what PushManager wants. */
function keyBytes(b64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (b64url + '='.repeat((4 - (b64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.getRegistration('/sw.js');
  return reg ? reg.pushManager.getSubscription() : null;
}

async function turnOn(): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted') {
    throw new Error(t('discover.push.blocked'));
  }
  const reg = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const { public_key } = await social.vapidKey();
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) }));
  await social.subscribePush(sub.toJSON());
}

async function turnOff(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await social.unsubscribePush(sub.endpoint);
  await sub.unsubscribe();
}

export function PushToggle() {
  const [state, setState] = useState<'unknown' | 'off' | 'on' | 'hidden'>('unknown');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  useEffect(() => {
    if (!supported() || Notification.permission === 'denied') {
      setState('hidden');
      return;
    }
    currentSubscription().then(
      (s) => setState(s && Notification.permission === 'granted' ? 'on' : 'off'),
      () => setState('off'),
    );
  }, []);
  if (state === 'hidden' || state === 'unknown') return null;
  const act = async () => {
    setBusy(true);
    setErr('');
    try {
      if (state === 'on') {
        await turnOff();
        setState('off');
      } else {
        await turnOn();
        setState('on');
      }
    } catch (e) {
      setErr(errorMessage(e));
      if (Notification.permission === 'denied') setState('hidden');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="row" data-testid="push-toggle">
      <button type="button" class={state === 'on' ? 'btn btn-secondary small' : 'btn btn-primary small'} disabled={busy} onClick={act}>
        {state === 'on' ? t('discover.push.turnOff') : t('discover.push.turnOn')}
      </button>
      <span class="muted small">{state === 'on' ? t('discover.push.onHint') : t('discover.push.offHint')}</span>
      {err && (
        <span class="field-error small" role="alert">
          {err}
        </span>
      )}
    </div>
  );
}
