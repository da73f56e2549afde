package benchsrv

import (
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	stat := "1234 (liveshop (x)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 100 0 0"
	got, err := ParseStatCPU(stat)
	if err != nil || got != 3*time.Second {
		t.Errorf("ParseStatCPU = %s, %v; want 3s", got, err)
	}
	if _, err := ParseStatCPU("1234 (x) S 1"); err == nil {
		t.Error("a short stat line parsed")
	}
}

func TestSampleProc(t *testing.T) {
	s, err := SampleProc(os.Getpid())
	if err != nil || s.RSS <= 0 || s.CPU < 0 {
		t.Fatalf("SampleProc = %+v, %v", s, err)
	}
	if SelfCPU() <= 0 {
		t.Fatal("SelfCPU is zero")
	}
}
