// Languages: Simplified Chinese and English, chosen from the browser and
// switchable in the header. Strings live in messages/*.ts, one file per
// area, in English: the fallback, and the type of every key. The Chinese
// tables (messages/zh/*.ts) are typed against the English ones, so a
// missing translation does not compile, and load on demand as one chunk:
// an English reader never downloads them, a Chinese reader's first render
// waits for them (ready() in locale.ts, main.tsx), and switching to
// Chinese loads them before it switches.
import { useEffect, useState } from 'preact/hooks';
import { loadZh, locale, speak, STORAGE_KEY, zhStrings, type Locale } from './locale';
import { messages, type MessageKey } from './messages';

export { locale, pickLocale, type Locale } from './locale';
export const LOCALES: { code: Locale; name: string }[] = [
  { code: 'zh-CN', name: '简体中文' },
  { code: 'en', name: 'English' },
];

const listeners = new Set<(l: Locale) => void>();
let switching = 0;

/**
 * setLocale switches the language once its strings are in (Chinese loads on
 * demand), remembers it and re-renders users of useLocale. Should the
 * strings fail to load, the language stays as it is.
 */
export async function setLocale(l: Locale): Promise<void> {
  const mine = ++switching;
  if (l === 'zh-CN') {
    try {
      await loadZh();
    } catch (err) {
      console.error(`liveshop: the Chinese strings did not load; the language stays ${locale()}`, err);
      // The header's picker (app.tsx) already shows the choice: put it back.
      if (typeof document !== 'undefined') for (const el of document.querySelectorAll<HTMLSelectElement>('select.lang-picker')) el.value = locale();
      return;
    }
  }
  if (mine !== switching) return; // a later choice won
  speak(l);
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // private browsing: the choice lasts for this page only
  }
  for (const fn of listeners) fn(l);
}

/** useLocale re-renders the component when the language changes. */
export function useLocale(): Locale {
  const [l, setL] = useState(locale());
  useEffect(() => {
    listeners.add(setL);
    setL(locale());
    return () => {
      listeners.delete(setL);
    };
  }, []);
  return l;
}

/**
 * t translates key, filling {name} placeholders from params. A key with
 * no translation in the current language falls back to English.
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = (locale() === 'zh-CN' ? zhStrings()?.[key] : undefined) ?? messages.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
