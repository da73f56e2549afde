package feed

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkRank ranks 10,000 live and 1,000 upcoming rooms for a viewer
// following 1,000 hosts: the CPU part of a feed request.
func BenchmarkRank(b *testing.B) {
	var rooms []Room
	v := Viewer{Key: "u:bench", Hosts: map[string]bool{}, Categories: map[string]Affinity{"food": {Views: 30}, "fashion": {Views: 5}}, Region: "Jilin"}
	for i := range 11_000 {
		started := t0.Add(-time.Duration(i) * time.Second)
		r := Room{ID: fmt.Sprintf("ses_%05d", i), Status: StatusLive, ShopID: fmt.Sprintf("shp_%04d", i/10), HostID: fmt.Sprintf("usr_%05d", i),
			Category: []string{"food", "fashion", "tech"}[i%3], Region: []string{"Jilin", "Hebei"}[i%2], PlannedStart: started, StartedAt: &started,
			Viewers: int64(1 + 10_000/(1+i%2000)), Likes: int64(i % 5000), Views: int64(i % 20000), PaidOrders: int64(i % 50), HostFollowers: int64(i % 100), HostSessions: 1}
		if i >= 10_000 {
			r.Status, r.StartedAt, r.PlannedStart = StatusScheduled, nil, t0.Add(time.Duration(i)*time.Minute)
		}
		if i%10 == 0 {
			v.Hosts[r.HostID] = true
		}
		rooms = append(rooms, r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := Rank(v, rooms, t0, 30); len(got.Items) != 30 {
			b.Fatal(len(got.Items))
		}
	}
}
