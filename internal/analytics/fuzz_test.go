package analytics

import (
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeBatch feeds arbitrary bytes to the batch decoder. Whatever it
// accepts must encode again and decode to the same batch, and it must
// never allocate more events than the message could hold.
//
// Run by hand: go test -run '^$' -fuzz '^FuzzDecodeBatch$' -fuzztime 30s ./internal/analytics
func FuzzDecodeBatch(f *testing.F) {
	at := time.UnixMilli(1_764_600_000_123).UTC()
	for _, b := range []Batch{
		{ID: "anb_1", Events: []Event{{Kind: KindView, SessionID: "ses_1", UserID: "usr_1", At: at}}},
		{ID: "anb_2", Events: []Event{
			{Kind: KindWatch, SessionID: "ses_1", Node: "node-a", Count: 120, Viewers: 12, At: at},
			{Kind: KindPaid, SessionID: "ses_1", UserID: "usr_1", ProductID: "prd_1", Category: "food", Count: 2,
				AmountMinor: 1999, Orders: 1, Currency: "CNY", At: at},
			{Kind: KindLike, SessionID: "ses_1", Count: -1 << 40, At: time.UnixMilli(-1).UTC()},
		}},
		{ID: "anb_3"},
	} {
		data, err := AppendBatch(nil, b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{codecMagic, codecVersion, 1, 'a', 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte(`[{"k":"view"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeBatch(data)
		if err != nil {
			return
		}
		if b.ID == "" {
			t.Fatal("decoded a batch without an id")
		}
		if len(b.Events)*minEventBytes > len(data) {
			t.Fatalf("%d events from %d bytes", len(b.Events), len(data))
		}
		again, err := AppendBatch(nil, b)
		if err != nil {
			t.Fatalf("decoded batch does not encode: %v", err)
		}
		got, err := DecodeBatch(again)
		if err != nil {
			t.Fatalf("re-encoded batch does not decode: %v", err)
		}
		if !reflect.DeepEqual(got, b) {
			t.Fatalf("round trip changed the batch\n %+v\nwant\n %+v", got, b)
		}
	})
}
