package analytics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// A batch travels as one compact binary message, because every node sends
// thousands of events a second and JSON cost more to decode than the
// roll-up itself (bench/analytics). Layout:
//
//	'A' 1                     magic and version
//	string batch id
//	uvarint event count
//	per event: kind byte, session, user, product, category, currency, node
//	           (strings), count, amount, viewers, at (varints, at in unix ms)
//
// A string is a uvarint k: 0 is "", k <= len(table) repeats table[k-1], and
// k = len(table)+1 is a new string (uvarint length, bytes) appended to the
// table. Session and product ids repeat within a batch, so most strings
// cost one byte and decode without an allocation.

const (
	codecMagic   = 'A'
	codecVersion = 1
	// maxBatchEvents bounds what a decoder accepts from one message.
	maxBatchEvents = 100_000
	// minEventBytes is the smallest encoded event: a kind byte, six
	// one-byte strings and five one-byte varints. A count the rest of the
	// message cannot hold is refused before anything is allocated.
	minEventBytes = 12
)

// Batch is one message of the pipeline: the events a node buffered, under
// an id that makes applying it idempotent.
type Batch struct {
	ID     string
	Events []Event
}

var kindCodes = []string{"", KindView, KindLike, KindWatch, KindProductClick, KindBuyClick, KindFollow, KindOrder,
	KindPaid, KindSessionStarted}

var kindByName = func() map[string]byte {
	m := make(map[string]byte, len(kindCodes))
	for i, k := range kindCodes {
		m[k] = byte(i)
	}
	return m
}()

// encoder keeps the string table of the batch being written.
type encoder struct {
	buf   []byte
	table map[string]uint64
}

func (e *encoder) str(s string) {
	if s == "" {
		e.buf = append(e.buf, 0)
		return
	}
	if k, ok := e.table[s]; ok {
		e.buf = binary.AppendUvarint(e.buf, k)
		return
	}
	k := uint64(len(e.table) + 1)
	e.table[s] = k
	e.buf = binary.AppendUvarint(e.buf, k)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// AppendBatch encodes b after dst. Unknown kinds are refused.
func AppendBatch(dst []byte, b Batch) ([]byte, error) {
	e := encoder{buf: dst, table: make(map[string]uint64, 64)}
	e.buf = append(e.buf, codecMagic, codecVersion)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(b.ID)))
	e.buf = append(e.buf, b.ID...)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(b.Events)))
	for i := range b.Events {
		ev := &b.Events[i]
		code, ok := kindByName[ev.Kind]
		if !ok || code == 0 {
			return dst, fmt.Errorf("analytics: encode: unknown event kind %q", ev.Kind)
		}
		e.buf = append(e.buf, code)
		e.str(ev.SessionID)
		e.str(ev.UserID)
		e.str(ev.ProductID)
		e.str(ev.Category)
		e.str(ev.Currency)
		e.str(ev.Node)
		e.buf = binary.AppendVarint(e.buf, ev.Count)
		e.buf = binary.AppendVarint(e.buf, ev.AmountMinor)
		e.buf = binary.AppendVarint(e.buf, ev.Orders)
		e.buf = binary.AppendVarint(e.buf, int64(ev.Viewers))
		e.buf = binary.AppendVarint(e.buf, ev.At.UnixMilli())
	}
	return e.buf, nil
}

var errCorrupt = errors.New("analytics: decode: corrupt batch")

// decoder reads one message.
type decoder struct {
	b     []byte
	err   error
	table []string
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) raw() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errCorrupt
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) str() string {
	k := d.uvarint()
	switch {
	case d.err != nil || k == 0:
		return ""
	case k <= uint64(len(d.table)):
		return d.table[k-1]
	case k == uint64(len(d.table))+1:
		s := d.raw()
		d.table = append(d.table, s)
		return s
	}
	d.err = errCorrupt
	return ""
}

// DecodeBatch reads a message made by AppendBatch.
func DecodeBatch(data []byte) (Batch, error) {
	if len(data) < 2 || data[0] != codecMagic {
		return Batch{}, errCorrupt
	}
	if data[1] != codecVersion {
		return Batch{}, fmt.Errorf("analytics: decode: unknown batch version %d", data[1])
	}
	d := decoder{b: data[2:], table: make([]string, 0, 64)}
	b := Batch{ID: d.raw()}
	n := d.uvarint()
	if d.err != nil || n > maxBatchEvents || n > uint64(len(d.b)/minEventBytes) {
		return Batch{}, errCorrupt
	}
	b.Events = make([]Event, n)
	for i := range b.Events {
		if len(d.b) == 0 {
			return Batch{}, errCorrupt
		}
		code := d.b[0]
		d.b = d.b[1:]
		if code == 0 || int(code) >= len(kindCodes) {
			return Batch{}, errCorrupt
		}
		ev := &b.Events[i]
		ev.Kind = kindCodes[code]
		ev.SessionID = d.str()
		ev.UserID = d.str()
		ev.ProductID = d.str()
		ev.Category = d.str()
		ev.Currency = d.str()
		ev.Node = d.str()
		ev.Count = d.varint()
		ev.AmountMinor = d.varint()
		ev.Orders = d.varint()
		ev.Viewers = int(d.varint())
		ev.At = time.UnixMilli(d.varint()).UTC()
	}
	if d.err != nil {
		return Batch{}, d.err
	}
	if b.ID == "" {
		return Batch{}, fmt.Errorf("analytics: decode: batch without an id")
	}
	return b, nil
}
