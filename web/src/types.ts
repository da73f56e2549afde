// Shapes of the API's JSON, as in docs/API.md and the Go domain types.

export interface User {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  is_host: boolean;
  created_at: string;
}

export interface Me {
  user: User | null;
  roles: string[];
  shop_roles: Record<string, string> | null;
  mcns: string[] | null;
  csrf_token: string;
}

export interface Programme {
  code: string;
  name: string;
  description: string;
  platform_fee_bps: number;
}

export type ShopStatus = 'pending' | 'approved' | 'rejected';

export interface Shop {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  category: string;
  region: string;
  county: string;
  programme: string;
  fee_override_bps?: number | null;
  status: ShopStatus;
  reject_reason?: string;
  reviewed_at?: string;
  created_at: string;
}

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: string;
  created_at: string;
}

export interface Invitation {
  id: string;
  shop_id: string;
  shop_name?: string;
  email: string;
  role: string;
  status: string;
  invited_by: string;
  created_at: string;
}

export interface SKU {
  id: string;
  product_id: string;
  shop_id: string;
  code: string;
  attributes: Record<string, string> | null;
  price_minor: number;
  currency: string;
  stock: number;
  created_at: string;
  updated_at: string;
}

export interface ProductImage {
  id: string;
  product_id: string;
  content_type: string;
  size_bytes: number;
  width: number;
  height: number;
  position: number;
  url: string;
  thumb_url: string;
  created_at: string;
}

export interface Product {
  id: string;
  shop_id: string;
  title: string;
  description: string;
  category: string;
  tags: string[] | null;
  commission_bps: number;
  status: 'active' | 'archived';
  external_ref?: string;
  skus: SKU[] | null;
  images: ProductImage[] | null;
  created_at: string;
  updated_at: string;
}

export interface Movement {
  id: string;
  sku_id: string;
  delta: number;
  stock_after: number;
  reason: string;
  ref?: string;
  actor_id?: string;
  note?: string;
  created_at: string;
}

export interface Address {
  id?: string;
  name: string;
  phone: string;
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postcode?: string;
  country: string;
  is_default?: boolean;
}

export interface OrderLine {
  id: string;
  order_id: string;
  sku_id: string;
  product_id: string;
  title: string;
  sku_attributes: Record<string, string> | null;
  unit_price_minor: number;
  quantity: number;
  line_total_minor: number;
  commission_bps: number;
  source: string;
  platform_fee_minor: number;
  host_commission_minor: number;
  mcn_share_minor: number;
  merchant_net_minor: number;
}

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'cancelled'
  | 'refunded';

export interface Order {
  id: string;
  user_id: string;
  shop_id: string;
  status: OrderStatus;
  currency: string;
  total_minor: number;
  ship_to: Address;
  carrier?: string;
  tracking_number?: string;
  cancel_reason?: string;
  expires_at: string;
  paid_at?: string;
  shipped_at?: string;
  delivered_at?: string;
  completed_at?: string;
  cancelled_at?: string;
  refunded_at?: string;
  created_at: string;
  updated_at: string;
  lines: OrderLine[] | null;
}

export interface StatusChange {
  from: string;
  to: string;
  actor_id?: string;
  note?: string;
  created_at: string;
}

export interface Payment {
  id: string;
  order_id: string;
  provider: string;
  amount_minor: number;
  currency: string;
  status: string;
  pay_url?: string;
  created_at: string;
}

export interface Agency {
  id: string;
  name: string;
  manager_id: string;
  created_at: string;
}

export interface Agreement {
  mcn_id: string;
  mcn_name?: string;
  host_id: string;
  host_name?: string;
  host_email?: string;
  mcn_share_bps: number;
  status: string;
  created_at: string;
}

export interface WebhookEndpoint {
  id: string;
  shop_id: string;
  url: string;
  secret?: string;
  events: string[] | null;
  active: boolean;
  created_at: string;
}

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_status_code: number;
  last_error?: string;
  created_at: string;
  delivered_at?: string;
}

export interface ImportRowError {
  row: number; // CSV line or JSON array position, from 1; 0 for the whole file
  field?: string;
  message: string;
}

/** An import job. Progress counts products; see importProgress for how it is read. */
export interface ImportJob {
  id: string;
  shop_id: string;
  actor_id?: string;
  filename: string;
  format: string;
  status: string; // running, done, failed
  total: number;
  processed: number;
  created: number;
  errors: ImportRowError[] | null;
  created_at: string;
  updated_at?: string;
  finished_at?: string;
}

export const CATEGORIES = [
  'food',
  'fresh_produce',
  'fashion',
  'beauty',
  'home',
  'electronics',
  'crafts',
  'health',
  'kids',
  'other',
] as const;

export const WEBHOOK_EVENTS = [
  'order.paid',
  'order.shipped',
  'order.delivered',
  'order.completed',
  'order.cancelled',
  'order.refunded',
  'order.refund_requested',
  'order.refund_declined',
  'order.refund_withdrawn',
] as const;

export interface CartItem {
  sku_id: string;
  quantity: number;
  product_id: string;
  shop_id: string;
  title: string;
  attributes: Record<string, string>;
  price_minor: number;
  currency: string;
  stock: number;
  added_at: string;
}

// ---------- live video (docs/LIVE.md) ----------

export type LiveStatus = 'scheduled' | 'live' | 'ended' | 'replay';

/** A product on a live session's shelf, in shelf order (position from 1). */
export interface LiveProduct {
  product_id: string;
  position: number;
  title: string;
  price_minor: number;
  currency: string;
  image_id: string;
}

/** A live session (a room: its id is the room id). The public view; never holds the stream key. */
export interface LiveSession {
  id: string;
  shop_id: string;
  shop_name: string;
  host_id: string | null;
  host_name: string;
  title: string;
  cover_image_id: string;
  planned_start: string;
  status: LiveStatus;
  started_at?: string;
  ended_at?: string;
  protocol: '' | 'rtmp' | 'whip';
  products: LiveProduct[] | null;
  explaining_product_id: string;
  created_at: string;
}

/** A stream's health as the media engine measures it (media.Health). */
export interface LiveHealth {
  room_id: string;
  protocol: string;
  bitrate_kbps: number;
  fps: number;
  keyframe_interval_ms: number;
  width: number;
  height: number;
  video_codec?: string;
  audio_codec?: string;
  /** Viewers per delivery protocol: {"whep": 3, "hls": 10}. */
  viewers: Record<string, number> | null;
  uptime_seconds: number;
  note?: string;
}

/** The host's view of a session: the public session plus how to publish to it. */
export interface Studio {
  session: LiveSession;
  stream_key: string;
  rtmp_server: string;
  rtmp_url: string;
  whip_url: string;
  health: LiveHealth | null;
  warnings: string[] | null;
}

/** A product moment: the host started explaining a product offset_ms into the session. */
export interface Moment {
  id: string;
  session_id: string;
  product_id: string;
  title: string;
  offset_ms: number;
  created_at: string;
}

// ---------- selling in the live room (docs/SELLING.md) ----------

export type FlashSaleStatus = 'scheduled' | 'running' | 'ended' | 'settled' | 'cancelled';

/** A flash sale: a SKU at a lower price, a fixed stock, a countdown then a short window. */
export interface FlashSale {
  id: string;
  session_id: string;
  shop_id: string;
  product_id: string;
  sku_id: string;
  title: string;
  price_minor: number;
  original_price_minor: number;
  currency: string;
  stock: number;
  remaining: number;
  sold: number;
  per_user_limit: number;
  starts_at: string;
  ends_at: string;
  payment_window_seconds: number;
  status: FlashSaleStatus;
}

/** A buyer's hold on flash-sale stock, to be ordered and paid before expires_at. */
export interface Reservation {
  id: string;
  sale_id: string;
  user_id: string;
  quantity: number;
  price_minor: number;
  currency: string;
  status: 'held' | 'paid' | 'expired' | 'released';
  order_id?: string;
  expires_at: string;
  created_at: string;
}

export interface Coupon {
  id: string;
  shop_id: string;
  session_id?: string;
  title: string;
  kind: 'amount' | 'percent';
  amount_off_minor?: number;
  percent_off?: number;
  min_spend_minor: number;
  currency: string;
  valid_from: string;
  valid_until: string;
  total_limit: number;
  per_user_limit: number;
  claimed: number;
  grab_ends_at?: string;
  status: string;
}

export interface CouponClaim {
  id: string;
  coupon_id: string;
  user_id: string;
  order_id?: string;
  claimed_at: string;
  used_at?: string;
  coupon: Coupon;
}

export type DrawEligibility = 'anyone' | 'followers' | 'keyword' | 'buyers';

export interface DrawWinner {
  user_id: string;
  name: string;
  order_id?: string;
  /** The prize went unclaimed. */
  forfeited?: boolean;
}

/**
 * A lucky draw. commitment is the hex SHA-256 of the secret seed, published
 * when the draw opens; seed is revealed once drawn.
 */
export interface Draw {
  id: string;
  session_id: string;
  shop_id?: string;
  title: string;
  sku_id: string;
  product_id?: string;
  /** The prize's product. */
  product_title?: string;
  quantity: number;
  /** How many winners will be drawn (the request's `winners`). */
  winner_count?: number;
  eligibility: DrawEligibility;
  keyword?: string;
  /** Explains an eligibility rule that does not yet work as its name says. */
  eligibility_note?: string;
  commitment: string;
  /** When entries close and the winners are drawn. */
  ends_at: string;
  status: 'open' | 'drawn' | 'cancelled';
  entrants: number;
  winners: DrawWinner[] | null;
  seed?: string;
  drawn_at?: string;
  /** Until when winners can claim their prize. */
  claim_until?: string;
}

/** GET /draws/{id}/proof: entrants sorted by user id, winners (user ids) in the order picked. */
export interface DrawProof {
  draw_id: string;
  commitment: string;
  seed: string;
  winner_count: number;
  entrants: string[];
  winners: string[];
}

export interface Auction {
  id: string;
  session_id: string;
  sku_id: string;
  product_id?: string;
  title: string;
  currency: string;
  start_price_minor: number;
  min_increment_minor: number;
  current_price_minor: number;
  /** The lowest max bid accepted now. */
  min_next_bid_minor?: number;
  leader_name?: string;
  bids: number;
  ends_at: string;
  status: 'running' | 'ended';
  winner_user_id?: string;
  order_id?: string;
}

/** The answer to a bid: the auction after it and whether the bidder now leads. */
export interface BidResult {
  auction: Auction;
  you_lead: boolean;
}

/** GET /live-sessions/{id}/selling: what a page that joins or resets needs to show. */
export interface SellingSnapshot {
  sales: FlashSale[] | null;
  coupons: Coupon[] | null;
  draws: Draw[] | null;
  auctions: Auction[] | null;
}

/** GET /live-sessions/{id}/funnel (operators). */
export interface FunnelCounts {
  views: number;
  product_opens: number;
  buy_clicks: number;
  orders: number;
  paid_orders: number;
  paid_buyers: number;
  gmv_minor: number;
  /** The paid orders' currency; "" before the first. */
  currency: string;
  /** paid_buyers / views, a ratio. */
  conversion: number;
}

export type FunnelStep = 'view' | 'product_open' | 'buy_click';
