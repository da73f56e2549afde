package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/mcn"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/webhook"
)

const v1 = "/api/v1"

var (
	listQuery     = []string{"limit", "cursor"}
	idempotencyHd = []string{"Idempotency-Key"}
)

// table lists every API route. The router and /api/v1/openapi.json are
// both built from it, so a route cannot exist undocumented.
func (a *API) table() []route {
	ok, created, noContent := http.StatusOK, http.StatusCreated, http.StatusNoContent
	rts := []route{
		{Method: "POST", Path: v1 + "/auth/signup", Tag: "accounts", Summary: "Create an account and sign in", Auth: authPublic, Body: account.SignUpInput{}, Resp: MeResponse{}, Status: created, H: a.signUp},
		{Method: "POST", Path: v1 + "/auth/signin", Tag: "accounts", Summary: "Sign in with email and password", Auth: authPublic, Body: SignInRequest{}, Resp: MeResponse{}, Status: ok, H: a.signIn},
		{Method: "POST", Path: v1 + "/auth/signout", Tag: "accounts", Summary: "End the browser session", Auth: authPublic, Status: noContent, H: a.signOut},
		{Method: "GET", Path: v1 + "/me", Tag: "accounts", Summary: "The caller, roles and CSRF token", Auth: authPublic, Resp: MeResponse{}, Status: ok, H: a.getMe},
		{Method: "POST", Path: v1 + "/me/host", Tag: "accounts", Summary: "Become a host", Auth: authUser, Resp: MeResponse{}, Status: ok, H: a.becomeHost},
		{Method: "GET", Path: v1 + "/me/tokens", Tag: "accounts", Summary: "List my API tokens", Auth: authUser, Resp: Page[account.APIToken]{}, Status: ok, H: a.listTokens},
		{Method: "POST", Path: v1 + "/me/tokens", Tag: "accounts", Summary: "Create an API token (secret shown once)", Auth: authUser, Body: TokenRequest{}, Resp: TokenCreated{}, Status: created, H: a.createToken},
		{Method: "DELETE", Path: v1 + "/me/tokens/{id}", Tag: "accounts", Summary: "Revoke an API token", Auth: authUser, Status: noContent, H: a.deleteToken},
		{Method: "GET", Path: v1 + "/me/invitations", Tag: "shops", Summary: "Staff invitations sent to me", Auth: authUser, Resp: Page[catalog.Invitation]{}, Status: ok, H: a.myInvitations},
		{Method: "POST", Path: v1 + "/invitations/{id}/accept", Tag: "shops", Summary: "Accept a staff invitation", Auth: authUser, Status: noContent, H: a.answerInvitation(true)},
		{Method: "POST", Path: v1 + "/invitations/{id}/decline", Tag: "shops", Summary: "Decline a staff invitation", Auth: authUser, Status: noContent, H: a.answerInvitation(false)},
		{Method: "GET", Path: v1 + "/me/agencies", Tag: "mcn", Summary: "Agency agreements offered to or held by me", Auth: authUser, Resp: Page[mcn.Agreement]{}, Status: ok, H: a.myAgreements},
		{Method: "POST", Path: v1 + "/me/agencies/{mcnID}/accept", Tag: "mcn", Summary: "Accept an agency's invitation", Auth: authUser, Status: noContent, H: a.answerAgency(true)},
		{Method: "POST", Path: v1 + "/me/agencies/{mcnID}/decline", Tag: "mcn", Summary: "Decline an agency's invitation", Auth: authUser, Status: noContent, H: a.answerAgency(false)},

		{Method: "GET", Path: v1 + "/programmes", Tag: "shops", Summary: "Fee programmes", Auth: authPublic, Resp: Page[catalog.Programme]{}, Status: ok, H: a.listProgrammes},
		{Method: "POST", Path: v1 + "/shops", Tag: "shops", Summary: "Apply to open a shop", Auth: authUser, Body: catalog.ShopApplication{}, Resp: catalog.Shop{}, Status: created, H: a.applyShop},
		{Method: "GET", Path: v1 + "/shops", Tag: "shops", Summary: "List shops", Auth: authPublic, Query: append([]string{"status", "mine"}, listQuery...), Resp: Page[catalog.Shop]{}, Status: ok, H: a.listShops},
		{Method: "GET", Path: v1 + "/shops/{id}", Tag: "shops", Summary: "A shop", Auth: authPublic, Resp: catalog.Shop{}, Status: ok, H: a.getShop},
		{Method: "PATCH", Path: v1 + "/shops/{id}", Tag: "shops", Summary: "Edit a shop's profile", Auth: authUser, Body: catalog.ShopUpdate{}, Resp: catalog.Shop{}, Status: ok, H: a.updateShop},
		{Method: "POST", Path: v1 + "/admin/shops/{id}/approve", Tag: "admin", Summary: "Approve a shop application", Auth: authUser, Resp: catalog.Shop{}, Status: ok, H: a.approveShop},
		{Method: "POST", Path: v1 + "/admin/shops/{id}/reject", Tag: "admin", Summary: "Reject a shop application with a reason", Auth: authUser, Body: RejectRequest{}, Resp: catalog.Shop{}, Status: ok, H: a.rejectShop},
		{Method: "PUT", Path: v1 + "/admin/shops/{id}/fee", Tag: "admin", Summary: "Set or clear a shop's platform fee override", Auth: authUser, Body: FeeRequest{}, Resp: catalog.Shop{}, Status: ok, H: a.setShopFee},
		{Method: "PUT", Path: v1 + "/admin/shops/{id}/programme", Tag: "admin", Summary: "Move a shop to another programme; applies to its new orders (audited)", Auth: authUser, Body: ProgrammeRequest{}, Resp: catalog.ShopFee{}, Status: ok, H: a.moveShop},
		{Method: "POST", Path: v1 + "/admin/programmes", Tag: "admin", Summary: "Create a fee programme (audited)", Auth: authUser, Body: catalog.NewProgramme{}, Resp: catalog.Programme{}, Status: created, H: a.createProgramme},
		{Method: "PATCH", Path: v1 + "/admin/programmes/{code}", Tag: "admin", Summary: "Edit a programme's name, description or fee; applies to new orders (audited)", Auth: authUser, Body: catalog.ProgrammeUpdate{}, Resp: catalog.Programme{}, Status: ok, H: a.updateProgramme},
		{Method: "GET", Path: v1 + "/admin/shops", Tag: "admin", Summary: "Shops with their programme and effective platform fee", Auth: authUser, Query: append([]string{"status"}, listQuery...), Resp: Page[catalog.ShopFee]{}, Status: ok, H: a.listShopFees},
		{Method: "GET", Path: v1 + "/admin/reports", Tag: "admin", Summary: "Open chat reports from every room, newest first", Auth: authUser, Query: listQuery, Resp: Page[room.Report]{}, Status: ok, H: a.listReportQueue},
		{Method: "POST", Path: v1 + "/admin/reports/{id}/resolve", Tag: "admin", Summary: "Resolve a chat report: dismiss, or delete the message and optionally ban its author", Auth: authUser, Body: room.ResolveInput{}, Resp: room.Report{}, Status: ok, H: a.resolveReport},
		{Method: "GET", Path: v1 + "/admin/audit", Tag: "admin", Summary: "Admin actions, newest first", Auth: authUser, Query: listQuery, Resp: Page[account.AuditEntry]{}, Status: ok, H: a.listAdminAudit},
		{Method: "GET", Path: v1 + "/shops/{id}/members", Tag: "shops", Summary: "A shop's owner and staff", Auth: authUser, Resp: Page[catalog.Member]{}, Status: ok, H: a.listMembers},
		{Method: "DELETE", Path: v1 + "/shops/{id}/members/{userID}", Tag: "shops", Summary: "Remove a staff member", Auth: authUser, Status: noContent, H: a.removeMember},
		{Method: "GET", Path: v1 + "/shops/{id}/invitations", Tag: "shops", Summary: "A shop's staff invitations", Auth: authUser, Resp: Page[catalog.Invitation]{}, Status: ok, H: a.listShopInvitations},
		{Method: "POST", Path: v1 + "/shops/{id}/invitations", Tag: "shops", Summary: "Invite staff by email", Auth: authUser, Body: InviteRequest{}, Resp: catalog.Invitation{}, Status: created, H: a.inviteStaff},

		{Method: "POST", Path: v1 + "/shops/{id}/products", Tag: "catalog", Summary: "Add a product with its SKUs", Auth: authUser, Body: catalog.NewProduct{}, Resp: catalog.Product{}, Status: created, H: a.createProduct},
		{Method: "GET", Path: v1 + "/products", Tag: "catalog", Summary: "List or search products", Auth: authPublic, Query: append([]string{"shop_id", "status", "q"}, listQuery...), Resp: Page[catalog.Product]{}, Status: ok, H: a.listProducts},
		{Method: "GET", Path: v1 + "/products/{id}", Tag: "catalog", Summary: "A product with SKUs and images", Auth: authPublic, Resp: catalog.Product{}, Status: ok, H: a.getProduct},
		{Method: "PATCH", Path: v1 + "/products/{id}", Tag: "catalog", Summary: "Edit a product", Auth: authUser, Body: catalog.ProductUpdate{}, Resp: catalog.Product{}, Status: ok, H: a.updateProduct},
		{Method: "POST", Path: v1 + "/products/{id}/skus", Tag: "catalog", Summary: "Add a SKU", Auth: authUser, Body: catalog.NewSKU{}, Resp: catalog.SKU{}, Status: created, H: a.addSKU},
		{Method: "PATCH", Path: v1 + "/skus/{id}", Tag: "catalog", Summary: "Change a SKU's price or attributes", Auth: authUser, Body: catalog.SKUUpdate{}, Resp: catalog.SKU{}, Status: ok, H: a.updateSKU},
		{Method: "POST", Path: v1 + "/skus/{id}/stock", Tag: "catalog", Summary: "Adjust stock (audited)", Auth: authUser, Body: StockRequest{}, Resp: catalog.Movement{}, Status: ok, H: a.adjustStock},
		{Method: "GET", Path: v1 + "/skus/{id}/movements", Tag: "catalog", Summary: "A SKU's stock audit trail", Auth: authUser, Query: listQuery, Resp: Page[catalog.Movement]{}, Status: ok, H: a.listMovements},
		{Method: "POST", Path: v1 + "/products/{id}/images", Tag: "catalog", Summary: "Upload a product image (multipart field image)", Auth: authUser, Body: multipartBody{Field: "image"}, Resp: catalog.Image{}, Status: created, H: a.uploadImage},
		{Method: "DELETE", Path: v1 + "/images/{id}", Tag: "catalog", Summary: "Delete a product image", Auth: authUser, Status: noContent, H: a.deleteImage},

		{Method: "POST", Path: v1 + "/shops/{id}/imports", Tag: "catalog", Summary: "Import products from CSV or JSON (multipart field file)", Auth: authUser, Body: multipartBody{Field: "file"}, Resp: catalog.ImportJob{}, Status: http.StatusAccepted, H: a.startImport},
		{Method: "GET", Path: v1 + "/shops/{id}/imports", Tag: "catalog", Summary: "A shop's imports", Auth: authUser, Resp: Page[catalog.ImportJob]{}, Status: ok, H: a.listImports},
		{Method: "GET", Path: v1 + "/imports/{id}", Tag: "catalog", Summary: "An import's progress and row errors", Auth: authUser, Resp: catalog.ImportJob{}, Status: ok, H: a.getImport},

		{Method: "GET", Path: v1 + "/addresses", Tag: "orders", Summary: "My shipping addresses", Auth: authUser, Resp: Page[order.Address]{}, Status: ok, H: a.listAddresses},
		{Method: "POST", Path: v1 + "/addresses", Tag: "orders", Summary: "Save a shipping address", Auth: authUser, Body: order.Address{}, Resp: order.Address{}, Status: created, H: a.addAddress},
		{Method: "GET", Path: v1 + "/cart", Tag: "orders", Summary: "My cart", Auth: authUser, Resp: Page[order.CartItem]{}, Status: ok, H: a.getCart},
		{Method: "PUT", Path: v1 + "/cart/items/{skuID}", Tag: "orders", Summary: "Set a SKU's quantity in the cart (0 removes)", Auth: authUser, Body: CartItemRequest{}, Resp: Page[order.CartItem]{}, Status: ok, H: a.setCartItem},
		{Method: "POST", Path: v1 + "/cart/checkout", Tag: "orders", Summary: "Turn the cart into orders, one per shop", Auth: authUser, Headers: idempotencyHd, Body: order.PlaceInput{}, Resp: CheckoutResponse{}, Status: created, H: a.checkout},
		{Method: "POST", Path: v1 + "/orders", Tag: "orders", Summary: "Place an order (stock is reserved)", Auth: authUser, Headers: idempotencyHd, Body: order.PlaceInput{}, Resp: order.Order{}, Status: created, H: a.placeOrder},
		{Method: "GET", Path: v1 + "/orders", Tag: "orders", Summary: "My orders, or a shop's", Auth: authUser, Query: append([]string{"shop_id", "status"}, listQuery...), Resp: Page[order.Order]{}, Status: ok, H: a.listOrders},
		{Method: "GET", Path: v1 + "/shops/{id}/sales", Tag: "orders", Summary: "A shop's sales per day and order counts", Auth: authUser, Query: []string{"days"}, Resp: order.SalesSummary{}, Status: ok, H: a.shopSales},
		{Method: "GET", Path: v1 + "/orders/{id}", Tag: "orders", Summary: "An order", Auth: authUser, Resp: order.Order{}, Status: ok, H: a.getOrder},
		{Method: "GET", Path: v1 + "/orders/{id}/history", Tag: "orders", Summary: "An order's status changes", Auth: authUser, Resp: Page[order.StatusChange]{}, Status: ok, H: a.orderHistory},
		{Method: "POST", Path: v1 + "/orders/{id}/payments", Tag: "payments", Summary: "Start paying an order; returns the pay page", Auth: authUser, Headers: idempotencyHd, Body: PayRequest{}, Resp: order.Payment{}, Status: created, H: a.payOrder},
		{Method: "GET", Path: v1 + "/orders/{id}/payments", Tag: "payments", Summary: "An order's payments", Auth: authUser, Resp: Page[order.Payment]{}, Status: ok, H: a.listPayments},
		{Method: "POST", Path: v1 + "/orders/{id}/ship", Tag: "orders", Summary: "Mark shipped with carrier and tracking", Auth: authUser, Body: order.ShipInput{}, Resp: order.Order{}, Status: ok, H: a.shipOrder},
		{Method: "POST", Path: v1 + "/orders/{id}/deliver", Tag: "orders", Summary: "Mark delivered", Auth: authUser, Resp: order.Order{}, Status: ok, H: a.orderAction(deliver)},
		{Method: "POST", Path: v1 + "/orders/{id}/complete", Tag: "orders", Summary: "Confirm receipt", Auth: authUser, Resp: order.Order{}, Status: ok, H: a.orderAction(complete)},
		{Method: "POST", Path: v1 + "/orders/{id}/cancel", Tag: "orders", Summary: "Cancel an unpaid order", Auth: authUser, Body: ReasonRequest{}, Resp: order.Order{}, Status: ok, H: a.orderAction(cancel)},
		{Method: "POST", Path: v1 + "/orders/{id}/refund", Tag: "orders", Summary: "Refund a paid order (approves an open refund request)", Auth: authUser, Body: ReasonRequest{}, Resp: order.Order{}, Status: ok, H: a.orderAction(refund)},
		{Method: "POST", Path: v1 + "/orders/{id}/refund-request", Tag: "orders", Summary: "Ask the shop for a refund; refunded automatically when the shop does not answer within 48 h", Auth: authUser, Body: order.RefundRequestInput{}, Resp: order.Order{}, Status: created, H: a.requestRefund},
		{Method: "DELETE", Path: v1 + "/orders/{id}/refund-request", Tag: "orders", Summary: "Withdraw my open refund request", Auth: authUser, Resp: order.Order{}, Status: ok, H: a.orderAction(withdrawRefundRequest)},
		{Method: "POST", Path: v1 + "/orders/{id}/refund-request/decline", Tag: "orders", Summary: "Decline an open refund request, telling the buyer why", Auth: authUser, Body: ReasonRequest{}, Resp: order.Order{}, Status: ok, H: a.orderAction(declineRefundRequest)},
		{Method: "POST", Path: v1 + "/payments/{provider}/webhook", Tag: "payments", Summary: "Payment provider callback (signed)", Auth: authProvider, Status: ok, H: a.paymentWebhook},

		{Method: "POST", Path: v1 + "/mcns", Tag: "mcn", Summary: "Create an agency", Auth: authUser, Body: AgencyRequest{}, Resp: mcn.Agency{}, Status: created, H: a.createAgency},
		{Method: "GET", Path: v1 + "/mcns", Tag: "mcn", Summary: "Agencies I manage", Auth: authUser, Resp: Page[mcn.Agency]{}, Status: ok, H: a.myAgenciesManaged},
		{Method: "GET", Path: v1 + "/mcns/{id}/hosts", Tag: "mcn", Summary: "An agency's roster", Auth: authUser, Resp: Page[mcn.Agreement]{}, Status: ok, H: a.roster},
		{Method: "POST", Path: v1 + "/mcns/{id}/hosts", Tag: "mcn", Summary: "Invite a host", Auth: authUser, Body: HostInviteRequest{}, Resp: mcn.Agreement{}, Status: created, H: a.inviteHost},
		{Method: "DELETE", Path: v1 + "/mcns/{id}/hosts/{hostID}", Tag: "mcn", Summary: "End an agreement", Auth: authUser, Status: noContent, H: a.endAgreement},

		{Method: "GET", Path: v1 + "/shops/{id}/webhooks", Tag: "webhooks", Summary: "A shop's webhook endpoints", Auth: authUser, Resp: Page[webhook.Endpoint]{}, Status: ok, H: a.listEndpoints},
		{Method: "POST", Path: v1 + "/shops/{id}/webhooks", Tag: "webhooks", Summary: "Register a webhook endpoint", Auth: authUser, Body: webhook.EndpointInput{}, Resp: webhook.Endpoint{}, Status: created, H: a.createEndpoint},
		{Method: "DELETE", Path: v1 + "/webhooks/{id}", Tag: "webhooks", Summary: "Remove a webhook endpoint", Auth: authUser, Status: noContent, H: a.deleteEndpoint},
		{Method: "GET", Path: v1 + "/webhooks/{id}/deliveries", Tag: "webhooks", Summary: "An endpoint's delivery log", Auth: authUser, Query: listQuery, Resp: Page[webhook.Delivery]{}, Status: ok, H: a.listDeliveries},
		{Method: "POST", Path: v1 + "/webhook-deliveries/{id}/redeliver", Tag: "webhooks", Summary: "Send a delivery again", Auth: authUser, Status: http.StatusAccepted, H: a.redeliver},

		{Method: "POST", Path: v1 + "/shops/{id}/live-sessions", Tag: "live", Summary: "Schedule a live session; returns the studio with the stream key", Auth: authUser, Body: room.ScheduleInput{}, Resp: room.Studio{}, Status: created, H: a.scheduleLiveSession},
		{Method: "GET", Path: v1 + "/live-sessions", Tag: "live", Summary: "List live sessions", Auth: authPublic, Query: append([]string{"status", "shop_id"}, listQuery...), Resp: Page[room.Session]{}, Status: ok, H: a.listLiveSessions},
		{Method: "GET", Path: v1 + "/live-sessions/{id}", Tag: "live", Summary: "A live session", Auth: authPublic, Resp: room.Session{}, Status: ok, H: a.getLiveSession},
		{Method: "PATCH", Path: v1 + "/live-sessions/{id}", Tag: "live", Summary: "Edit a live session (title, cover, planned start, shelf)", Auth: authUser, Body: room.UpdateInput{}, Resp: room.Session{}, Status: ok, H: a.updateLiveSession},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/studio", Tag: "live", Summary: "The studio: stream key, ingest URLs, health", Auth: authUser, Resp: room.Studio{}, Status: ok, H: a.liveStudio},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/key", Tag: "live", Summary: "Rotate the stream key (cuts the publisher off)", Auth: authUser, Resp: room.Studio{}, Status: ok, H: a.rotateStreamKey},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/end", Tag: "live", Summary: "End a live session", Auth: authUser, Resp: room.Session{}, Status: ok, H: a.endLiveSession},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/explain", Tag: "live", Summary: "Mark the product being explained (a moment)", Auth: authUser, Body: ExplainRequest{}, Resp: room.Moment{}, Status: created, H: a.explainProduct},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/moments", Tag: "live", Summary: "A session's moments, oldest first", Auth: authPublic, Query: listQuery, Resp: Page[room.Moment]{}, Status: ok, H: a.listMoments},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/health", Tag: "live", Summary: "Stream health (counts only)", Auth: authPublic, Resp: media.Health{}, Status: ok, H: a.liveHealth},

		{Method: "GET", Path: v1 + "/live-sessions/{id}/chat", Tag: "room", Summary: "A session's chat in time order (replays play it by offset_ms)", Auth: authPublic, Query: append([]string{"from_ms", "to_ms"}, listQuery...), Resp: Page[room.ChatMessage]{}, Status: ok, H: a.chatHistory},
		{Method: "DELETE", Path: v1 + "/live-sessions/{id}/chat/{messageID}", Tag: "room", Summary: "Delete a chat message (audited)", Auth: authUser, Status: noContent, H: a.deleteChat},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/moderation", Tag: "room", Summary: "Mute, unmute, ban or unban a viewer (audited)", Auth: authUser, Body: room.ModerationInput{}, Resp: room.ModerationAction{}, Status: ok, H: a.moderate},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/moderation", Tag: "room", Summary: "The moderation audit log, newest first", Auth: authUser, Query: listQuery, Resp: Page[room.ModerationAction]{}, Status: ok, H: a.moderationLog},
		{Method: "PUT", Path: v1 + "/live-sessions/{id}/slow-mode", Tag: "room", Summary: "Set slow mode (0–300 s between a viewer's messages)", Auth: authUser, Body: room.SlowModeInput{}, Resp: room.Session{}, Status: ok, H: a.setSlowMode},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/reports", Tag: "room", Summary: "Report a chat message", Auth: authUser, Body: room.ReportInput{}, Resp: room.Report{}, Status: created, H: a.reportChat},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/reports", Tag: "room", Summary: "Reported chat messages, newest first", Auth: authUser, Query: listQuery, Resp: Page[room.Report]{}, Status: ok, H: a.listReports},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/questions", Tag: "room", Summary: "A session's questions, oldest first", Auth: authPublic, Query: append([]string{"status"}, listQuery...), Resp: Page[room.Question]{}, Status: ok, H: a.listQuestions},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/questions/{qid}/answer", Tag: "room", Summary: "Answer, pin or unpin a question", Auth: authUser, Body: room.AnswerInput{}, Resp: room.Question{}, Status: ok, H: a.answerQuestion},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/announcements", Tag: "room", Summary: "Announce something to the room", Auth: authUser, Body: room.AnnounceInput{}, Resp: room.Announcement{}, Status: created, H: a.announce},
		{Method: "GET", Path: v1 + "/shops/{id}/chat-filter", Tag: "room", Summary: "A shop's blocked chat words", Auth: authUser, Resp: room.ChatFilter{}, Status: ok, H: a.getChatFilter},
		{Method: "PUT", Path: v1 + "/shops/{id}/chat-filter", Tag: "room", Summary: "Replace a shop's blocked chat words", Auth: authUser, Body: room.ChatFilterInput{}, Resp: room.ChatFilter{}, Status: ok, H: a.setChatFilter},
	}
	// Selling in the live room (docs/SELLING.md), one file per domain.
	rts = append(rts, a.flashSaleRoutes()...)
	rts = append(rts, a.sellingRoutes()...)
	rts = append(rts, a.auctionRoutes()...)
	rts = append(rts, a.drawRoutes()...)
	rts = append(rts, a.funnelRoutes()...)
	rts = append(rts, a.couponsRoutes()...)
	rts = append(rts, a.analyticsRoutes()...)
	rts = append(rts, a.searchRoutes()...)
	rts = append(rts, a.feedRoutes()...)
	rts = append(rts, a.reportRoutes()...)
	rts = append(rts, a.socialRoutes()...)
	return rts
}

// multipartBody documents an upload.
type multipartBody struct{ Field string }
