package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is USER_HZ, the unit of /proc/PID/stat CPU times; 100 on
// every Linux architecture Go runs on.
const clockTick = 10 * time.Millisecond

// procSample is a process's CPU time and resident memory at one moment.
type procSample struct {
	at  time.Time
	cpu time.Duration // user + system
	rss int64         // bytes
}

// sampleProc reads pid's CPU time and RSS from /proc.
func sampleProc(pid int) (procSample, error) {
	s := procSample{at: time.Now()}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, fmt.Errorf("procstat: %w", err)
	}
	// The command name may hold spaces and parentheses; fields resume after the last ')'.
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return s, fmt.Errorf("procstat: malformed /proc/%d/stat", pid)
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return s, fmt.Errorf("procstat: short /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return s, fmt.Errorf("procstat: bad CPU times in /proc/%d/stat", pid)
	}
	s.cpu = time.Duration(ut+st) * clockTick
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("procstat: %w", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return s, fmt.Errorf("procstat: bad VmRSS %q", rest)
			}
			s.rss = kb << 10
		}
	}
	return s, nil
}

// selfCPU is this process's own CPU time, from getrusage.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
