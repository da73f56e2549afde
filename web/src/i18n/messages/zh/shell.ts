// The Chinese strings of the shell area, typed against its English table
// (../shell.ts): a missing or extra key does not compile. They load on
// demand, in one chunk with the other areas' (./index.ts, ../../index.ts).
// Laid out by web/scripts/split-zh.mjs in the English table's order; edit
// here, or put a zh table in ../shell.ts and run the script.
import type { en } from '../shell';

export const zh: Record<keyof typeof en, string> = {
  'nav.discover': '发现',
  'nav.live': '直播',
  'nav.schedule': '直播预告',
  'nav.watch': '刷直播',
  'nav.cart': '购物车',
  'nav.orders': '我的订单',
  'nav.sell': '我要开店',
  'nav.agencies': '机构',
  'nav.invitations': '邀请',
  'nav.approvals': '审核',
  'nav.platform': '平台',
  'nav.earnings': '收益',
  'nav.main': '主导航',
  'nav.menu': '菜单',
  'nav.home': 'liveshop 首页',
  'auth.signin': '登录',
  'auth.signup': '注册',
  'auth.signout': '退出登录',
  'role.host': '主播',
  'role.shop_owner': '商家',
  'role.shop_staff': '店员',
  'role.mcn_manager': '机构',
  'role.admin': '管理员',
  'shell.language': '语言',
  'shell.footer': 'liveshop · 开源直播电商',
  'shell.notFound': '页面不存在',
  'shell.backHome': '返回首页',
};
