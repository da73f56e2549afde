package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

func TestFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(c config) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(c config) bool {
			return c.HTTP == ":8080" && c.Data == "./data" && c.DB == "data/liveshop.db" && c.PublicURL == "http://localhost:8080"
		}, ""},
		{"env fills unset flags", nil, map[string]string{"LIVESHOP_HTTP": "127.0.0.1:9000", "LIVESHOP_PAYMENT_WINDOW": "5m"}, func(c config) bool {
			return c.HTTP == "127.0.0.1:9000" && c.PaymentWindow == 5*time.Minute && c.PublicURL == "http://127.0.0.1:9000"
		}, ""},
		{"flag beats env", []string{"--http", ":7000"}, map[string]string{"LIVESHOP_HTTP": ":9000"}, func(c config) bool { return c.HTTP == ":7000" }, ""},
		{"postgres url", []string{"--db", "postgres://db/liveshop"}, nil, func(c config) bool { return c.DB == "postgres://db/liveshop" }, ""},
		{"public url trimmed", []string{"--public-url", "https://shop.example.com/"}, nil, func(c config) bool { return c.PublicURL == "https://shop.example.com" }, ""},
		{"bad public url", []string{"--public-url", "shop.example.com"}, nil, nil, "--public-url"},
		{"bad env duration", nil, map[string]string{"LIVESHOP_PAYMENT_WINDOW": "soon"}, nil, "LIVESHOP_PAYMENT_WINDOW"},
		{"unknown flag", []string{"--colour", "red"}, nil, nil, "colour"},
		{"stray argument", []string{"extra"}, nil, nil, "extra"},
		{"bad log format", []string{"--log-format", "xml"}, nil, nil, "--log-format"},
		{"pool size from env", nil, map[string]string{"LIVESHOP_DB_MAX_CONNS": "8"}, func(c config) bool { return c.DBMaxConns == 8 }, ""},
		{"bad pool size", []string{"--db-max-conns", "0"}, nil, nil, "--db-max-conns"},
		{"live defaults", nil, nil, func(c config) bool {
			return c.RTMP == ":1935" && c.WebRTCUDP == ":8189" && c.LiveGrace == 30*time.Second && !c.ABR && c.DemoPattern
		}, ""},
		{"cdn base trimmed", []string{"--cdn-base", "https://cdn.example.com/"}, nil, func(c config) bool { return c.CDNBase == "https://cdn.example.com" }, ""},
		{"bad cdn base", []string{"--cdn-base", "cdn.example.com"}, nil, nil, "--cdn-base"},
		{"bad live grace", []string{"--live-grace", "-1s"}, nil, nil, "--live-grace"},
		{"bad demo key", []string{"--demo-key", "a/b"}, nil, nil, "--demo-key"},
		{"bad webrtc ip", []string{"--webrtc-ips", "1.2.3.4,nope"}, nil, nil, "--webrtc-ips"},
		{"bad nats url", []string{"--nats", "http://x"}, nil, nil, "--nats"},
		{"nats listen with external nats", []string{"--nats", "nats://a:4222", "--nats-listen", "127.0.0.1:4222"}, nil, nil, "--nats-listen"},
		{"bad nats listen", []string{"--nats-listen", "4222"}, nil, nil, "--nats-listen"},
		{"abr from env", nil, map[string]string{"LIVESHOP_ABR": "true"}, func(c config) bool { return c.ABR }, ""},
		{"cluster defaults", nil, nil, func(c config) bool { return c.NATSReplicas == 1 && c.NodeURL == "http://localhost:8080" }, ""},
		{"three replicas on a cluster", []string{"--nats", "nats://a:4222,nats://b:4222", "--nats-replicas", "3", "--node-url", "http://10.0.0.5:8080/"}, nil,
			func(c config) bool { return c.NATSReplicas == 3 && c.NodeURL == "http://10.0.0.5:8080" }, ""},
		{"replicas without a cluster", []string{"--nats-replicas", "3"}, nil, nil, "--nats-replicas"},
		{"too many replicas", []string{"--nats", "nats://a:4222", "--nats-replicas", "6"}, nil, nil, "--nats-replicas"},
		{"bad node url", []string{"--node-url", "10.0.0.5:8080"}, nil, nil, "--node-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var c config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			serveFlags(fs, &c)
			err := parseFlags(fs, tt.args)
			if err == nil {
				err = c.resolve()
			}
			if tt.wantErr != "" {
				var ue usageError
				if err == nil || !errors.As(err, &ue) || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a usage error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Fatalf("config = %+v", c)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestNATSCommandFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no name", []string{"--store", "/tmp/x"}, "--name"},
		{"no store", []string{"--name", "n1"}, "--store"},
		{"bad listen", []string{"--name", "n1", "--store", "/tmp/x", "--listen", "4222"}, "--listen"},
		{"bad cluster address", []string{"--name", "n1", "--store", "/tmp/x", "--cluster", "6222"}, "--cluster"},
		{"routes without cluster", []string{"--name", "n1", "--store", "/tmp/x", "--routes", "nats-route://a:6222"}, "--routes"},
		{"route not a URL", []string{"--name", "n1", "--store", "/tmp/x", "--cluster", "127.0.0.1:6222", "--routes", "a:6222"}, "--routes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := natsServer(t.Context(), tt.args)
			var ue usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a usage error naming %s", err, tt.want)
			}
		})
	}
}
