package main

import (
	"bytes"
	"errors"
)

// The server sends envelopes {"v":1,"type":…,"seq":…,"ts":…,"data":…},
// one per WebSocket message or several as a JSON array. Viewers see
// hundreds of thousands a second on a shared 2-core machine, so instead
// of encoding/json this scans just enough: the top-level objects, each
// one's "type", and for chats the send time the sender put in the text.

var errSyntax = errors.New("decode: malformed JSON")

// forEachEnvelope calls fn with each top-level object of msg, which is
// one object or an array of them.
func forEachEnvelope(msg []byte, fn func(env []byte)) error {
	i := skipSpace(msg, 0)
	if i < len(msg) && msg[i] == '{' {
		end, err := skipValue(msg, i)
		if err != nil {
			return err
		}
		fn(msg[i:end])
		return nil
	}
	if i >= len(msg) || msg[i] != '[' {
		return errSyntax
	}
	i = skipSpace(msg, i+1)
	if i < len(msg) && msg[i] == ']' {
		return nil
	}
	for i < len(msg) {
		if msg[i] != '{' {
			return errSyntax
		}
		end, err := skipValue(msg, i)
		if err != nil {
			return err
		}
		fn(msg[i:end])
		i = skipSpace(msg, end)
		if i < len(msg) && msg[i] == ']' {
			return nil
		}
		if i >= len(msg) || msg[i] != ',' {
			return errSyntax
		}
		i = skipSpace(msg, i+1)
	}
	return errSyntax
}

// envelopeType is the string value of env's top-level "type" key.
func envelopeType(env []byte) []byte {
	i := skipSpace(env, 0)
	if i >= len(env) || env[i] != '{' {
		return nil
	}
	i = skipSpace(env, i+1)
	for i < len(env) && env[i] == '"' {
		kEnd, err := skipValue(env, i)
		if err != nil {
			return nil
		}
		key := env[i+1 : kEnd-1]
		i = skipSpace(env, kEnd)
		if i >= len(env) || env[i] != ':' {
			return nil
		}
		i = skipSpace(env, i+1)
		vEnd, err := skipValue(env, i)
		if err != nil {
			return nil
		}
		if string(key) == "type" {
			if env[i] != '"' {
				return nil
			}
			return env[i+1 : vEnd-1]
		}
		i = skipSpace(env, vEnd)
		if i < len(env) && env[i] == ',' {
			i = skipSpace(env, i+1)
		}
	}
	return nil
}

// chatMarker starts the text of every chat this generator sends:
// "t=<unix nanos> …".
var chatMarker = []byte(`"text":"t=`)

// chatSentAt is the send time (unix nanos) in a chat envelope's text.
func chatSentAt(env []byte) (int64, bool) {
	i := bytes.Index(env, chatMarker)
	if i < 0 {
		return 0, false
	}
	var n int64
	digits := 0
	for j := i + len(chatMarker); j < len(env) && env[j] >= '0' && env[j] <= '9' && digits < 19; j++ {
		n = n*10 + int64(env[j]-'0')
		digits++
	}
	return n, digits > 0
}

// errorCode is the data.code of an error envelope.
func errorCode(env []byte) string {
	i := bytes.Index(env, []byte(`"code":"`))
	if i < 0 {
		return "?"
	}
	rest := env[i+8:]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || j > 40 {
		return "?"
	}
	return string(rest[:j])
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at b[i].
// Objects and arrays are matched by their brackets, strings by their quotes and
// escapes; scalars run to the next delimiter. It checks no more than it
// needs to find the end.
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, errSyntax
	case '{', '[':
		var stackBuf [16]byte
		closers := stackBuf[:0] // the closing bracket each open one needs
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '{':
				closers = append(closers, '}')
			case '[':
				closers = append(closers, ']')
			case '}', ']':
				if closers[len(closers)-1] != b[j] {
					return 0, errSyntax
				}
				closers = closers[:len(closers)-1]
				if len(closers) == 0 {
					return j + 1, nil
				}
			case '"':
				end, err := skipValue(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			}
		}
		return 0, errSyntax
	case ',', ':', '}', ']':
		return 0, errSyntax
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
		j++
	}
	return j, nil
}
