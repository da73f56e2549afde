package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/stdnet"
	"github.com/pion/webrtc/v4"
)

// whepClient makes WHEP viewers of one server. The pion API is shared by
// every viewer; it has no interceptors, so a viewer costs one ICE agent,
// one DTLS session and a read loop per track — the least a real player
// does.
type whepClient struct {
	api  *webrtc.API
	http *http.Client
	base string
}

func newWHEPClient(base string, hc *http.Client) (*whepClient, error) {
	me := &webrtc.MediaEngine{}
	if err := me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
			SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"},
		PayloadType: 102,
	}, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, fmt.Errorf("whep: register h264: %w", err)
	}
	if err := me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1"},
		PayloadType: 111,
	}, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("whep: register opus: %w", err)
	}
	se := webrtc.SettingEngine{}
	n, err := stdnet.NewNet()
	if err != nil {
		return nil, fmt.Errorf("whep: interfaces: %w", err)
	}
	se.SetNet(bigBufferNet{n})
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithSettingEngine(se),
		webrtc.WithInterceptorRegistry(&interceptor.Registry{}))
	return &whepClient{api: api, http: hc, base: base}, nil
}

// viewerReadBuffer is each viewer socket's receive buffer. The kernel
// default (~200 KiB) overflows when hundreds of viewers in one process
// get a keyframe burst at once and the scheduler reaches their read
// loops late; real viewers each have a machine of their own. Linux caps
// it at net.core.rmem_max.
const viewerReadBuffer = 4 << 20

// bigBufferNet gives every UDP socket pion opens a large receive buffer.
type bigBufferNet struct{ *stdnet.Net }

func (n bigBufferNet) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := net.ListenUDP(network, laddr)
	if err != nil {
		return nil, err
	}
	_ = c.SetReadBuffer(viewerReadBuffer)
	return c, nil
}

// packetFunc receives every RTP packet of a viewer, on the track's read
// goroutine. p and its payload are reused after it returns.
type packetFunc func(kind webrtc.RTPCodecType, p *rtp.Packet, size int, at time.Time)

// whepViewer is one WHEP session.
type whepViewer struct {
	c         *whepClient
	pc        *webrtc.PeerConnection
	location  string
	connected chan struct{}
	failed    chan struct{}
}

// dial offers to watch room and returns once the server answered; the
// media flows once connected is closed. onPacket may be nil.
func (c *whepClient) dial(ctx context.Context, room string, onPacket packetFunc) (*whepViewer, error) {
	pc, err := c.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("whep: peer connection: %w", err)
	}
	v := &whepViewer{c: c, pc: pc, connected: make(chan struct{}), failed: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			_ = pc.Close()
		}
	}()
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return nil, fmt.Errorf("whep: transceiver: %w", err)
		}
	}
	var connectedOnce, failedOnce sync.Once
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		switch s {
		case webrtc.PeerConnectionStateConnected:
			connectedOnce.Do(func() { close(v.connected) })
		case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
			failedOnce.Do(func() { close(v.failed) })
		}
	})
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) { go readTrack(tr, onPacket) })

	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return nil, fmt.Errorf("whep: offer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		return nil, fmt.Errorf("whep: local description: %w", err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	answer, loc, err := c.post(ctx, room, pc.LocalDescription().SDP)
	if err != nil {
		return nil, err
	}
	v.location = loc
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		return nil, fmt.Errorf("whep: remote description: %w", err)
	}
	ok = true
	return v, nil
}

func (c *whepClient) post(ctx context.Context, room, offer string) (answer, location string, err error) {
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+"/live/"+room+"/whep", bytes.NewBufferString(offer))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/sdp")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("whep: post: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusCreated {
		return "", "", fmt.Errorf("whep: post: %d %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.String() == "" {
		return "", "", errors.New("whep: answer without a Location")
	}
	base, _ := url.Parse(c.base)
	return string(b), base.ResolveReference(loc).String(), nil
}

// waitConnected waits for ICE and DTLS to finish.
func (v *whepViewer) waitConnected(ctx context.Context) error {
	select {
	case <-v.connected:
		return nil
	case <-v.failed:
		return errors.New("whep: peer connection failed")
	case <-ctx.Done():
		return fmt.Errorf("whep: not connected: %w", ctx.Err())
	}
}

// close ends the session on the server (DELETE) and locally.
func (v *whepViewer) close() {
	if v.location != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, _ := http.NewRequestWithContext(ctx, "DELETE", v.location, nil)
		if resp, err := v.c.http.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		cancel()
	}
	_ = v.pc.Close()
}

// readTrack reads a track's RTP until the peer closes.
func readTrack(tr *webrtc.TrackRemote, onPacket packetFunc) {
	buf := make([]byte, 1500)
	var p rtp.Packet
	kind := tr.Kind()
	for {
		n, _, err := tr.Read(buf)
		if err != nil {
			return
		}
		if onPacket == nil {
			continue
		}
		at := time.Now()
		if err := p.Unmarshal(buf[:n]); err != nil {
			continue
		}
		onPacket(kind, &p, n, at)
	}
}
