package main

import (
	"os"
	"strconv"
	"strings"
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

// usage is CPU and memory over a measured window.
type usage struct {
	window    time.Duration
	serverCPU float64 // server CPU seconds per wall second (1.0 = one core)
	serverRSS int64   // server RSS at the end of the window
	genCPU    float64 // this generator's CPU seconds per wall second
	udpDrops  int64   // UDP datagrams the kernel dropped at full sockets
}

// meter measures the server and this process between start and stop.
type meter struct {
	pid   int
	s0    procSample
	self0 time.Duration
	drops int64
}

func startMeter(pid int) (*meter, error) {
	s0, err := sampleProc(pid)
	if err != nil {
		return nil, err
	}
	return &meter{pid: pid, s0: s0, self0: selfCPU(), drops: udpRcvbufErrors()}, nil
}

func (m *meter) stop() (usage, error) {
	s1, err := sampleProc(m.pid)
	if err != nil {
		return usage{}, err
	}
	wall := s1.at.Sub(m.s0.at)
	return usage{
		window:    wall,
		serverCPU: (s1.cpu - m.s0.cpu).Seconds() / wall.Seconds(),
		serverRSS: s1.rss,
		genCPU:    (selfCPU() - m.self0).Seconds() / wall.Seconds(),
		udpDrops:  udpRcvbufErrors() - m.drops,
	}, nil
}

// udpRcvbufErrors is the kernel's count of UDP datagrams dropped because
// a socket's receive buffer was full (/proc/net/snmp), system-wide: on a
// quiet machine, the drops at the viewers' or the server's sockets.
func udpRcvbufErrors() int64 {
	b, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return -1
	}
	var head []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "Udp:" {
			continue
		}
		if head == nil {
			head = f
			continue
		}
		for i, h := range head {
			if h == "RcvbufErrors" && i < len(f) {
				n, _ := strconv.ParseInt(f[i], 10, 64)
				return n
			}
		}
	}
	return -1
}
