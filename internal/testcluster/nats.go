package testcluster

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSCluster is a NATS cluster with JetStream, each member a `liveshop
// nats` process with routes to the others on loopback.
type NATSCluster struct {
	bin     string
	Members []*NATSMember
}

// NATSMember is one server of the cluster.
type NATSMember struct {
	Name       string
	ClientPort int
	RoutePort  int
	Store      string
	routes     []string
	proc       *Process
}

// ClientURL is where clients reach this member.
func (m *NATSMember) ClientURL() string { return fmt.Sprintf("nats://127.0.0.1:%d", m.ClientPort) }

// StartNATS starts an n-server cluster under dir and waits until its
// JetStream answers.
func StartNATS(bin, dir string, n int) (*NATSCluster, error) {
	c := &NATSCluster{bin: bin}
	for i := range n {
		cp, err := FreePort()
		if err != nil {
			return nil, err
		}
		rp, err := FreePort()
		if err != nil {
			return nil, err
		}
		c.Members = append(c.Members, &NATSMember{Name: fmt.Sprintf("n%d", i+1), ClientPort: cp, RoutePort: rp,
			Store: filepath.Join(dir, fmt.Sprintf("nats-%d", i+1))})
	}
	for _, m := range c.Members {
		for _, o := range c.Members {
			if o != m {
				m.routes = append(m.routes, fmt.Sprintf("nats-route://127.0.0.1:%d", o.RoutePort))
			}
		}
	}
	for i := range c.Members {
		if err := c.Restart(i); err != nil {
			c.Close()
			return nil, err
		}
	}
	if err := c.WaitJetStream(60 * time.Second); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// URLs is the --nats value naming every member.
func (c *NATSCluster) URLs() string {
	var urls []string
	for _, m := range c.Members {
		urls = append(urls, m.ClientURL())
	}
	return strings.Join(urls, ",")
}

// Restart starts member i (again), with its ports and store.
func (c *NATSCluster) Restart(i int) error {
	m := c.Members[i]
	p, err := Start(c.bin, "nats", "--name", m.Name, "--listen", fmt.Sprintf("127.0.0.1:%d", m.ClientPort),
		"--store", m.Store, "--cluster", fmt.Sprintf("127.0.0.1:%d", m.RoutePort), "--routes", strings.Join(m.routes, ","),
		"--log-level", "warn")
	if err != nil {
		return err
	}
	m.proc = p
	deadline := time.Now().Add(15 * time.Second)
	for {
		nc, err := nats.Connect(m.ClientURL(), nats.Timeout(time.Second), nats.NoReconnect())
		if err == nil {
			nc.Close()
			return nil
		}
		if done, exitErr := p.Exited(); done {
			return fmt.Errorf("testcluster: nats %s exited: %v\n%s", m.Name, exitErr, p.Logs())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("testcluster: nats %s not accepting clients after 15s\n%s", m.Name, p.Logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Kill kills member i with SIGKILL.
func (c *NATSCluster) Kill(i int) { c.Members[i].proc.Kill() }

// Logs is what member i printed.
func (c *NATSCluster) Logs(i int) string { return c.Members[i].proc.Logs() }

// WaitJetStream waits until the cluster's JetStream has a leader and
// takes requests.
func (c *NATSCluster) WaitJetStream(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		nc, err := nats.Connect(c.URLs(), nats.Timeout(time.Second))
		if err == nil {
			js, jerr := jetstream.New(nc)
			if jerr == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				_, err = js.AccountInfo(ctx)
				cancel()
			} else {
				err = jerr
			}
			nc.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	return errors.Join(fmt.Errorf("testcluster: jetstream not ready after %s", limit), last)
}

// Close stops every member that still runs.
func (c *NATSCluster) Close() {
	for _, m := range c.Members {
		if m.proc != nil {
			m.proc.Stop(10 * time.Second)
		}
	}
}
