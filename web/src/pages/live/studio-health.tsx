// The studio's live health: what the server receives (bitrate, frame rate,
// keyframe interval, resolution, protocol), who watches and how, uptime,
// the server's warnings and a bitrate sparkline over the last minutes.
import { Sparkline } from '../../components/sparkline';
import { clock } from '../../format';
import type { LiveHealth } from '../../types';
import { t } from '../../i18n';
import { Card } from '../../ui';

/** How many bitrate samples the sparkline keeps (one per refresh). */
export const BITRATE_SAMPLES = 90;

/** hints are the host's own mistakes we can spot from the numbers. */
export function hints(h: LiveHealth): string[] {
  const out: string[] = [];
  if (h.keyframe_interval_ms > 4000) out.push(t('studio.health.hint.keyframes', { n: (h.keyframe_interval_ms / 1000).toFixed(1) }));
  if (h.video_codec && h.video_codec !== 'h264') out.push(t('studio.health.hint.codec', { codec: h.video_codec }));
  if (h.bitrate_kbps > 0 && h.bitrate_kbps < 300) out.push(t('studio.health.hint.bitrate'));
  if (h.fps > 0 && h.fps < 15) out.push(t('studio.health.hint.fps', { n: h.fps }));
  return out;
}

/** The stream's state in plain words, as the dot over the camera shows it. */
export type HealthState = 'good' | 'weak' | 'reconnecting' | 'offline';

/**
 * healthState reads the stream's state: offline until the session is
 * live; reconnecting while our WebRTC connection (re)connects or the server
 * receives nothing although the session is live (the reconnect grace);
 * weak when the numbers show a problem; good otherwise.
 */
export function healthState(p: { live: boolean; health: LiveHealth | null; connection: RTCPeerConnectionState | '' }): HealthState {
  if (p.connection === 'new' || p.connection === 'connecting' || p.connection === 'disconnected') return 'reconnecting';
  if (!p.live) return 'offline';
  if (!p.health) return 'reconnecting';
  return hints(p.health).length > 0 || p.health.note ? 'weak' : 'good';
}

/** HealthDot is the coloured dot and its word; the word is announced when it changes. */
export function HealthDot({ state, first }: { state: HealthState; first: boolean }) {
  // Before the first connection "reconnecting" would be odd: it is connecting.
  const word = state === 'reconnecting' && first ? t('studio.state.connecting') : t(`studio.state.${state}`);
  return (
    <span class={`health-dot-wrap state-${state}`} data-testid="health-state" data-state={state}>
      <span class="health-dot" aria-hidden="true" />
      <span class="studio-sr">{t('studio.state.label')} </span>
      <span role="status">{word}</span>
    </span>
  );
}

function Stat({ label, value, testid }: { label: string; value: string; testid: string }) {
  return (
    <div class="counter" data-testid={testid}>
      <div class="counter-value">{value}</div>
      <div class="counter-label">{label}</div>
    </div>
  );
}

export function HealthPanel({ health, warnings, bitrates }: { health: LiveHealth | null; warnings: string[]; bitrates: number[] }) {
  const viewers = health?.viewers ?? {};
  const notes = [...warnings, ...(health?.note ? [health.note] : []), ...(health ? hints(health) : [])];
  return (
    <Card title={t('studio.health.title')}>
      {notes.length > 0 && (
        <ul class="warnings" data-testid="health-warnings">
          {notes.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {!health ? (
        <p class="muted" data-testid="health-idle">
          {t('studio.health.idle')}
        </p>
      ) : (
        <>
          <div class="counters" data-testid="health">
            <Stat label={t('studio.health.bitrate')} value={`${health.bitrate_kbps} kbps`} testid="health-bitrate" />
            <Stat label={t('studio.health.fps')} value={`${health.fps} fps`} testid="health-fps" />
            <Stat label={t('studio.health.keyframe')} value={health.keyframe_interval_ms ? t('studio.health.seconds', { n: (health.keyframe_interval_ms / 1000).toFixed(1) }) : '—'} testid="health-keyframe" />
            <Stat label={t('studio.health.resolution')} value={health.width ? `${health.width}×${health.height}` : '—'} testid="health-resolution" />
            <Stat label={t('studio.health.protocol')} value={`${health.protocol.toUpperCase()}${health.video_codec ? ` · ${health.video_codec}` : ''}${health.audio_codec ? `/${health.audio_codec}` : ''}`} testid="health-protocol" />
            <Stat label={t('studio.health.viewers')} value={`${viewers.whep ?? 0} · ${viewers.hls ?? 0}`} testid="health-viewers" />
            <Stat label={t('studio.health.uptime')} value={clock(health.uptime_seconds)} testid="health-uptime" />
          </div>
          <Sparkline values={bitrates} capacity={BITRATE_SAMPLES} label={t('studio.health.bitrate')} unit="kbps" testid="bitrate-chart" />
        </>
      )}
    </Card>
  );
}
