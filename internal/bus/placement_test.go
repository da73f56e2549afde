package bus

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"
)

func TestPlacement(t *testing.T) {
	emb, err := StartEmbedded(EmbeddedConfig{StoreDir: t.TempDir(), Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Shutdown()
	ctx := context.Background()
	p, err := emb.Bus().Placement(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := p.Get(ctx, "ses_a"); ok || err != nil {
		t.Fatalf("unplaced room: ok %v err %v", ok, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(p.Put(ctx, "ses_a", "http://node-1"))
	if node, ok, err := p.Get(ctx, "ses_a"); !ok || err != nil || node != "http://node-1" {
		t.Fatalf("placed room: %q %v %v", node, ok, err)
	}
	// The publisher moved to node 2; node 1's late withdrawal leaves it.
	must(p.Put(ctx, "ses_a", "http://node-2"))
	must(p.Remove(ctx, "ses_a", "http://node-1"))
	if node, _, _ := p.Get(ctx, "ses_a"); node != "http://node-2" {
		t.Fatalf("node 1 removed node 2's placement: %q", node)
	}
	must(p.Remove(ctx, "ses_a", "http://node-2"))
	if _, ok, _ := p.Get(ctx, "ses_a"); ok {
		t.Fatalf("withdrawn placement still found")
	}
	must(p.Remove(ctx, "ses_never", "http://node-1")) // nothing to remove is fine
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Three clustered servers keeping three copies: a placement written
// before one server stops is still read after it, through the others.
func TestServerClusterKeepsPlacementsWhenAServerStops(t *testing.T) {
	dir := t.TempDir()
	var clients, routes [3]string
	for i := range 3 {
		clients[i], routes[i] = freeAddr(t), freeAddr(t)
	}
	var servers [3]*Server
	for i := range 3 {
		var others []string
		for j := range 3 {
			if j != i {
				others = append(others, "nats-route://"+routes[j])
			}
		}
		s, err := StartServer(ServerConfig{Name: fmt.Sprintf("s%d", i), Listen: clients[i], StoreDir: filepath.Join(dir, fmt.Sprint(i)),
			ClusterName: "test", ClusterListen: routes[i], Routes: others, Log: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		servers[i] = s
		defer s.Shutdown()
	}
	url := "nats://" + clients[0] + ",nats://" + clients[1] + ",nats://" + clients[2]
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var n *NATS
	var err error
	for { // the cluster elects its JetStream leader first
		n, err = ConnectConfig(ctx, Config{URL: url, Log: quietLog(), Stream: StreamConfig{Replicas: 3}})
		if err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	p, err := n.Placement(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Put(ctx, "ses_r3", "http://node-1"); err != nil {
		t.Fatal(err)
	}
	servers[0].Shutdown()
	for {
		try, cancelTry := context.WithTimeout(ctx, 2*time.Second) // a request lost in the failover is not waited for
		node, ok, err := p.Get(try, "ses_r3")
		cancelTry()
		if err == nil && ok && node == "http://node-1" {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("placement not readable after a server stopped: %q %v %v", node, ok, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
