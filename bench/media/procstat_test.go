package main

import (
	"os"
	"testing"
)

func TestSampleProcSelf(t *testing.T) {
	s, err := sampleProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.rss <= 0 {
		t.Fatalf("rss %d", s.rss)
	}
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i
	}
	_ = x
	s2, err := sampleProc(os.Getpid())
	if err != nil || s2.cpu < s.cpu {
		t.Fatalf("cpu went from %v to %v: %v", s.cpu, s2.cpu, err)
	}
	if selfCPU() <= 0 {
		t.Fatal("no self CPU")
	}
}
