// Every area's English strings, merged: the fallback, and the type of every
// key. Each area keeps its own file so that its keys (prefixed with the
// area) cannot collide with another's. The Chinese tables are in ./zh, a
// chunk of their own that only Chinese readers download (../index.ts);
// web/scripts/split-zh.mjs moves a zh table written here into it.
import * as account from './account';
import * as admin from './admin';
import * as discover from './discover';
import * as merchant from './merchant';
import * as room from './room';
import * as shell from './shell';
import * as studio from './studio';
import * as viewer from './viewer';
import * as watch from './watch';

export const messages = {
  en: { ...shell.en, ...viewer.en, ...room.en, ...studio.en, ...merchant.en, ...account.en, ...discover.en, ...admin.en, ...watch.en },
};

export type MessageKey = keyof typeof messages.en;
