// The language a page speaks and the loader of the Chinese strings. The
// entry script (main.tsx) imports this module, to start downloading the
// Chinese chunk beside the app's and to render once it is in, so it imports
// nothing: no Preact, no strings. ./index.ts is the app's side (t(),
// setLocale(), useLocale()).

export type Locale = 'en' | 'zh-CN';

export const STORAGE_KEY = 'liveshop.locale';

/** pickLocale chooses from the stored choice, then the browser's languages. */
export function pickLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let current: Locale = typeof navigator === 'undefined' ? 'en' : pickLocale(storedLocale(), navigator.languages ?? [navigator.language]);

/** locale is the language the app speaks now. */
export function locale(): Locale {
  return current;
}

/** speak sets the language the app speaks (./index.ts's setLocale, once its strings are in). */
export function speak(l: Locale): void {
  current = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}
speak(current);

let zh: Record<string, string> | undefined;
let loading: Promise<Record<string, string>> | undefined;

/** zhStrings are the Chinese strings, once loaded. */
export function zhStrings(): Record<string, string> | undefined {
  return zh;
}

/**
 * loadZh loads the Chinese strings, a chunk of their own (messages/zh)
 * that English readers never download: once, however often it is called.
 * A failed load is tried again on the next call.
 */
export function loadZh(): Promise<Record<string, string>> {
  loading ??= import('./messages/zh').then(
    (m) => (zh = m.zh),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/**
 * ready starts loading the strings of the language the page starts in and
 * resolves once they are in: main.tsx renders the app after it, so that a
 * Chinese reader never sees English first. Should the Chinese strings fail
 * to load, the page speaks English (the stored choice stays, for the next
 * page).
 */
export function ready(): Promise<void> {
  if (current !== 'zh-CN') return Promise.resolve();
  return loadZh().then(
    () => undefined,
    (err: unknown) => {
      console.error('liveshop: the Chinese strings did not load; English for now', err);
      speak('en');
    },
  );
}
