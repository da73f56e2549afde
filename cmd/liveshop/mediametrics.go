package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/liveshop/liveshop/internal/media"
)

// mediaCollector exports the health of this node's live streams on every
// /metrics scrape; a stream's numbers disappear with it.
type mediaCollector struct {
	hub     *media.Hub
	hlsSeen func(roomID string) int

	streams, bitrate, fps, keyInt, viewers *prometheus.Desc
}

func newMediaCollector(hub *media.Hub, hlsViewers func(string) int) *mediaCollector {
	room := []string{"room"}
	return &mediaCollector{hub: hub, hlsSeen: hlsViewers,
		streams: prometheus.NewDesc("liveshop_live_streams", "Live streams ingested by this node, by publisher protocol.", []string{"protocol"}, nil),
		bitrate: prometheus.NewDesc("liveshop_stream_bitrate_kbps", "Publisher bitrate over the last seconds.", room, nil),
		fps:     prometheus.NewDesc("liveshop_stream_fps", "Publisher video frames per second.", room, nil),
		keyInt:  prometheus.NewDesc("liveshop_stream_keyframe_interval_seconds", "Time between the publisher's last two keyframes.", room, nil),
		viewers: prometheus.NewDesc("liveshop_stream_viewers", "Viewers of a stream on this node, by protocol.", []string{"room", "protocol"}, nil),
	}
}

func (c *mediaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.streams, c.bitrate, c.fps, c.keyInt, c.viewers} {
		ch <- d
	}
}

func (c *mediaCollector) Collect(ch chan<- prometheus.Metric) {
	byProto := map[media.Protocol]int{media.RTMP: 0, media.WHIP: 0}
	for _, s := range c.hub.Streams() {
		if s.Parent() != nil {
			continue // a rendition is counted with its room
		}
		h := s.Health()
		byProto[h.Protocol]++
		ch <- prometheus.MustNewConstMetric(c.bitrate, prometheus.GaugeValue, float64(h.BitrateKbps), h.RoomID)
		ch <- prometheus.MustNewConstMetric(c.fps, prometheus.GaugeValue, h.FPS, h.RoomID)
		ch <- prometheus.MustNewConstMetric(c.keyInt, prometheus.GaugeValue, float64(h.KeyframeIntervalMS)/1000, h.RoomID)
		ch <- prometheus.MustNewConstMetric(c.viewers, prometheus.GaugeValue, float64(h.Viewers[media.WHEP]), h.RoomID, string(media.WHEP))
		hls := h.Viewers[media.HLS]
		if c.hlsSeen != nil {
			hls = c.hlsSeen(h.RoomID)
		}
		ch <- prometheus.MustNewConstMetric(c.viewers, prometheus.GaugeValue, float64(hls), h.RoomID, string(media.HLS))
	}
	for p, n := range byProto {
		ch <- prometheus.MustNewConstMetric(c.streams, prometheus.GaugeValue, float64(n), string(p))
	}
}
