package main

import (
	"net/http"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// server is a `liveshop serve` on a data directory the caller owns.
type server struct{ *benchsrv.Server }

// bootServer starts the server on data, waiting for /readyz. The caller
// must call Stop.
func bootServer(bin, data string, extra []string, hc *http.Client) (*server, error) {
	s, err := benchsrv.Boot(bin, data, extra, hc)
	if err != nil {
		return nil, err
	}
	return &server{s}, nil
}
