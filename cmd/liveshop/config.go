package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// config is everything the flags set.
type config struct {
	HTTP            string
	Data            string
	DB              string
	PublicURL       string
	PaymentWindow   time.Duration
	SandboxSecret   string
	LogLevel        string
	LogFormat       string
	DebugHTTP       string
	WebhooksPrivate bool
	DBMaxConns      int

	// Live video.
	RTMP        string
	WebRTCUDP   string
	WebRTCIPs   string
	CDNBase     string
	ABR         bool
	LiveGrace   time.Duration
	FFmpeg      string
	DemoKey     string
	DemoPattern bool

	// Realtime room.
	NATS         string
	NATSListen   string
	NATSReplicas int
	// NodeURL is where the other nodes reach this one (media relay).
	NodeURL string

	// Follows and notifications (social.go).
	Social socialConfig

	// Rate limits, connection caps and timeouts (limits.go).
	Limits limitsConfig
}

// commonFlags defines the flags every server-side command shares.
func commonFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Data, "data", "./data", "data directory: the SQLite database, uploads and recordings")
	fs.StringVar(&c.DB, "db", "", "database: a SQLite file (default <data>/liveshop.db) or a postgres:// URL")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", 32, "PostgreSQL connections per node")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", "json", "log format: json or text")
}

func serveFlags(fs *flag.FlagSet, c *config) {
	commonFlags(fs, c)
	fs.StringVar(&c.HTTP, "http", ":8080", "HTTP listen address")
	fs.StringVar(&c.PublicURL, "public-url", "", "the URL users reach this server at (default http://localhost<http>)")
	fs.DurationVar(&c.PaymentWindow, "payment-window", 15*time.Minute, "how long an unpaid order holds its stock")
	fs.BoolVar(&c.WebhooksPrivate, "webhooks-allow-private", false, "let merchant webhooks reach loopback and private addresses (development and tests only)")
	fs.StringVar(&c.DebugHTTP, "debug-http", "", "listen address for Go profiling (/debug/pprof); off when empty, keep it private")
	fs.StringVar(&c.SandboxSecret, "sandbox-secret", "", "HMAC key of the sandbox payment provider (default: generated into <data>/sandbox.secret); all nodes must share it")
	fs.StringVar(&c.RTMP, "rtmp", ":1935", "RTMP ingest listen address (rtmp://HOST:PORT/live/{streamKey}); off when empty")
	fs.StringVar(&c.WebRTCUDP, "webrtc-udp", ":8189", "the one UDP address for all WebRTC media (WHIP and WHEP)")
	fs.StringVar(&c.WebRTCIPs, "webrtc-ips", "", "comma-separated public IPs to announce as WebRTC host candidates (behind NAT)")
	fs.StringVar(&c.CDNBase, "cdn-base", "", "base URL of a CDN in front of /live/{room}/cdn/ (rewrites segment URLs in the CDN playlist)")
	fs.BoolVar(&c.ABR, "abr", false, "transcode renditions (720p/480p/360p) for adaptive HLS; needs ffmpeg")
	fs.DurationVar(&c.LiveGrace, "live-grace", 30*time.Second, "how long a live session waits for its publisher to reconnect before it ends")
	fs.StringVar(&c.FFmpeg, "ffmpeg", "ffmpeg", "ffmpeg executable for audio transcoding, renditions and the demo stream")
	fs.StringVar(&c.NATS, "nats", "", "NATS server or cluster URL (nats://host:4222, JetStream on); empty runs NATS embedded in this process")
	fs.StringVar(&c.NATSListen, "nats-listen", "", "with embedded NATS: also listen on this address (e.g. 127.0.0.1:4222) so other nodes can use --nats")
	fs.IntVar(&c.NATSReplicas, "nats-replicas", 1, "copies JetStream keeps of liveshop's streams and buckets: 3 on a three-server cluster survives losing a server")
	fs.StringVar(&c.NodeURL, "node-url", "", "URL the other nodes reach this node at, for relaying its live streams (default --public-url)")
	fs.StringVar(&c.DemoKey, "demo-key", "", "demo: the stream key of the demo room (random when empty)")
	fs.BoolVar(&c.DemoPattern, "demo-stream", true, "demo: stream an ffmpeg test pattern into the demo room")
	socialFlags(fs, &c.Social)
	limitsFlags(fs, &c.Limits)
}

// parseFlags parses args, then fills every flag not given on the command
// line from its LIVESHOP_* environment variable.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
			os.Exit(0)
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		env := "LIVESHOP_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if serr := f.Value.Set(v); serr != nil {
				err = usageError{fmt.Sprintf("%s=%q: %v", env, v, serr)}
			}
		}
	})
	return err
}

// resolve fills defaults that depend on other flags and checks values.
func (c *config) resolve() error {
	if c.Data == "" {
		return usageError{"--data must not be empty"}
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.Data, "liveshop.db")
	}
	if c.PublicURL == "" && c.HTTP != "" {
		host := c.HTTP
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.PublicURL = "http://" + host
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		return usageError{fmt.Sprintf("--public-url %q must start with http:// or https://", c.PublicURL)}
	}
	if c.DBMaxConns < 1 || c.DBMaxConns > 1000 {
		return usageError{fmt.Sprintf("--db-max-conns %d must be between 1 and 1000", c.DBMaxConns)}
	}
	if c.PaymentWindow < 0 {
		return usageError{"--payment-window must be positive"}
	}
	if c.LiveGrace < 0 || c.LiveGrace > time.Hour {
		return usageError{fmt.Sprintf("--live-grace %s must be between 0 and 1h", c.LiveGrace)}
	}
	if c.CDNBase != "" && !strings.HasPrefix(c.CDNBase, "http://") && !strings.HasPrefix(c.CDNBase, "https://") {
		return usageError{fmt.Sprintf("--cdn-base %q must start with http:// or https://", c.CDNBase)}
	}
	c.CDNBase = strings.TrimRight(c.CDNBase, "/")
	if c.DemoKey != "" && (len(c.DemoKey) < 8 || len(c.DemoKey) > 128 || strings.ContainsAny(c.DemoKey, "/?#& ")) {
		return usageError{"--demo-key must be 8 to 128 characters without / ? # & or spaces"}
	}
	for _, ip := range splitList(c.WebRTCIPs) {
		if net.ParseIP(ip) == nil {
			return usageError{fmt.Sprintf("--webrtc-ips: %q is not an IP address", ip)}
		}
	}
	if c.NATS != "" && !strings.HasPrefix(c.NATS, "nats://") && !strings.HasPrefix(c.NATS, "tls://") {
		return usageError{fmt.Sprintf("--nats %q must start with nats:// or tls://", c.NATS)}
	}
	if c.NATS != "" && c.NATSListen != "" {
		return usageError{"--nats-listen only applies to embedded NATS; drop it or --nats"}
	}
	if c.NATSReplicas == 0 { // commands without the flag
		c.NATSReplicas = 1
	}
	if c.NATSReplicas < 1 || c.NATSReplicas > 5 {
		return usageError{fmt.Sprintf("--nats-replicas %d must be between 1 and 5", c.NATSReplicas)}
	}
	if c.NATSReplicas > 1 && c.NATS == "" {
		return usageError{"--nats-replicas above 1 needs a NATS cluster (--nats)"}
	}
	if c.NodeURL == "" {
		c.NodeURL = c.PublicURL
	}
	c.NodeURL = strings.TrimRight(c.NodeURL, "/")
	if c.NodeURL != "" && !strings.HasPrefix(c.NodeURL, "http://") && !strings.HasPrefix(c.NodeURL, "https://") {
		return usageError{fmt.Sprintf("--node-url %q must start with http:// or https://", c.NodeURL)}
	}
	if c.NATSListen != "" {
		if _, _, err := net.SplitHostPort(c.NATSListen); err != nil {
			return usageError{fmt.Sprintf("--nats-listen %q: %v", c.NATSListen, err)}
		}
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		return usageError{fmt.Sprintf("--log-format %q must be json or text", c.LogFormat)}
	}
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
