package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
)

// fuzzBody has a field of every JSON kind a request body of the API uses.
type fuzzBody struct {
	Name     string            `json:"name"`
	Quantity int               `json:"quantity"`
	Price    int64             `json:"price_minor"`
	Ratio    float64           `json:"ratio"`
	Active   bool              `json:"active"`
	Tags     []string          `json:"tags"`
	Starts   *int64            `json:"starts_at"`
	Labels   map[string]string `json:"labels"`
	Items    []struct {
		SKU string `json:"sku_id"`
		Qty uint8  `json:"qty"`
	} `json:"items"`
}

// maxDecodeMessage bounds what decode echoes back of a body.
const maxDecodeMessage = 512

// FuzzDecodeJSON sends arbitrary bodies through the decoder every route
// uses. A body is accepted only when it is one JSON value; anything else
// (unknown fields, trailing data, huge numbers, wrong types) is an
// apperr a client can act on, naming a field, with a bounded message;
// never an internal error.
//
// Run by hand: go test -run '^$' -fuzz '^FuzzDecodeJSON$' -fuzztime 30s ./internal/httpapi
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"name":"Lipstick","quantity":2,"price_minor":1999,"ratio":0.5,"active":true,"tags":["a"],"starts_at":1764600000000}`,
		`{"items":[{"sku_id":"sku_1","qty":3}],"labels":{"k":"v"}}`,
		`{"quantity":1e400}`,
		`{"quantity":99999999999999999999999}`,
		`{"items":[{"qty":300}]}`,
		`{"nope":1}`,
		`{"quantity":1} {"quantity":2}`,
		`{"quantity":1}]`,
		`{"name":"x"`,
		`[]`,
		`null`,
		``,
		`{"tags":"a"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/v1/x", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var v fuzzBody
		err := decode(httptest.NewRecorder(), r, &v)
		if err == nil {
			if !json.Valid(body) {
				t.Fatalf("accepted a body that is not one JSON value: %q", body)
			}
			return
		}
		e, ok := apperr.As(err)
		if !ok {
			t.Fatalf("error %v is not an apperr", err)
		}
		if s := apperr.HTTPStatus(e.Code); s < 400 || s >= 500 {
			t.Fatalf("error %v answers %d", err, s)
		}
		if e.Field == "" || e.Message == "" {
			t.Fatalf("error %+v names no field or says nothing", e)
		}
		if !utf8.ValidString(e.Message) || !utf8.ValidString(e.Field) {
			t.Fatalf("error %+v is not UTF-8", e)
		}
		if len(e.Message) > maxDecodeMessage || len(e.Field) > maxDecodeMessage {
			t.Fatalf("error of %d bytes for a body of %d", len(e.Message)+len(e.Field), len(body))
		}
	})
}
