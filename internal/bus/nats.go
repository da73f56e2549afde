package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamConfig describes the JetStream stream that keeps room events. The
// zero value means the production stream; tests use their own name and
// prefix so runs against a shared server cannot collide.
type StreamConfig struct {
	Name          string        // default "LIVESHOP_ROOMS"
	SubjectPrefix string        // default "room": the stream keeps "<prefix>.*.events"
	MaxPerSubject int64         // default 2000 messages per subject
	MaxAge        time.Duration // default 15 minutes
	Replicas      int           // default 1; 3 on a clustered server for fault tolerance
}

// DefaultStreamName is the stream keeping room events.
const DefaultStreamName = "LIVESHOP_ROOMS"

func (c StreamConfig) withDefaults() StreamConfig {
	if c.Name == "" {
		c.Name = DefaultStreamName
	}
	if c.SubjectPrefix == "" {
		c.SubjectPrefix = DefaultSubjectPrefix
	}
	if c.MaxPerSubject == 0 {
		c.MaxPerSubject = DefaultKeepPerSubject
	}
	if c.MaxAge == 0 {
		c.MaxAge = 15 * time.Minute
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	return c
}

// Config configures a connection to NATS.
type Config struct {
	// URL of the server; several comma-separated URLs for a cluster.
	URL    string
	Stream StreamConfig
	Log    *slog.Logger
	// Name identifies the connection in the server's monitoring; default "liveshop".
	Name string
	// Timeout bounds each request to the server (JetStream acks, replays);
	// default 5 s.
	Timeout time.Duration
}

// NATS is the Bus over NATS: core NATS for plain subjects, JetStream for
// stream subjects so that every node sees every room event in the same
// order with the same sequence number.
//
// Lifecycle: Connect (or StartEmbedded) creates or updates the stream; the
// bus is then used concurrently; Close drains pending messages and closes
// the connection.
type NATS struct {
	log     *slog.Logger
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	cfg     StreamConfig
	pattern []string // tokens of the stream subjects
	timeout time.Duration
	closed  chan struct{}

	closeOnce sync.Once
	closeErr  error

	kvMu    sync.Mutex
	kv      jetstream.KeyValue // the lease bucket, made on first use
	durable *Durable           // the analytics stream, made on first PublishDurable
}

// Connect connects to an external NATS server or cluster (JetStream must
// be enabled) and creates or updates the LIVESHOP_ROOMS stream.
func Connect(ctx context.Context, url string, log *slog.Logger) (*NATS, error) {
	return ConnectConfig(ctx, Config{URL: url, Log: log})
}

// ConnectConfig is Connect with every setting.
func ConnectConfig(ctx context.Context, cfg Config) (*NATS, error) {
	if cfg.URL == "" {
		return nil, errors.New("bus: nats: no server URL")
	}
	return dial(ctx, cfg)
}

// dial connects with cfg plus extra options (the in-process connection of
// the embedded server) and makes sure the stream exists.
func dial(ctx context.Context, cfg Config, extra ...nats.Option) (*NATS, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Name == "" {
		cfg.Name = "liveshop"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	n := &NATS{
		log:     cfg.Log,
		cfg:     cfg.Stream.withDefaults(),
		timeout: cfg.Timeout,
		closed:  make(chan struct{}),
	}
	n.pattern = streamPattern(n.cfg.SubjectPrefix)
	log := cfg.Log
	opts := append([]nats.Option{
		nats.Name(cfg.Name),
		nats.Timeout(cfg.Timeout),
		nats.MaxReconnects(-1), // a node keeps trying; the cluster may be restarting
		nats.ReconnectWait(500 * time.Millisecond),
		nats.DrainTimeout(10 * time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("bus: nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) {
			log.Info("bus: nats reconnected", "server", c.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("bus: nats async error", "subject", subject, "err", err)
		}),
		nats.ClosedHandler(func(*nats.Conn) { close(n.closed) }),
	}, extra...)
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("bus: nats: connect %s: %w", redactURL(cfg.URL), err)
	}
	n.nc = nc
	if err := n.ensureStreamPatiently(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return n, nil
}

// formingFor bounds how long a connecting node waits for a cluster that is
// still forming: a member starting alongside the others may not yet have
// the peers that a replicated stream needs ("no suitable peers for
// placement"), or a JetStream leader at all.
const formingFor = 60 * time.Second

// ensureStreamPatiently retries ensureStream while the cluster forms.
func (n *NATS) ensureStreamPatiently(ctx context.Context) error {
	deadline := time.Now().Add(formingFor)
	for wait := 200 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		err := n.ensureStream(ctx)
		if err == nil || time.Now().Add(wait).After(deadline) {
			return err
		}
		n.log.Warn("bus: nats: JetStream not ready yet; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// ensureStream creates the stream, or updates it to this configuration when
// it already exists (another node or an older version created it).
func (n *NATS) ensureStream(ctx context.Context) error {
	js, err := jetstream.New(n.nc, jetstream.WithDefaultTimeout(n.timeout))
	if err != nil {
		return fmt.Errorf("bus: nats: jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*n.timeout)
	defer cancel()
	s, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:              n.cfg.Name,
		Description:       "liveshop room events, kept for replay after a reconnect",
		Subjects:          []string{strings.Join(n.pattern, ".")},
		Storage:           jetstream.MemoryStorage,
		Retention:         jetstream.LimitsPolicy,
		Discard:           jetstream.DiscardOld,
		MaxMsgsPerSubject: n.cfg.MaxPerSubject,
		MaxAge:            n.cfg.MaxAge,
		Replicas:          n.cfg.Replicas,
		AllowDirect:       true,
	})
	if err != nil {
		return fmt.Errorf("bus: nats: create or update stream %s: %w", n.cfg.Name, err)
	}
	n.js, n.stream = js, s
	return nil
}

// Publish sends payload; on a stream subject it waits (bounded) for the
// JetStream ack. Failures are logged: callers that must know use PublishCtx.
func (n *NATS) Publish(subject string, payload any) {
	ctx, cancel := context.WithTimeout(context.Background(), n.timeout)
	defer cancel()
	if _, err := n.PublishCtx(ctx, subject, payload); err != nil {
		n.log.Error("bus: publish", "subject", subject, "err", err)
	}
}

// PublishCtx sends payload and returns its stream sequence (0 on a core
// subject, where success only means the message left for the server).
func (n *NATS) PublishCtx(ctx context.Context, subject string, payload any) (uint64, error) {
	if err := validSubject(subject); err != nil {
		return 0, err
	}
	data, err := encode(payload)
	if err != nil {
		return 0, err
	}
	if !n.isStreamSubject(subject) {
		if err := n.nc.Publish(subject, data); err != nil {
			return 0, fmt.Errorf("bus: nats: publish %s: %w", subject, err)
		}
		return 0, nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.timeout)
		defer cancel()
	}
	ack, err := n.js.Publish(ctx, subject, data, jetstream.WithExpectStream(n.cfg.Name))
	if err != nil {
		return 0, fmt.Errorf("bus: nats: publish %s: %w", subject, err)
	}
	return ack.Sequence, nil
}

func (n *NATS) isStreamSubject(subject string) bool {
	return Match(n.pattern, strings.Split(subject, "."))
}

// Close drains subscriptions and pending publishes, then closes the
// connection. It is safe to call more than once.
func (n *NATS) Close() error {
	n.closeOnce.Do(func() {
		if err := n.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			n.closeErr = fmt.Errorf("bus: nats: drain: %w", err)
			n.nc.Close()
		}
		select {
		case <-n.closed:
		case <-time.After(15 * time.Second):
			n.nc.Close()
		}
	})
	return n.closeErr
}

// redactURL hides credentials in a server URL before it reaches a log.
func redactURL(u string) string {
	if at := strings.LastIndexByte(u, '@'); at >= 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			return u[:scheme+3] + "***" + u[at:]
		}
		return "***" + u[at:]
	}
	return u
}

var _ Bus = (*NATS)(nil)

// Ping checks the connection with a round trip to the server, for
// readiness: a node cut off from NATS cannot serve rooms or flash sales.
func (n *NATS) Ping(ctx context.Context) error {
	if err := n.nc.FlushWithContext(ctx); err != nil {
		return fmt.Errorf("bus: nats: ping: %w", err)
	}
	return nil
}
