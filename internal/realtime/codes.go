package realtime

import "github.com/coder/websocket"

// Close codes of the contract.
const (
	CloseTooBig       = websocket.StatusMessageTooBig // 1009: frame over Options.MaxFrame
	CloseGoingAway    = websocket.StatusGoingAway     // 1001: server shutting down
	CloseNotJSON      = websocket.StatusCode(4000)    // repeated non-JSON frames
	CloseBanned       = websocket.StatusCode(4003)
	CloseNoRoom       = websocket.StatusCode(4004)
	CloseSlowConsumer = websocket.StatusCode(4008)
	CloseRoomEnded    = websocket.StatusCode(4010) // after the final status event
	closeInternal     = websocket.StatusInternalError
)

// Error frame codes besides the domain's apperr codes.
const (
	codeInvalid     = "invalid"
	codeRateLimited = "rate_limited"
	codeForbidden   = "forbidden"
	codeUnsupported = "unsupported"
	codeInternal    = "internal"
)
