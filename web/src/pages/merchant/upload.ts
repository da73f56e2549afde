// Picture upload with progress for phones: fetch() cannot report upload
// progress, so this sends the multipart form with XMLHttpRequest (same
// cookies, the same CSRF header as api.ts) and shrinks big camera photos in
// the browser first — a 12-megapixel photo becomes a ~300 kB JPEG, which on a
// rural mobile connection is the difference between seconds and minutes.
import { ApiError, setCSRFToken } from '../../api';
import { t } from '../../i18n';

/** The longest side a photo is shrunk to before upload; the server makes its own thumbnails. */
const MAX_SIDE = 1600;
/** Files smaller than this are sent as they are (re-encoding would not save much). */
const SMALL = 600_000;

/**
 * downscale returns a JPEG of at most MAX_SIDE pixels on its longest side
 * for a big photo, or the file itself when it is small, when the browser
 * cannot decode it, or when shrinking would not make it smaller.
 */
export async function downscale(file: File): Promise<Blob> {
  if (file.size <= SMALL || !file.type.startsWith('image/') || file.type === 'image/gif' || typeof createImageBitmap !== 'function') return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
    const w = Math.round(bmp.width * scale);
    const h = Math.round(bmp.height * scale);
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    ctx.drawImage(bmp, 0, 0, w, h);
    bmp.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file; // an odd format the browser cannot draw: let the server judge it
  }
}

function errorFrom(xhr: XMLHttpRequest): ApiError {
  try {
    const e = (JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string; field?: string } }).error;
    if (e?.message) return new ApiError(xhr.status, e.code ?? 'error', e.message, e.field ?? '');
  } catch {
    // not JSON
  }
  return new ApiError(xhr.status, 'error', t('merchant.wizard.uploadFailed', { status: xhr.status }));
}

function send(path: string, form: FormData, csrf: string, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        try {
          resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
        } catch {
          resolve(null);
        }
      } else reject(errorFrom(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', t('merchant.wizard.uploadOffline')));
    xhr.send(form);
  });
}

/**
 * uploadWithProgress posts one file as multipart field `field`, reporting
 * progress from 0 to 1. A refused CSRF token (a session renewed in another
 * tab) is refreshed from GET /me and the upload tried once more.
 */
export async function uploadWithProgress(path: string, field: string, file: Blob, name: string, csrf: string, onProgress: (fraction: number) => void): Promise<unknown> {
  const form = () => {
    const f = new FormData();
    f.append(field, file, name);
    return f;
  };
  try {
    return await send(path, form(), csrf, onProgress);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403 || !/csrf/i.test(e.message)) throw e;
    const me = (await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json()) as { csrf_token?: string };
    setCSRFToken(me.csrf_token);
    onProgress(0);
    return send(path, form(), me.csrf_token ?? '', onProgress);
  }
}
