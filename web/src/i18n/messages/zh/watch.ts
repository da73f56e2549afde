// The Chinese strings of the watch area, typed against its English table
// (../watch.ts): a missing or extra key does not compile. They load on
// demand, in one chunk with the other areas' (./index.ts, ../../index.ts).
// Laid out by web/scripts/split-zh.mjs in the English table's order; edit
// here, or put a zh table in ../watch.ts and run the script.
import type { en } from '../watch';

export const zh: Record<keyof typeof en, string> = {
  'watch.title': '刷直播',
  'watch.feed': '直播间，一屏一个',
  'watch.next': '下一个直播间',
  'watch.prev': '上一个直播间',
  'watch.unmute': '打开声音',
  'watch.mute': '关闭声音',
  'watch.open': '进入直播间',
  'watch.openRoom': '进入直播间：{title}',
  'watch.video': '直播预览：{title}',
  'watch.watching': '{n} 人在看',
  'watch.explaining': '正在讲解',
  'watch.onShelf': '直播商品',
  'watch.comingUp': '即将开播',
  'watch.ended': '直播已结束',
  'watch.noVideo': '此浏览器无法播放预览',
  'watch.position': '第 {n} 个，共 {total} 个',
  'watch.empty': '现在没有人在直播。',
  'watch.emptyHint': '去{link}看看谁接下来开播。',
  'watch.schedule': '直播预告',
  'watch.swipe': '上下滑刷直播',
  'watch.keys': '上滑、滚动或用方向键切换直播间',
};
