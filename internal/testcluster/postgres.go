package testcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Postgres is a private PostgreSQL server on a loopback port, made with
// the machine's initdb, so a test can restart it (or kill it) under load
// without touching the machine's shared server.
type Postgres struct {
	Dir  string // data directory
	Port int
	bin  string // the directory of initdb and pg_ctl
	as   string // the user the server runs as ("" for the current one)
}

// PostgresBinDir finds the directory holding initdb and pg_ctl.
func PostgresBinDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) == 0 {
		return "", errors.New("testcluster: pg_ctl not found (install the postgresql package)")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// StartPostgres initialises a server in dir and starts it. PostgreSQL
// refuses to run as root, so as root the server runs as the postgres user.
func StartPostgres(dir string) (*Postgres, error) {
	bin, err := PostgresBinDir()
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	p := &Postgres{Dir: filepath.Join(dir, "pgdata"), Port: port, bin: bin}
	if os.Geteuid() == 0 {
		p.as = "postgres"
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("testcluster: running as root needs a postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.MkdirAll(p.Dir, 0o700); err != nil {
			return nil, err
		}
		// The server's user must reach its directory through every parent.
		for d := p.Dir; d != "/" && d != "."; d = filepath.Dir(d) {
			if strings.HasPrefix(d, os.TempDir()+"/") {
				os.Chmod(d, 0o755)
			}
		}
		os.Chmod(p.Dir, 0o700)
		if err := os.Chown(p.Dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if out, err := p.run("initdb", "-D", p.Dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"); err != nil {
		return nil, fmt.Errorf("testcluster: initdb: %w\n%s", err, out)
	}
	if err := p.Start(); err != nil {
		return nil, err
	}
	return p, nil
}

// run runs one of PostgreSQL's programs as the server's user.
func (p *Postgres) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(p.bin, prog)
	var cmd *exec.Cmd
	if p.as != "" {
		cmd = exec.Command("runuser", append([]string{"-u", p.as, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = "/"
	return cmd.CombinedOutput()
}

// runPath runs a client program found on PATH.
func (p *Postgres) runPath(prog string, args ...string) ([]byte, error) {
	return exec.Command(prog, args...).CombinedOutput()
}

// DSN is the URL of database name on this server.
func (p *Postgres) DSN(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.Port, name)
}

// Start starts the (stopped) server and waits until it takes connections.
func (p *Postgres) Start() error {
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=300", p.Port)
	if out, err := p.run("pg_ctl", "-D", p.Dir, "-o", opts, "-l", filepath.Join(p.Dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		return fmt.Errorf("testcluster: pg_ctl start: %w\n%s", err, out)
	}
	return nil
}

// Crash stops the server the way a crash or an operator's fast restart
// does: every connection is cut, nothing is waited for.
func (p *Postgres) Crash() error {
	if out, err := p.run("pg_ctl", "-D", p.Dir, "-m", "immediate", "-w", "stop"); err != nil {
		return fmt.Errorf("testcluster: pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// CreateDatabase makes a new empty database.
func (p *Postgres) CreateDatabase(name string) error {
	if out, err := p.runPath("psql", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-U", "postgres", "-d", "postgres",
		"-c", "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("testcluster: create database %s: %w\n%s", name, err, out)
	}
	return nil
}

// Close stops the server, waiting at most a few seconds.
func (p *Postgres) Close() {
	p.run("pg_ctl", "-D", p.Dir, "-m", "fast", "-t", "10", "-w", "stop")
}
