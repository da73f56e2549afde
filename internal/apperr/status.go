package apperr

import "net/http"

// statusOf is the one mapping from codes to HTTP statuses; every HTTP
// adapter (the REST API, WHIP/WHEP, HLS) answers with it.
var statusOf = map[string]int{
	Invalid:      http.StatusBadRequest,
	Unauthorized: http.StatusUnauthorized,
	Forbidden:    http.StatusForbidden,
	NotFound:     http.StatusNotFound,
	Conflict:     http.StatusConflict,
	TooLarge:     http.StatusRequestEntityTooLarge,
	Unsupported:  http.StatusUnsupportedMediaType,
	RateLimited:  http.StatusTooManyRequests,
	Internal:     http.StatusInternalServerError,
	Unavailable:  http.StatusServiceUnavailable,
}

// HTTPStatus is the HTTP status that answers an error with code; 500 for
// a code it does not know.
func HTTPStatus(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}
