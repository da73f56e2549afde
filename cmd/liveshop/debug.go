package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
)

// serveDebug exposes Go's profiler on its own listener, never on the public one.
func serveDebug(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	log.Info("profiling listener", "addr", addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		log.Error("profiling listener stopped", "err", err)
	}
}
