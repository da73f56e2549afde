// Every area's strings, merged. Add an area: import its en and zh tables
// and spread them in both languages below.
import * as shell from './shell';

export const messages = {
  en: { ...shell.en },
  'zh-CN': { ...shell.zh },
};

export type MessageKey = keyof typeof messages.en;
