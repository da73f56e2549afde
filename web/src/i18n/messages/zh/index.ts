// Every area's Chinese strings, merged: the chunk that src/i18n loads for
// Chinese readers (English readers never download it). Written by
// web/scripts/split-zh.mjs; an area without a Chinese table fails tsc here.
import type { MessageKey } from '..';
import { zh as account } from './account';
import { zh as admin } from './admin';
import { zh as discover } from './discover';
import { zh as merchant } from './merchant';
import { zh as room } from './room';
import { zh as shell } from './shell';
import { zh as studio } from './studio';
import { zh as viewer } from './viewer';
import { zh as watch } from './watch';

export const zh: Record<MessageKey, string> = { ...account, ...admin, ...discover, ...merchant, ...room, ...shell, ...studio, ...viewer, ...watch };
