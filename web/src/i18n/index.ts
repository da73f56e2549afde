// Languages: Simplified Chinese and English, chosen from the browser and
// switchable in the header. Strings live in messages/*.ts, one file per
// area, English first; the Chinese table is typed against the English one,
// so a missing translation does not compile.
import { useEffect, useState } from 'preact/hooks';
import { messages, type MessageKey } from './messages';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: { code: Locale; name: string }[] = [
  { code: 'zh-CN', name: '简体中文' },
  { code: 'en', name: 'English' },
];

const STORAGE_KEY = 'liveshop.locale';

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
const listeners = new Set<(l: Locale) => void>();

function apply(l: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}
apply(current);

/** locale is the language the app speaks now. */
export function locale(): Locale {
  return current;
}

/** setLocale switches the language, remembers it and re-renders users of useLocale. */
export function setLocale(l: Locale): void {
  current = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // private browsing: the choice lasts for this page only
  }
  apply(l);
  for (const fn of listeners) fn(l);
}

/** useLocale re-renders the component when the language changes. */
export function useLocale(): Locale {
  const [l, setL] = useState(current);
  useEffect(() => {
    listeners.add(setL);
    setL(current);
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
  const text = (messages[current] as Record<string, string>)[key] ?? messages.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
