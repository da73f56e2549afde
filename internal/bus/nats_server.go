package bus

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerConfig configures a standalone NATS server with JetStream, one
// member of the cluster that liveshop nodes connect to with --nats. It is
// the real nats-server, run from the liveshop binary so that one binary is
// all an operator needs.
type ServerConfig struct {
	Name     string // unique within the cluster
	Listen   string // client address, "host:port"
	StoreDir string // JetStream files
	// Cluster settings; ClusterListen empty runs a single server.
	ClusterName   string
	ClusterListen string   // route address, "host:port"
	Routes        []string // nats-route://host:port of the other members
	Log           *slog.Logger
}

// Server is a running NATS server.
type Server struct{ srv *server.Server }

// StartServer starts the server and waits until it accepts clients. A
// clustered server accepts clients before the cluster has elected a
// JetStream leader; the clients' JetStream calls wait for that.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("bus: nats server: no store directory")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	host, port, err := splitListen(cfg.Listen)
	if err != nil {
		return nil, err
	}
	opts := &server.Options{
		ServerName: cfg.Name,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		NoSigs:     true,
	}
	if cfg.ClusterListen != "" {
		chost, cport, err := splitListen(cfg.ClusterListen)
		if err != nil {
			return nil, err
		}
		opts.Cluster = server.ClusterOpts{Name: cfg.ClusterName, Host: chost, Port: cport}
		for _, r := range cfg.Routes {
			u, err := url.Parse(r)
			if err != nil || u.Host == "" {
				return nil, fmt.Errorf("bus: nats server: route %q is not a URL like nats-route://host:6222", r)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	srv, err := runServer(opts, cfg.Log, "nats server")
	if err != nil {
		return nil, err
	}
	return &Server{srv: srv}, nil
}

// ClientURL is where clients connect.
func (s *Server) ClientURL() string { return s.srv.ClientURL() }

// Shutdown stops the server.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}
