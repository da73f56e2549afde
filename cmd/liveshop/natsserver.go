package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"

	"github.com/liveshop/liveshop/internal/bus"
)

// natsServer runs one member of a NATS cluster with JetStream (the real
// nats-server, linked in), for operators who want the whole platform from
// one binary: `liveshop nats` on three machines, then `liveshop serve
// --nats nats://a:4222,nats://b:4222,nats://c:4222 --nats-replicas 3`.
func natsServer(ctx context.Context, args []string) error {
	var c config
	var name, listen, store, clusterName, clusterListen, routes string
	fs := flag.NewFlagSet("nats", flag.ContinueOnError)
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", "json", "log format: json or text")
	fs.StringVar(&name, "name", "", "server name, unique within the cluster (required)")
	fs.StringVar(&listen, "listen", "127.0.0.1:4222", "client address (no authentication: keep it on a private network)")
	fs.StringVar(&store, "store", "", "JetStream directory (required)")
	fs.StringVar(&clusterName, "cluster-name", "liveshop", "cluster name, the same on every member")
	fs.StringVar(&clusterListen, "cluster", "", "route address for the other members, e.g. 10.0.0.5:6222; empty runs a single server")
	fs.StringVar(&routes, "routes", "", "comma-separated routes to the other members: nats-route://10.0.0.6:6222,…")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if name == "" {
		return usageError{"--name is required"}
	}
	if store == "" {
		return usageError{"--store is required"}
	}
	if _, _, err := net.SplitHostPort(listen); err != nil {
		return usageError{fmt.Sprintf("--listen %q: %v", listen, err)}
	}
	if clusterListen != "" {
		if _, _, err := net.SplitHostPort(clusterListen); err != nil {
			return usageError{fmt.Sprintf("--cluster %q: %v", clusterListen, err)}
		}
	}
	routeList := splitList(routes)
	if len(routeList) > 0 && clusterListen == "" {
		return usageError{"--routes needs --cluster"}
	}
	for _, r := range routeList {
		if !strings.HasPrefix(r, "nats-route://") && !strings.HasPrefix(r, "nats://") {
			return usageError{fmt.Sprintf("--routes: %q must look like nats-route://host:6222", r)}
		}
	}
	log, err := newLogger(&c)
	if err != nil {
		return err
	}
	srv, err := bus.StartServer(bus.ServerConfig{Name: name, Listen: listen, StoreDir: store,
		ClusterName: clusterName, ClusterListen: clusterListen, Routes: routeList, Log: log})
	if err != nil {
		return err
	}
	log.Info("nats server ready", "name", name, "client_url", srv.ClientURL(), "cluster", clusterListen)
	<-ctx.Done()
	log.Info("nats server stopping", "name", name)
	srv.Shutdown()
	return nil
}
