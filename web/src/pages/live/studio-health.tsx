// The studio's live health: what the server receives (bitrate, frame rate,
// keyframe interval, resolution, protocol), who watches and how, uptime,
// the server's warnings and a bitrate sparkline over the last minutes.
import { Sparkline } from '../../components/sparkline';
import { clock } from '../../format';
import type { LiveHealth } from '../../types';
import { Card } from '../../ui';

/** How many bitrate samples the sparkline keeps (one per refresh). */
export const BITRATE_SAMPLES = 90;

/** hints are the host's own mistakes we can spot from the numbers. */
function hints(h: LiveHealth): string[] {
  const out: string[] = [];
  if (h.keyframe_interval_ms > 4000) out.push(`Keyframes come every ${(h.keyframe_interval_ms / 1000).toFixed(1)} s: set the keyframe interval to 1–2 s for low delay.`);
  if (h.video_codec && h.video_codec !== 'h264') out.push(`Video is ${h.video_codec}; send H.264.`);
  if (h.bitrate_kbps > 0 && h.bitrate_kbps < 300) out.push('The bitrate is very low: check the upload speed.');
  if (h.fps > 0 && h.fps < 15) out.push(`Only ${h.fps} frames per second arrive.`);
  return out;
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
    <Card title="Live health">
      {notes.length > 0 && (
        <ul class="warnings" data-testid="health-warnings">
          {notes.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {!health ? (
        <p class="muted" data-testid="health-idle">
          No video is reaching the server. Go live here, or start streaming from OBS with the settings below.
        </p>
      ) : (
        <>
          <div class="counters" data-testid="health">
            <Stat label="Bitrate" value={`${health.bitrate_kbps} kbps`} testid="health-bitrate" />
            <Stat label="Frame rate" value={`${health.fps} fps`} testid="health-fps" />
            <Stat label="Keyframe every" value={health.keyframe_interval_ms ? `${(health.keyframe_interval_ms / 1000).toFixed(1)} s` : '—'} testid="health-keyframe" />
            <Stat label="Resolution" value={health.width ? `${health.width}×${health.height}` : '—'} testid="health-resolution" />
            <Stat label="Protocol" value={`${health.protocol.toUpperCase()}${health.video_codec ? ` · ${health.video_codec}` : ''}${health.audio_codec ? `/${health.audio_codec}` : ''}`} testid="health-protocol" />
            <Stat label="Viewers (WebRTC · HLS)" value={`${viewers.whep ?? 0} · ${viewers.hls ?? 0}`} testid="health-viewers" />
            <Stat label="Uptime" value={clock(health.uptime_seconds)} testid="health-uptime" />
          </div>
          <Sparkline values={bitrates} capacity={BITRATE_SAMPLES} label="Bitrate" unit="kbps" testid="bitrate-chart" />
        </>
      )}
    </Card>
  );
}
