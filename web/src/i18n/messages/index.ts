// Every area's strings, merged. Each area keeps its own file so that its
// keys (prefixed with the area) cannot collide with another's.
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
  'zh-CN': { ...shell.zh, ...viewer.zh, ...room.zh, ...studio.zh, ...merchant.zh, ...account.zh, ...discover.zh, ...admin.zh, ...watch.zh },
};

export type MessageKey = keyof typeof messages.en;
