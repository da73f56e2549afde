// Report pages (docs/DISCOVERY.md, "Reports").
export { HostReportPage } from './host';
export { MCNReportCard } from './mcn';
export { PlatformReportPage } from './platform';
export { SessionReportPage } from './session';
export { ShopReportTab } from './shop';
