// HLS playback: hls.js where Media Source Extensions exist, the browser's
// own player on Safari (which plays LL-HLS natively and better). hls.js is
// loaded on demand so that pages without video do not download it.

/** NoHLSError: this browser plays neither HLS natively nor through Media Source Extensions. */
export class NoHLSError extends Error {
  constructor() {
    super('this browser cannot play HLS video');
    this.name = 'NoHLSError';
  }
}

export interface HLSOptions {
  /** live turns on low-latency mode (LL-HLS parts, blocking reload). */
  live: boolean;
}

/** prefersNativeHLS is true on Safari (macOS and iOS), whose <video> plays HLS itself. */
function prefersNativeHLS(video: HTMLVideoElement): boolean {
  const apple = /Apple/.test(navigator.vendor) && !/CriOS|FxiOS|EdgiOS/.test(navigator.userAgent);
  return apple && video.canPlayType('application/vnd.apple.mpegurl') !== '';
}

function attachNative(video: HTMLVideoElement, src: string): () => void {
  video.src = src;
  video.play().catch(() => undefined);
  return () => {
    video.removeAttribute('src');
    video.load();
  };
}

const RETRY_MS = 1500;

/**
 * attachHLS plays src in video and returns a function that detaches it.
 * Fatal network errors (a playlist not there yet, a server restart) are
 * retried; fatal media errors are recovered once, then the source is reloaded.
 */
export async function attachHLS(video: HTMLVideoElement, src: string, opts: HLSOptions): Promise<() => void> {
  if (prefersNativeHLS(video)) return attachNative(video, src);
  const { default: Hls } = await import('hls.js/light');
  if (!Hls.isSupported()) {
    if (video.canPlayType('application/vnd.apple.mpegurl') !== '') return attachNative(video, src);
    throw new NoHLSError();
  }
  const hls = new Hls({
    lowLatencyMode: opts.live,
    backBufferLength: opts.live ? 30 : 90,
    // A live playlist may 404 for a moment while the stream starts.
    manifestLoadPolicy: {
      default: {
        maxTimeToFirstByteMs: 10_000,
        maxLoadTimeMs: 20_000,
        timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 6, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
      },
    },
  });
  let destroyed = false;
  let parsed = false;
  let recovered = false;
  let timer = 0;
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    parsed = true;
    video.play().catch(() => undefined);
  });
  hls.on(Hls.Events.ERROR, (_ev, data) => {
    if (!data.fatal || destroyed) return;
    clearTimeout(timer);
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
      recovered = true;
      hls.recoverMediaError();
      return;
    }
    timer = window.setTimeout(() => {
      if (destroyed) return;
      if (parsed && data.type === Hls.ErrorTypes.NETWORK_ERROR) {
        hls.startLoad();
      } else {
        parsed = false;
        recovered = false;
        hls.loadSource(src);
      }
    }, RETRY_MS);
  });
  hls.loadSource(src);
  hls.attachMedia(video);
  return () => {
    destroyed = true;
    clearTimeout(timer);
    hls.destroy();
  };
}
