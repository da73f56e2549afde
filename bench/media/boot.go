package main

import (
	"net/http"
	"os"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// server is a fresh `liveshop serve` on a data directory of its own,
// removed when it stops.
type server struct {
	*benchsrv.Server
	data string
}

// bootServer creates an admin account and starts the server, waiting for
// /readyz. The caller must call stop.
func bootServer(bin string, extra []string, hc *http.Client) (*server, error) {
	data, err := benchsrv.NewDataDir(bin, "liveshop-bench-media")
	if err != nil {
		return nil, err
	}
	s, err := benchsrv.Boot(bin, data, append([]string{"--live-grace", "5s"}, extra...), hc)
	if err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	return &server{Server: s, data: data}, nil
}

// stop stops the server and removes its data directory.
func (s *server) stop() {
	s.Stop()
	os.RemoveAll(s.data)
}
