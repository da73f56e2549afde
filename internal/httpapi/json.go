package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// maxJSONBody bounds request bodies; uploads have their own limits.
const maxJSONBody = 1 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
	}
}

// decode reads a JSON body into v, naming the field at fault on error.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &apperr.Error{Code: apperr.Unsupported, Field: "Content-Type", Message: "send JSON with Content-Type: application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		// dec.More is false before a stray ] or }, so read on: only the
		// end of the body may follow the value.
		if _, err := dec.Token(); err != io.EOF {
			return apperr.Field("body", "the body must hold a single JSON value")
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return apperr.Field("body", "the request body is empty; send a JSON object")
	case errors.As(err, &syntax):
		return apperr.Field("body", "malformed JSON at byte %d", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Field("body", "malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return apperr.Field(field, "%s must be a %s, not %s", field, jsonKind(typ.Type.Kind().String()), clip(typ.Value))
	case errors.As(err, &tooBig):
		return &apperr.Error{Code: apperr.TooLarge, Field: "body", Message: fmt.Sprintf("the body is larger than %d bytes", maxJSONBody)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := clip(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
		if name == "" { // {"":1} has no name to point at
			return apperr.Field("body", "unknown field with an empty name")
		}
		return apperr.Field(name, "unknown field %q", name)
	}
	return apperr.Field("body", "malformed JSON: %s", clip(err.Error()))
}

// maxEcho bounds the bytes of a body an error repeats back, so a 1 MB
// number or field name does not come back in the answer.
const maxEcho = 64

func clip(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	i := maxEcho
	for i > 0 && !utf8.RuneStart(s[i]) {
		i-- // do not cut a character in two
	}
	return s[:i] + "…"
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "whole number"
	case "float32", "float64":
		return "number"
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	}
	return "object"
}

// Page is a slice of a list and the cursor of the next slice.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// page wraps items; a full page means there may be more after the last id.
func page[T any](items []T, limit int, id func(T) string) Page[T] {
	p := Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) > 0 && len(items) == limit {
		p.NextCursor = id(items[len(items)-1])
	}
	return p
}

// listParams reads ?limit= and ?cursor=.
func listParams(r *http.Request) (limit int, cursor string, err error) {
	limit = 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return 0, "", apperr.Field("limit", "limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	cursor = r.URL.Query().Get("cursor")
	if len(cursor) > 64 {
		return 0, "", apperr.Field("cursor", "cursor is not valid")
	}
	return limit, cursor, nil
}
