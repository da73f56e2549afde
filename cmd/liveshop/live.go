package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/liveshop/liveshop/internal/bus"
	"github.com/liveshop/liveshop/internal/httpapi"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/media/hls"
	"github.com/liveshop/liveshop/internal/media/relay"
	"github.com/liveshop/liveshop/internal/media/rtmp"
	"github.com/liveshop/liveshop/internal/media/transcode"
	"github.com/liveshop/liveshop/internal/media/webrtc"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
)

// liveStack is live video wired together: sessions, the media hub and
// its ingest and delivery adapters.
type liveStack struct {
	rooms     *room.Service
	hub       *media.Hub
	hls       *hls.Service
	webrtc    *webrtc.Server
	transcode *transcode.Service
	rtmp      *rtmp.Server
	rtmpLn    net.Listener
	relay     *relay.Relay
	events    bus.Bus
	log       *slog.Logger
	wg        sync.WaitGroup
	stopRTMP  context.CancelFunc
	stopLoops context.CancelFunc
}

// healthEvery is how often each live stream's health goes on the bus.
const healthEvery = 5 * time.Second

// renewEvery is how often a node renews the placement of its streams: a
// few times within bus.PlacementTTL. sweepEvery is how often each node
// looks for live sessions whose stream is gone from every node.
const (
	renewEvery = 2 * time.Second
	sweepEvery = 5 * time.Second
)

// newLive builds live video. Construction order matters: the hub asks the
// room service whether a key may publish, and the room service asks the
// hub and the recorder back, so those two are handed over once built.
func newLive(ctx context.Context, c *config, st *store.Store, events bus.Bus, log *slog.Logger) (*liveStack, error) {
	l := &liveStack{log: log, events: events}
	rtmpServer, err := rtmpServerURL(c.PublicURL, c.RTMP)
	if err != nil {
		return nil, err
	}
	var place room.Placement
	if n, ok := events.(*bus.NATS); ok {
		kv, err := n.Placement(ctx)
		if err != nil {
			return nil, err
		}
		np := nodePlacement{kv: kv, self: c.NodeURL}
		place = np
		l.relay = relay.New(relay.Config{IsLocal: func(roomID string) bool { return l.hub.Stream(roomID) != nil },
			Locator: np, Self: c.NodeURL, Log: log})
	}
	l.rooms = room.NewService(room.Config{Repo: st, Publisher: events, Log: log, Now: time.Now, Grace: c.LiveGrace, Placement: place,
		RTMPServer: rtmpServer, WHIPURL: c.PublicURL + "/whip",
		Warnings: func() []string { return l.transcode.Warnings() }})
	l.hub = media.NewHub(l.rooms, log, time.Now)
	l.transcode = transcode.New(l.hub, c.FFmpeg, log, transcode.Options{ABR: c.ABR})
	l.hls, err = hls.New(hls.Config{Hub: l.hub, DataDir: c.Data, CDNBase: c.CDNBase, Log: log, Now: time.Now})
	if err != nil {
		return nil, usageError{fmt.Sprintf("--cdn-base: %v", err)}
	}
	l.rooms.UseMedia(mediaView{hub: l.hub, hls: l.hls})
	l.rooms.UseRecordings(l.hls)

	udp, err := webrtc.ListenUDP(c.WebRTCUDP)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--webrtc-udp %s: %v", c.WebRTCUDP, err)}
	}
	l.webrtc, err = webrtc.New(webrtc.Config{UDP: udp, PublicIPs: splitList(c.WebRTCIPs)}, l.hub, log)
	if err != nil {
		udp.Close()
		return nil, err
	}
	if c.RTMP != "" {
		if l.rtmpLn, err = net.Listen("tcp", c.RTMP); err != nil {
			l.webrtc.Close()
			return nil, usageError{fmt.Sprintf("--rtmp %s: %v", c.RTMP, err)}
		}
		l.rtmp = rtmp.New(rtmp.Config{Addr: c.RTMP, Hub: l.hub, Keys: l.rooms, Log: log, Now: time.Now})
	}
	return l, nil
}

// mounts are the media endpoints served beside the API. A room's live
// media is served by any node: from here when it ingests the stream,
// relayed from the node that does otherwise.
func (l *liveStack) mounts() []httpapi.Mount {
	viewer := func(h http.Handler) http.Handler {
		if l.relay == nil {
			return h
		}
		return l.relay.Wrap(h)
	}
	return []httpapi.Mount{
		{Pattern: "POST /whip", Handler: http.HandlerFunc(l.webrtc.PostWHIP)},
		{Pattern: "PATCH /whip/{id}", Handler: http.HandlerFunc(l.webrtc.PatchWHIP)},
		{Pattern: "DELETE /whip/{id}", Handler: http.HandlerFunc(l.webrtc.DeleteWHIP)},
		{Pattern: "OPTIONS /whip", Handler: http.HandlerFunc(l.webrtc.Options)},
		{Pattern: "OPTIONS /whip/{id}", Handler: http.HandlerFunc(l.webrtc.Options)},
		{Pattern: "POST /live/{roomID}/whep", Handler: viewer(http.HandlerFunc(l.webrtc.PostWHEP))},
		{Pattern: "PATCH /live/{roomID}/whep/{id}", Handler: viewer(http.HandlerFunc(l.webrtc.PatchWHEP))},
		{Pattern: "DELETE /live/{roomID}/whep/{id}", Handler: viewer(http.HandlerFunc(l.webrtc.DeleteWHEP))},
		{Pattern: "OPTIONS /live/{roomID}/whep", Handler: http.HandlerFunc(l.webrtc.Options)},
		{Pattern: "OPTIONS /live/{roomID}/whep/{id}", Handler: http.HandlerFunc(l.webrtc.Options)},
		{Pattern: "GET /live/{roomID}/{file}", Handler: viewer(l.hls)},
		{Pattern: "GET /live/{roomID}/cdn/{file}", Handler: viewer(l.hls)},
		{Pattern: "GET /replays/{roomID}/{file}", Handler: l.hls},
	}
}

// start ends sessions an earlier run left live, then accepts publishers.
func (l *liveStack) start(ctx context.Context) error {
	if n, err := l.rooms.EndOrphans(ctx); err != nil {
		return err
	} else if n > 0 {
		l.log.Warn("live sessions left live by an earlier stop were ended", "count", n)
	}
	loops, stopLoops := context.WithCancel(context.Background())
	l.stopLoops = stopLoops
	l.wg.Go(func() { l.publishHealth(loops) })
	l.wg.Go(func() { l.renewPlacements(loops) })
	l.wg.Go(func() { l.rooms.RunOrphanSweep(loops, sweepEvery) })
	if l.rtmp != nil {
		rctx, cancel := context.WithCancel(context.Background())
		l.stopRTMP = cancel
		l.wg.Go(func() {
			if err := l.rtmp.Serve(rctx, l.rtmpLn); err != nil && !errors.Is(err, net.ErrClosed) {
				l.log.Error("rtmp server stopped", "err", err)
			}
		})
		l.log.Info("rtmp ingest listening", "rtmp", l.rtmpLn.Addr().String())
	}
	return nil
}

// close stops ingest first, so sessions end cleanly, then delivery.
func (l *liveStack) close() {
	if l.stopLoops != nil {
		l.stopLoops()
	}
	if l.stopRTMP != nil {
		l.stopRTMP()
	} else if l.rtmpLn != nil {
		l.rtmpLn.Close()
	}
	l.wg.Wait()
	l.hub.Close()
	l.webrtc.Close()
	l.transcode.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.hls.Close(ctx); err != nil {
		l.log.Warn("recordings not flushed", "err", err)
	}
	l.rooms.Close()
}

// publishHealth puts every live stream's health on the bus
// (room.{id}.health) so dashboards on any node can show it.
func (l *liveStack) publishHealth(ctx context.Context) {
	view := mediaView{hub: l.hub, hls: l.hls}
	tick := time.NewTicker(healthEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, s := range l.hub.Streams() {
			if s.Parent() != nil {
				continue
			}
			if h, ok := view.Health(s.RoomID); ok {
				l.events.Publish("room."+s.RoomID+".health", h)
			}
		}
	}
}

// renewPlacements keeps this node's streams findable by the other nodes.
func (l *liveStack) renewPlacements(ctx context.Context) {
	tick := time.NewTicker(renewEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var ids []string
		for _, s := range l.hub.Streams() {
			if s.Parent() == nil {
				ids = append(ids, s.RoomID)
			}
		}
		l.rooms.Renew(ctx, ids)
	}
}

// mediaView is the hub as the room service sees it, with HLS viewers
// (which only the HLS service can count) added to the health.
type mediaView struct {
	hub *media.Hub
	hls *hls.Service
}

func (m mediaView) Kick(roomID, reason string) { m.hub.Kick(roomID, reason) }

func (m mediaView) Health(roomID string) (media.Health, bool) {
	h, ok := m.hub.Health(roomID)
	if !ok {
		return h, false
	}
	if h.Viewers == nil {
		h.Viewers = map[media.Protocol]int{}
	}
	h.Viewers[media.HLS] = m.hlsViewers(roomID)
	return h, true
}

// hlsViewers counts a room's HLS viewers, renditions included.
func (m mediaView) hlsViewers(roomID string) int {
	n := m.hls.Viewers(roomID)
	for _, r := range m.hub.Renditions(roomID) {
		n += m.hls.Viewers(r.RoomID)
	}
	return n
}

// rtmpServerURL is what OBS calls "Server": rtmp://HOST:PORT/live, with
// the host users reach this node at.
func rtmpServerURL(publicURL, rtmpAddr string) (string, error) {
	if rtmpAddr == "" {
		return "", nil
	}
	u, err := url.Parse(publicURL)
	if err != nil {
		return "", usageError{fmt.Sprintf("--public-url: %v", err)}
	}
	_, port, err := net.SplitHostPort(rtmpAddr)
	if err != nil {
		return "", usageError{fmt.Sprintf("--rtmp %q: %v", rtmpAddr, err)}
	}
	return fmt.Sprintf("rtmp://%s/live", net.JoinHostPort(u.Hostname(), port)), nil
}
