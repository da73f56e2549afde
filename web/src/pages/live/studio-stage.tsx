// The studio's stage: how to go live (this browser's camera, or a
// streaming app such as OBS), the picture with the live numbers over it
// (stream health in plain words, time on air, viewers, sales), and the one
// big Go live / End button. On a phone it fills the screen; on a laptop it
// is the left column's first card.
import { useEffect } from 'preact/hooks';
import { useNow } from '../../components/live';
import { clock, money } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { Studio } from '../../types';
import { Button, FormError } from '../../ui';
import { type Camera, CameraDevices, CameraPreview, CameraToggles, stateText } from './studio-camera';
import { HealthDot, type HealthState } from './studio-health';
import { Icon } from './studio-icons';
import { OBSPanel } from './studio-obs';

export type Source = 'camera' | 'obs';

/** useWakeLock keeps the screen on while active (where the browser offers it), and again after the tab comes back. */
export function useWakeLock(active: boolean): void {
  useEffect(() => {
    const wl = (navigator as Navigator & { wakeLock?: { request: (type: 'screen') => Promise<{ release: () => Promise<void> }> } }).wakeLock;
    if (!active || !wl) return;
    let lock: { release: () => Promise<void> } | null = null;
    let gone = false;
    const take = () => {
      if (gone || document.visibilityState !== 'visible') return;
      wl.request('screen').then(
        (l) => {
          if (gone) void l.release().catch(() => undefined);
          else lock = l;
        },
        () => undefined, // refused (battery saver, no user gesture): the screen may dim, nothing else breaks
      );
    };
    take();
    // The browser releases the lock when the tab is hidden.
    document.addEventListener('visibilitychange', take);
    return () => {
      gone = true;
      document.removeEventListener('visibilitychange', take);
      void lock?.release().catch(() => undefined);
    };
  }, [active]);
}

function SourceChoice({ source, onSource, locked }: { source: Source; onSource: (s: Source) => void; locked: boolean }) {
  return (
    <fieldset class="studio-source" data-testid="source-choice" disabled={locked}>
      <legend class="studio-sr">{t('studio.source.label')}</legend>
      {(['camera', 'obs'] as const).map((s) => (
        <label key={s} class={source === s ? 'studio-source-opt on' : 'studio-source-opt'}>
          <input type="radio" name="studio-source" value={s} checked={source === s} onChange={() => onSource(s)} data-testid={`source-${s}`} />
          <span>{s === 'camera' ? t('studio.source.camera') : t('studio.source.obs')}</span>
        </label>
      ))}
    </fieldset>
  );
}

interface Props {
  st: Studio;
  cam: Camera;
  source: Source;
  onSource: (s: Source) => void;
  phone: boolean;
  health: HealthState;
  /** receiving: the server receives a stream (stream health), from here or from an app. */
  receiving: boolean;
  viewers: number | undefined;
  gmv: { minor: number; currency: string } | null;
  onStudio: (s: Studio) => void;
  /** end ends the session (when it is not this browser's camera that is live). */
  end: { run: () => void; busy: boolean; error: unknown };
}

export function Stage(p: Props) {
  const { st, cam, source, phone } = p;
  const s = st.session;
  const now = useNow(1000);
  const isLive = s.status === 'live';
  const over = s.status === 'ended' || s.status === 'replay';
  const publishing = !!cam.pub;
  const elapsed = isLive && s.started_at ? clock((now - Date.parse(s.started_at)) / 1000) : '';
  const showVideo = source === 'camera';

  let main;
  if (over) {
    main = (
      <p class="studio-over" data-testid="studio-over">
        {t('studio.camera.over')}{' '}
        <Link href={`/live/${s.id}`}>{t('studio.over.replay')}</Link>
      </p>
    );
  } else if (publishing) {
    main = (
      <Button kind="danger" class="wide big" busy={cam.busy} onClick={() => void cam.stop()} data-testid="stop-live">
        {phone ? t('studio.stage.end') : t('studio.camera.stop')}
      </Button>
    );
  } else if (source === 'camera' && !cam.elsewhere) {
    main = (
      <div class="studio-main-row">
        <Button class="wide big" busy={cam.busy} disabled={over} onClick={() => void cam.goLive()} data-testid="go-live">
          {isLive ? t('studio.stage.reconnect') : t('studio.camera.goLive')}
        </Button>
        {isLive && (
          <Button kind="danger" class="big" busy={p.end.busy} onClick={p.end.run} data-testid="end-live">
            {t('studio.stage.end')}
          </Button>
        )}
      </div>
    );
  } else if (isLive) {
    main = (
      <Button kind="danger" class="wide big" busy={p.end.busy} onClick={p.end.run} data-testid="end-live">
        {t('studio.stage.end')}
      </Button>
    );
  } else {
    main = (
      <p class="studio-obs-wait" data-testid="obs-waiting">
        <span class="spinner small" aria-hidden="true" /> {t('studio.source.waiting')}
      </p>
    );
  }

  return (
    <section class={`studio-stage source-${source}`} aria-label={t('studio.stage.label')} data-testid="studio-stage" data-source={source}>
      <div class="studio-picture">
        <div class="studio-video-box" hidden={!showVideo}>
          <CameraPreview cam={cam} />
        </div>
        {!showVideo && (
          <div class="studio-obs-box" data-testid="obs-box">
            {source === 'obs' && p.receiving && !publishing && (
              <p class="studio-obs-state ok" data-testid="obs-arrived">
                {t('studio.source.arrived')}
              </p>
            )}
            {phone && <OBSPanel st={st} onChange={p.onStudio} />}
            {!phone && !isLive && !over && <p class="studio-obs-state">{t('studio.source.obsBox')}</p>}
          </div>
        )}
        <div class="studio-hud">
          {phone && (
            <Link class="studio-round small" href={`/merchant/shops/${s.shop_id}?tab=live`} aria-label={t('studio.stage.back')} data-testid="studio-back">
              <Icon name="back" size={22} />
            </Link>
          )}
          <span class="studio-pill">
            <HealthDot state={p.health} first={!isLive} />
          </span>
          {isLive && (
            <span class="studio-pill live" data-testid="elapsed">
              <span class="studio-sr">{t('studio.stage.onAirFor')} </span>
              {elapsed}
            </span>
          )}
          <span class="grow" />
          {p.viewers !== undefined && (
            <span class="studio-pill" data-testid="hud-viewers" title={t('studio.stage.viewers')}>
              <Icon name="eye" size={16} />
              <span class="studio-sr">{t('studio.stage.viewers')}: </span>
              {p.viewers}
            </span>
          )}
          {p.gmv && (
            <span class="studio-pill" data-testid="hud-gmv" title={t('studio.stage.gmv')}>
              <span class="studio-sr">{t('studio.stage.gmv')}: </span>
              {money(p.gmv.minor, p.gmv.currency)}
            </span>
          )}
        </div>
        {phone && <h1 class="studio-phone-title" data-testid="studio-title">{s.title}</h1>}
        {showVideo && !over && <CameraToggles cam={cam} />}
      </div>
      <div class="studio-controls">
        {!over && <SourceChoice source={source} onSource={p.onSource} locked={publishing || (isLive && source === 'obs')} />}
        {!phone && showVideo && <CameraDevices cam={cam} />}
        <FormError err={cam.error ?? p.end.error} />
        {cam.pub && cam.state !== 'connected' && <p class="studio-conn">{stateText(cam.state || 'connecting')}</p>}
        <div class="actions studio-main">{main}</div>
        {!phone && !over && (
          <p class="hint">{source === 'obs' ? t('studio.source.obsHint') : cam.elsewhere ? t('studio.camera.elsewhere') : t('studio.camera.hint')}</p>
        )}
      </div>
    </section>
  );
}
