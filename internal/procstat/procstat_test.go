package procstat

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestReadsThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	before := SelfCPU()
	for end := time.Now().Add(30 * time.Millisecond); time.Now().Before(end); {
	}
	if after := SelfCPU(); after <= before {
		t.Errorf("SelfCPU did not grow over 30 ms of spinning: %v then %v", before, after)
	}
	rss, peak, err := Memory(0)
	if err != nil || rss <= 0 || peak < rss {
		t.Errorf("Memory(0) = %d, %d, %v; want 0 < rss <= peak", rss, peak, err)
	}
	if _, _, err := Memory(os.Getpid()); err != nil {
		t.Errorf("Memory(own pid): %v", err)
	}
	comm, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	// This process by its name and a word of its command line; spinning more first so
	// its CPU is at least one clock tick.
	for end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); {
	}
	if cpu := CPUOf(strings.TrimSpace(string(comm)), "-test."); cpu <= 0 {
		t.Errorf("CPUOf(this test binary) = %v; want its CPU", cpu)
	}
	if cpu := CPUOf(strings.TrimSpace(string(comm)), "no such title\x01"); cpu != 0 {
		t.Errorf("CPUOf with a title nobody has = %v; want 0", cpu)
	}
}
