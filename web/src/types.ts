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
