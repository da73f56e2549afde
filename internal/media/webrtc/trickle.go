package webrtc

import (
	"strconv"
	"strings"

	"github.com/liveshop/liveshop/internal/apperr"
)

// trickleContentType is the media type of WHIP/WHEP PATCH bodies (RFC 8840).
const trickleContentType = "application/trickle-ice-sdpfrag"

// Limits on a PATCH body: a browser sends a handful of candidates at a time.
const (
	maxTrickleBody       = 16 << 10
	maxTrickleCandidates = 64
)

// trickleFrag is a parsed SDP fragment: the ICE credentials it names and
// the candidates it carries, each with the media section it belongs to.
type trickleFrag struct {
	ufrag, pwd      string
	candidates      []trickleCandidate
	endOfCandidates bool
}

type trickleCandidate struct {
	mid        string // "" when the fragment names no a=mid
	mLineIndex uint16 // the m= section's position in the fragment
	value      string // "candidate:…" without the "a="
}

// parseTrickle parses an application/trickle-ice-sdpfrag body. Lines other
// than m=, a=mid, a=ice-ufrag, a=ice-pwd, a=candidate and
// a=end-of-candidates are ignored. Returns an Invalid error on field
// "sdpfrag" when a line or a candidate is malformed.
func parseTrickle(body string) (trickleFrag, error) {
	var f trickleFrag
	mid, mLine := "", -1
	bad := func(format string, args ...any) (trickleFrag, error) {
		return trickleFrag{}, apperr.Field("sdpfrag", format, args...)
	}
	for n, line := range strings.Split(body, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if len(line) < 2 || line[1] != '=' {
			return bad("line %d is not an SDP line", n+1)
		}
		if line[0] == 'm' {
			mLine++
			mid = ""
			continue
		}
		if line[0] != 'a' {
			continue
		}
		key, value, _ := strings.Cut(line[2:], ":")
		switch key {
		case "mid":
			mid = value
		case "ice-ufrag":
			f.ufrag = value
		case "ice-pwd":
			f.pwd = value
		case "end-of-candidates":
			f.endOfCandidates = true
		case "candidate":
			if err := checkCandidate(value); err != nil {
				return bad("line %d: %s", n+1, err.Message)
			}
			if len(f.candidates) == maxTrickleCandidates {
				return bad("more than %d candidates", maxTrickleCandidates)
			}
			idx := uint16(0)
			if mLine > 0 {
				idx = uint16(mLine)
			}
			f.candidates = append(f.candidates, trickleCandidate{mid: mid, mLineIndex: idx, value: "candidate:" + value})
		}
	}
	return f, nil
}

// checkCandidate checks the fixed part of an ICE candidate (RFC 8839):
// foundation component transport priority address port "typ" type.
func checkCandidate(v string) *apperr.Error {
	fields := strings.Fields(v)
	if len(fields) < 8 {
		return apperr.Field("sdpfrag", "a candidate has too few fields")
	}
	if c, err := strconv.ParseUint(fields[1], 10, 8); err != nil || c == 0 {
		return apperr.Field("sdpfrag", "a candidate has a bad component id")
	}
	if t := strings.ToLower(fields[2]); t != "udp" && t != "tcp" {
		return apperr.Field("sdpfrag", "a candidate has an unknown transport")
	}
	if _, err := strconv.ParseUint(fields[3], 10, 32); err != nil {
		return apperr.Field("sdpfrag", "a candidate has a bad priority")
	}
	if fields[4] == "" || len(fields[4]) > 255 {
		return apperr.Field("sdpfrag", "a candidate has a bad address")
	}
	if _, err := strconv.ParseUint(fields[5], 10, 16); err != nil {
		return apperr.Field("sdpfrag", "a candidate has a bad port")
	}
	if fields[6] != "typ" {
		return apperr.Field("sdpfrag", "a candidate has no type")
	}
	switch fields[7] {
	case "host", "srflx", "prflx", "relay":
	default:
		return apperr.Field("sdpfrag", "a candidate has an unknown type")
	}
	return nil
}
