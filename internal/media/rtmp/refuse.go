package rtmp

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/amf0"
	"github.com/bluenviron/gortmplib/pkg/message"

	"github.com/liveshop/liveshop/internal/apperr"
)

// onStatus codes we answer a refused request with. Encoders show the
// description; ffmpeg prints it as "Server error: …".
const (
	// statusBadName is what media servers send for a stream name (key) that
	// is unknown or already in use.
	statusBadName      = "NetStream.Publish.BadName"
	statusUnauthorized = "NetStream.Publish.Unauthorized"
	statusRejected     = "NetStream.Publish.Rejected"
	statusPlayFailed   = "NetStream.Play.Failed"
)

// refusal is a request turned away with an onStatus error. Its description
// is shown to the publisher, so it never contains the stream key.
type refusal struct {
	code        string
	description string
}

func (r *refusal) Error() string { return r.code + ": " + r.description }

// refuseCodec refuses a track whose codec we do not ingest.
func refuseCodec(kind, name string) *refusal {
	want := "send H.264"
	if kind == "audio" {
		want = "send AAC (or Opus over Enhanced RTMP)"
	}
	return &refusal{code: statusRejected, description: fmt.Sprintf("%s codec %s is not supported; %s", kind, name, want)}
}

var refusePlay = &refusal{code: statusPlayFailed,
	description: "this server does not serve RTMP playback; watch over HLS or WebRTC"}

// refusalOf maps an error from the Gate or the Hub to an onStatus. Internal
// errors are not explained to the publisher.
func refusalOf(err error) *refusal {
	var r *refusal
	if errors.As(err, &r) {
		return r
	}
	e, ok := apperr.As(err)
	if !ok {
		return &refusal{code: statusRejected, description: "internal error; try again"}
	}
	desc := e.Code + ": " + e.Message
	switch e.Code {
	case apperr.Unauthorized, apperr.NotFound, apperr.Invalid, apperr.Conflict:
		return &refusal{code: statusBadName, description: desc}
	case apperr.Forbidden:
		return &refusal{code: statusUnauthorized, description: desc}
	case apperr.Unsupported, apperr.TooLarge, apperr.RateLimited, apperr.Unavailable:
		return &refusal{code: statusRejected, description: desc}
	}
	return &refusal{code: statusRejected, description: "internal error; try again"}
}

// writeRefusal sends r as an error onStatus on the publish/play stream.
// Transaction id 0 is what onStatus uses; clients match it by name.
func writeRefusal(sc *gortmplib.ServerConn, r *refusal) error {
	err := sc.Write(&message.CommandAMF0{
		ChunkStreamID:   5,
		MessageStreamID: 0x1000000,
		Name:            "onStatus",
		CommandID:       0,
		Arguments: []any{
			nil,
			amf0.Object{
				{Key: "level", Value: "error"},
				{Key: "code", Value: r.code},
				{Key: "description", Value: r.description},
			},
		},
	})
	if err != nil {
		return fmt.Errorf("rtmp: write refusal: %w", err)
	}
	return nil
}
