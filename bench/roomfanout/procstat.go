package main

import (
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/liveshop/liveshop/bench/internal/benchsrv"
)

// procSample is a process's CPU time and resident memory at one moment.
type procSample struct {
	at  time.Time
	cpu time.Duration // user + system
	rss int64         // bytes
}

// sampleProc reads pid's CPU time and RSS from /proc.
func sampleProc(pid int) (procSample, error) {
	x, err := benchsrv.SampleProc(pid)
	return procSample{at: x.At, cpu: x.CPU, rss: x.RSS}, err
}

// selfCPU is this process's own CPU time.
func selfCPU() time.Duration { return benchsrv.SelfCPU() }

// raiseFileLimit lifts RLIMIT_NOFILE to want (or as far as allowed) for
// this process and the server it starts, which inherits it. It returns
// the soft limit in force afterwards.
func raiseFileLimit(want uint64) uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0
	}
	if lim.Cur >= want {
		return lim.Cur
	}
	// Raising the hard limit needs CAP_SYS_RESOURCE; without it, settle
	// for the hard limit.
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: want, Max: max(want, lim.Max)}); err == nil {
		return want
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: lim.Max, Max: lim.Max}); err == nil {
		return lim.Max
	}
	return lim.Cur
}

// loadAvg is the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
