package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// EmbeddedConfig configures the NATS server run inside the process.
type EmbeddedConfig struct {
	// StoreDir is JetStream's directory (<data>/nats). Room events live in
	// memory; the server still needs it for its own state.
	StoreDir string
	// Listen is "host:port" for other nodes to connect to ("127.0.0.1:0"
	// picks a free port); "" accepts in-process connections only.
	// There is no authentication: listen on a private interface.
	Listen string
	Log    *slog.Logger
	Stream StreamConfig // zero value: the production stream
}

// Embedded is a NATS server with JetStream running in this process, and the
// bus connected to it.
type Embedded struct {
	srv *server.Server
	bus *NATS
}

// StartEmbedded starts the server, waits until it accepts connections and
// connects the bus to it in process (no socket).
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("bus: embedded nats: no store directory")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	opts := &server.Options{
		ServerName: "liveshop",
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		NoSigs:     true, // the process owns its signals
		DontListen: cfg.Listen == "",
	}
	if cfg.Listen != "" {
		host, port, err := splitListen(cfg.Listen)
		if err != nil {
			return nil, err
		}
		opts.Host, opts.Port = host, port
	}
	srv, err := runServer(opts, cfg.Log, "embedded nats")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := dial(ctx, Config{URL: "", Stream: cfg.Stream, Log: cfg.Log}, nats.InProcessServer(srv))
	if err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, err
	}
	e := &Embedded{srv: srv, bus: b}
	cfg.Log.Info("bus: embedded nats ready", "listen", e.ClientURL(), "store", cfg.StoreDir)
	return e, nil
}

// runServer starts a NATS server and waits until it accepts clients.
func runServer(opts *server.Options, log *slog.Logger, what string) (*server.Server, error) {
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("bus: %s: %w", what, err)
	}
	srv.SetLoggerV2(serverLog{log}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("bus: %s: not ready after 10s", what)
	}
	return srv, nil
}

// splitListen turns "host:port" into server options; port 0 means any.
func splitListen(listen string) (string, int, error) {
	host, portText, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, fmt.Errorf("bus: embedded nats: listen address %q: %w", listen, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("bus: embedded nats: listen address %q: bad port", listen)
	}
	if port == 0 {
		port = server.RANDOM_PORT // the server reads 0 as "the default 4222"
	}
	if host == "" {
		host = "0.0.0.0"
	}
	return host, port, nil
}

// Bus is the bus connected to this server.
func (e *Embedded) Bus() *NATS { return e.bus }

// ClientURL is where other nodes connect ("" when not listening).
func (e *Embedded) ClientURL() string {
	if e.srv.Addr() == nil {
		return ""
	}
	return e.srv.ClientURL()
}

// Shutdown drains the bus, then stops the server.
func (e *Embedded) Shutdown() error {
	err := e.bus.Close()
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	return err
}

// serverLog sends the server's log to slog. Its notices (a banner at every
// start) go to debug; warnings and errors stay visible.
type serverLog struct{ log *slog.Logger }

func (l serverLog) at(level slog.Level, format string, v []any) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, "nats: "+fmt.Sprintf(format, v...))
	}
}

func (l serverLog) Noticef(format string, v ...any) { l.at(slog.LevelDebug, format, v) }
func (l serverLog) Warnf(format string, v ...any)   { l.at(slog.LevelWarn, format, v) }
func (l serverLog) Fatalf(format string, v ...any)  { l.at(slog.LevelError, format, v) }
func (l serverLog) Errorf(format string, v ...any)  { l.at(slog.LevelError, format, v) }
func (l serverLog) Debugf(format string, v ...any)  { l.at(slog.LevelDebug, format, v) }
func (l serverLog) Tracef(format string, v ...any)  { l.at(slog.LevelDebug, format, v) }
