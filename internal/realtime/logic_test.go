package realtime

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDecodeClientFrame(t *testing.T) {
	long := strings.Repeat("é", 201)
	cases := []struct {
		in      string
		want    clientFrame
		code    string // "" when accepted
		notJSON bool
	}{
		{in: `{"type":"chat","id":"a","data":{"text":"  hi  "}}`, want: clientFrame{Type: "chat", Ref: "a", Text: "hi"}},
		{in: `{"type":"question","id":12,"data":{"text":"size?"}}`, want: clientFrame{Type: "question", Ref: "12", Text: "size?"}},
		{in: `{"type":"like","data":{"count":50}}`, want: clientFrame{Type: "like", Count: 50}},
		{in: `{"type":"ping"}`, want: clientFrame{Type: "ping"}},
		{in: ` {"type":"ping","data":null} `, want: clientFrame{Type: "ping"}},
		{in: `{"type":"chat","data":{"text":"` + strings.Repeat("é", 200) + `"}}`, want: clientFrame{Type: "chat", Text: strings.Repeat("é", 200)}},
		{in: `{"type":"chat","data":{"text":"` + long + `"}}`, code: "invalid"},
		{in: `{"type":"chat","data":{"text":"   "}}`, code: "invalid"},
		{in: `{"type":"chat","data":"hi"}`, code: "invalid"},
		{in: `{"type":"chat"}`, code: "invalid"},
		{in: `{"type":"like","data":{"count":0}}`, code: "invalid"},
		{in: `{"type":"like","data":{"count":51}}`, code: "invalid"},
		{in: `{"type":"like","data":{"count":"5"}}`, code: "invalid"},
		{in: `{"type":"dance","id":"x"}`, code: "unsupported"},
		{in: `{"id":"x"}`, code: "invalid"},
		{in: `{"type":7}`, code: "invalid"},
		{in: `hello`, code: "invalid", notJSON: true},
		{in: `[{"type":"ping"}]`, code: "invalid", notJSON: true},
		{in: `{"type":"ping"`, code: "invalid", notJSON: true},
		{in: ``, code: "invalid", notJSON: true},
	}
	for _, c := range cases {
		got, err := decodeClientFrame([]byte(c.in))
		if c.code == "" {
			if err != nil || got != c.want {
				t.Errorf("decode %s = %+v, %v; want %+v", c.in, got, err, c.want)
			}
			continue
		}
		fe, ok := err.(*frameError)
		if !ok || fe.code != c.code || fe.notJSON != c.notJSON {
			t.Errorf("decode %s: error %#v, want code %s notJSON %v", c.in, err, c.code, c.notJSON)
		}
	}
	// The reference is echoed back, so it is bounded.
	f, _ := decodeClientFrame([]byte(`{"type":"ping","id":"` + strings.Repeat("ü", 100) + `"}`))
	if len(f.Ref) > maxRefLen || !strings.HasPrefix(f.Ref, "üü") {
		t.Errorf("long ref kept as %q", f.Ref)
	}
}

func FuzzDecodeClientFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"chat","id":"a","data":{"text":"hi"}}`,
		`{"type":"like","data":{"count":3}}`,
		`{"type":"question","id":1.5e3,"data":{"text":"?"}}`,
		`{"type":"ping"}`,
		`not json`,
		`{"type":"chat","data":{"text":"\u0000\ud800"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeClientFrame(b)
		if err != nil {
			fe, ok := err.(*frameError)
			if !ok || fe.code == "" || len(fe.ref) > maxRefLen {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		if len(got.Ref) > maxRefLen {
			t.Fatalf("ref of %d bytes", len(got.Ref))
		}
		switch got.Type {
		case framePing:
		case frameChat, frameQuestion:
			if n := len([]rune(got.Text)); n < 1 || n > maxTextRunes || strings.TrimSpace(got.Text) != got.Text {
				t.Fatalf("text %q accepted", got.Text)
			}
		case frameLike:
			if got.Count < 1 || got.Count > maxLikeTaps {
				t.Fatalf("count %d accepted", got.Count)
			}
		default:
			t.Fatalf("type %q accepted", got.Type)
		}
	})
}

func TestDecodeEvent(t *testing.T) {
	cases := []struct {
		data string
		want event
	}{
		{`{"type":"chat","ts":5,"data":{"role":"viewer","text":"x"}}`, event{typ: "chat", droppable: true}},
		{`{"type":"chat","ts":5,"data":{"role":"anonymous"}}`, event{typ: "chat", droppable: true}},
		{`{"type":"chat","ts":5,"data":{"role":"host"}}`, event{typ: "chat"}},
		{`{"type":"chat","ts":5,"data":{"role":"operator"}}`, event{typ: "chat"}},
		{`{"type":"moderation","data":{"action":"ban","user_id":"u1"}}`, event{typ: "moderation", banUser: "u1"}},
		{`{"type":"moderation","data":{"action":"mute","user_id":"u1"}}`, event{typ: "moderation"}},
		{`{"type":"status","data":{"status":"ended"}}`, event{typ: "status", ends: true}},
		{`{"type":"status","data":{"status":"replay"}}`, event{typ: "status", ends: true}},
		{`{"type":"status","data":{"status":"live"}}`, event{typ: "status"}},
		{`{"type":"likes","data":{"count":12}}`, event{typ: "likes", likes: 12}},
		{`{"type":"question","data":{"role":"viewer"}}`, event{typ: "question"}},
		{`{"type":"chat","data":"odd"}`, event{typ: "chat", droppable: true}}, // no role: a viewer
		{`{"type":"sale.started"}`, event{typ: "sale.started"}},
	}
	for _, c := range cases {
		got, err := decodeEvent(Message{Subject: "room.r.events", Data: []byte(c.data), Seq: 9})
		if err != nil {
			t.Errorf("%s: %v", c.data, err)
			continue
		}
		var e env
		if err := json.Unmarshal(got.data, &e); err != nil || e.V != 1 || e.Seq != 9 || e.Type != c.want.typ {
			t.Errorf("%s: envelope %s (%v)", c.data, got.data, err)
		}
		got.data, got.seq = nil, 0
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %+v, want %+v", c.data, got, c.want)
		}
	}
	for _, bad := range []string{`nope`, `{"ts":1}`, `[]`} {
		if _, err := decodeEvent(Message{Data: []byte(bad)}); err == nil {
			t.Errorf("decoded %s", bad)
		}
	}
}

func TestEncodeEventIsValidJSON(t *testing.T) {
	b := encodeEvent(`we"ird`, 42, -1, json.RawMessage(`{"a":[1,2]}`))
	var e env
	if err := json.Unmarshal(b, &e); err != nil || e.Type != `we"ird` || e.Seq != 42 || e.TS != -1 || string(e.Data) != `{"a":[1,2]}` {
		t.Fatalf("%s: %+v %v", b, e, err)
	}
}

func TestSampleTick(t *testing.T) {
	mk := func(spec string) []event { // v: a viewer's chat, k: kept always
		var evs []event
		for i, r := range spec {
			evs = append(evs, event{seq: uint64(i + 1), droppable: r == 'v'})
		}
		return evs
	}
	seqs := func(evs []event) string {
		var s []string
		for _, e := range evs {
			s = append(s, fmt.Sprint(e.seq))
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		spec string
		keep int
		want string
	}{
		{"kvkv", 5, "1,2,3,4"},
		{"vvvvvvvvvv", 3, "1,5,8"},
		{"kvvvvk", 1, "1,2,6"},
		{"vvkvv", 0, "3"},
		{"kkk", 0, "1,2,3"},
		{"", 2, ""},
	}
	for _, c := range cases {
		if got := seqs(sampleTick(mk(c.spec), c.keep)); got != c.want {
			t.Errorf("sampleTick(%s, %d) = %s, want %s", c.spec, c.keep, got, c.want)
		}
	}
}

func TestRing(t *testing.T) {
	r := newRing(3)
	if _, ok := itemsAfter(ringItems(r), 0); ok {
		t.Error("an empty ring covers nothing")
	}
	for _, s := range []uint64{2, 4, 7, 9} { // gaps: seqs of other subjects
		r.push(item{seq: s})
	}
	cases := []struct {
		since   uint64
		want    string
		covered bool
	}{
		{3, "", false}, // 4 is the oldest kept: events between 3 and 4 may be gone
		{4, "7,9", true},
		{5, "7,9", true},
		{9, "", true},
		{12, "", true},
	}
	for _, c := range cases {
		got, ok := itemsAfter(ringItems(r), c.since)
		var s []string
		for _, it := range got {
			s = append(s, fmt.Sprint(it.seq))
		}
		if strings.Join(s, ",") != c.want || ok != c.covered {
			t.Errorf("after %d = %v %v, want %s %v", c.since, s, ok, c.want, c.covered)
		}
	}
}

func ringItems(r *ring) []item {
	var out []item
	for i := 0; i < r.n; i++ {
		out = append(out, r.at(i))
	}
	return out
}

func TestQueue(t *testing.T) {
	q := newQueue(3)
	if !q.push(item{seq: 1}, item{seq: 2}) || q.push(item{seq: 3}, item{seq: 4}) || !q.push(item{seq: 3}) {
		t.Fatal("bounds not kept")
	}
	if q.push(item{seq: 4}) {
		t.Fatal("a full queue took an item")
	}
	its, code, _ := q.take()
	if len(its) != 3 || code != 0 {
		t.Fatalf("took %v %v", its, code)
	}
	q.closeAfter(CloseBanned, "banned")
	q.closeAfter(CloseRoomEnded, "room ended")
	if !q.push(item{seq: 5}) {
		t.Fatal("a closing queue counts as slow")
	}
	its, code, reason := q.take()
	if len(its) != 0 || code != CloseBanned || reason != "banned" {
		t.Fatalf("took %v %v %q", its, code, reason)
	}
	select {
	case <-q.wake:
	default:
		t.Fatal("no wake-up")
	}
}

func TestBucketAndMeter(t *testing.T) {
	now := time.Unix(1000, 0)
	b := newBucket(1, 3, now)
	got := ""
	for i := range 6 {
		at := now.Add(time.Duration(i) * 300 * time.Millisecond)
		if b.allow(at) {
			got += "y"
		} else {
			got += "n"
		}
	}
	// 3 at once, then one a second: the 4th token comes at 1 s (t=1.2 s).
	if got != "yyynyn" {
		t.Errorf("bucket: %s", got)
	}
	if b.full(now.Add(1500*time.Millisecond)) || !b.full(now.Add(10*time.Second)) {
		t.Error("full")
	}

	var m rateMeter
	for i := range 50 {
		m.add(now.Add(time.Duration(i) * 10 * time.Millisecond)) // 100 a second over 0.5 s
	}
	if got := m.perSecond(now.Add(500 * time.Millisecond)); got != 50 {
		t.Errorf("rate %d, want 50", got)
	}
	if got := m.perSecond(now.Add(1600 * time.Millisecond)); got != 0 {
		t.Errorf("rate a second later %d, want 0", got)
	}
}

func TestPresence(t *testing.T) {
	for _, u := range []Uniques{exactUniques{}, HLLUniques{}} {
		now := time.Unix(1000, 0)
		p := newPresence(u, 5*time.Second)
		local := u.New()
		local.Add([]byte("u:1"))
		local.Add([]byte("a:x"))
		p.recordLocal("a", 2, local, now)
		other := u.New()
		other.Add([]byte("u:1"))
		other.Add([]byte("u:2"))
		enc, err := other.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if err := p.record(presenceReport{Node: "b", Current: 3, HLL: enc}, now.Add(-4*time.Second)); err != nil {
			t.Fatal(err)
		}
		if c, uq := p.current(now), p.unique(); c != 5 || uq != 3 {
			t.Errorf("%T: current %d unique %d, want 5 and 3", u, c, uq)
		}
		if c := p.current(now.Add(2 * time.Second)); c != 2 {
			t.Errorf("%T: a report older than 5 s still counts: %d", u, c)
		}
		if err := p.record(presenceReport{Node: "c", HLL: []byte{1, 2, 3}}, now); err == nil {
			t.Errorf("%T: a broken sketch was accepted", u)
		}
	}
}

func TestJoinNoticesAreSampled(t *testing.T) {
	b := newMemBus(100)
	n := startNode(t, b, newFakeRooms(b, "r1"), fastOptions())
	watcher := dial(t, n, "r1", "", "")
	watcher.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	start := time.Now()
	for i := range 5 {
		dial(t, n, "r1", fmt.Sprint("joiner", i), "").waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	}
	dial(t, n, "r1", "", "").waitFor("snapshot", 5*time.Second, ofType("snapshot")) // anonymous: no notice
	e := watcher.waitFor("a join notice", 5*time.Second, ofType("join"))
	if name, _ := e.field("name").(string); !strings.HasPrefix(name, "name of joiner") || e.Seq != 0 {
		t.Fatalf("join notice %+v %s", e, e.Data)
	}
	time.Sleep(200 * time.Millisecond)
	took := time.Since(start)
	if got, most := countOf(watcher.envelopes(), "join"), 1+int(took/time.Second); got > most {
		t.Fatalf("%d join notices in %v, want at most %d", got, took, most)
	}
}
