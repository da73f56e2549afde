package analytics

import (
	"reflect"
	"testing"
	"time"
)

func TestBatchRoundTrip(t *testing.T) {
	at := time.UnixMilli(1_764_600_000_123).UTC()
	b := Batch{ID: "anb_1", Events: []Event{
		{Kind: KindView, SessionID: "ses_1", UserID: "usr_1", At: at},
		{Kind: KindWatch, SessionID: "ses_1", Node: "node-a", Count: 120, Viewers: 12, At: at},
		{Kind: KindPaid, SessionID: "ses_1", UserID: "usr_1", ProductID: "prd_1", Category: "food", Count: 2,
			AmountMinor: -5, Orders: 1, Currency: "CNY", At: at.Add(time.Second)},
		{Kind: KindLike, SessionID: "ses_2", Count: 1 << 40, At: time.UnixMilli(0).UTC()},
	}}
	data, err := AppendBatch(nil, b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeBatch(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("decoded\n %+v\nwant\n %+v", got, b)
	}
}

func TestBatchRefusals(t *testing.T) {
	if _, err := AppendBatch(nil, Batch{ID: "x", Events: []Event{{Kind: "nope"}}}); err == nil {
		t.Fatal("an unknown kind was encoded")
	}
	good, err := AppendBatch(nil, Batch{ID: "anb_1", Events: []Event{{Kind: KindView, SessionID: "ses_1"}}})
	if err != nil {
		t.Fatal(err)
	}
	noID, _ := AppendBatch(nil, Batch{Events: []Event{{Kind: KindView}}})
	for name, data := range map[string][]byte{
		"empty":       nil,
		"json":        []byte(`[{"k":"view"}]`),
		"truncated":   good[:len(good)-1],
		"new version": append([]byte{codecMagic, 9}, good[2:]...),
		"no id":       noID,
		"huge count":  {codecMagic, codecVersion, 1, 'a', 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		if _, err := DecodeBatch(data); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}
