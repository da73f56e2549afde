// Package webrtc is liveshop's WebRTC adapter: WHIP ingest (RFC 9725) writes
// a publisher's H.264 and Opus into a media.Stream, WHEP playback sends a
// stream to browsers. Every peer shares one UDP port through an ICE UDP mux.
package webrtc

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/webrtc/v4"
)

// Config is what the WebRTC adapter needs from the command line.
type Config struct {
	// UDP is the one socket every peer connection shares (--webrtc-udp).
	// The Server owns it from New on and closes it in Close.
	UDP net.PacketConn
	// PublicIPs are extra addresses announced as host candidates, for a
	// server behind a 1:1 NAT or with addresses the interfaces do not show.
	PublicIPs []string
	// ConnectTimeout bounds how long a new peer may take to connect before
	// it is dropped; 0 means 20 s.
	ConnectTimeout time.Duration
	// ViewerQueue bounds a viewer's backlog in frames; 0 means 256.
	ViewerQueue int
}

// ListenUDP opens the shared WebRTC port, e.g. ":8189".
func ListenUDP(addr string) (net.PacketConn, error) {
	c, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("webrtc: listen udp %s: %w", addr, err)
	}
	return c, nil
}

// apis are the two pion APIs the server builds once: ingest and playback
// need different interceptors (an ingest peer generates NACKs and
// congestion feedback; a viewer only answers NACKs, which must stay cheap
// for thousands of viewers), but they share the settings and the UDP mux.
type apis struct {
	ingest, playback *webrtc.API
	mux              ice.UDPMux
}

func newAPIs(cfg Config, log *slog.Logger) (*apis, error) {
	logs := pionLogs{log: log}
	mux := ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: cfg.UDP, Logger: logs.NewLogger("udpmux")})
	se := webrtc.SettingEngine{LoggerFactory: logs}
	se.SetICEUDPMux(mux)
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	// A server has no use for mDNS; browsers' .local candidates still work
	// because their connectivity checks reveal their real address.
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// Fail a vanished peer within ~15 s rather than pion's default ~30 s.
	se.SetICETimeouts(5*time.Second, 10*time.Second, 2*time.Second)
	if len(cfg.PublicIPs) > 0 {
		if err := se.SetICEAddressRewriteRules(webrtc.ICEAddressRewriteRule{
			External: cfg.PublicIPs, AsCandidateType: webrtc.ICECandidateTypeHost, Mode: webrtc.ICEAddressRewriteAppend,
		}); err != nil {
			_ = mux.Close()
			return nil, fmt.Errorf("webrtc: public ips: %w", err)
		}
	}

	ingest, err := newIngestAPI(se)
	if err != nil {
		_ = mux.Close()
		return nil, err
	}
	playback, err := newPlaybackAPI(se)
	if err != nil {
		_ = mux.Close()
		return nil, err
	}
	return &apis{ingest: ingest, playback: playback, mux: mux}, nil
}

func newIngestAPI(se webrtc.SettingEngine) (*webrtc.API, error) {
	me := &webrtc.MediaEngine{}
	if err := registerCodecs(me); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	// NACKs, receiver reports, TWCC feedback (so a browser's congestion
	// control can raise its bitrate) and stats.
	if err := webrtc.RegisterDefaultInterceptors(me, ir); err != nil {
		return nil, fmt.Errorf("webrtc: ingest interceptors: %w", err)
	}
	return webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir)), nil
}

func newPlaybackAPI(se webrtc.SettingEngine) (*webrtc.API, error) {
	me := &webrtc.MediaEngine{}
	if err := registerCodecs(me); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	// The payloads we send are shared and never changed, so the NACK
	// buffer can hold them without copying.
	responder, err := nack.NewResponderInterceptor(nack.ResponderSize(512), nack.DisableCopy())
	if err != nil {
		return nil, fmt.Errorf("webrtc: nack responder: %w", err)
	}
	ir.Add(responder)
	// Sender reports let the browser line audio up with video.
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		return nil, fmt.Errorf("webrtc: rtcp reports: %w", err)
	}
	return webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir)), nil
}

// h264Profiles are the H.264 variants browsers offer (Chromium's list),
// all with packetization-mode=1; we accept any and prefer constrained
// baseline, which every browser decodes.
var h264Profiles = []struct {
	pt      webrtc.PayloadType
	profile string
}{
	{106, "42e01f"}, {102, "42001f"}, {127, "4d001f"}, {112, "64001f"}, {123, "640032"}, {108, "42e034"},
}

func registerCodecs(me *webrtc.MediaEngine) error {
	fb := []webrtc.RTCPFeedback{{Type: "ccm", Parameter: "fir"}, {Type: "nack"}, {Type: "nack", Parameter: "pli"}}
	for _, p := range h264Profiles {
		if err := me.RegisterCodec(webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
				SDPFmtpLine:  "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + p.profile,
				RTCPFeedback: fb,
			},
			PayloadType: p.pt,
		}, webrtc.RTPCodecTypeVideo); err != nil {
			return fmt.Errorf("webrtc: register h264 %s: %w", p.profile, err)
		}
	}
	if err := me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1",
		},
		PayloadType: 111,
	}, webrtc.RTPCodecTypeAudio); err != nil {
		return fmt.Errorf("webrtc: register opus: %w", err)
	}
	return nil
}
