package federation_test

import (
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuMeter reads the CPU time this process and the machine's PostgreSQL server have
// used, so a benchmark can report CPU per activity: a figure that other work on the
// machine disturbs far less than throughput.
type cpuMeter struct{ self, postgres time.Duration }

func readCPU() cpuMeter { return cpuMeter{self: selfCPU(), postgres: postgresCPU()} }

// postgresCPU is the CPU time of the server's backends connected to the test database
// (their titles name it), so that other users of the same server are not counted.
func postgresCPU() time.Duration {
	u, err := url.Parse(os.Getenv("TUSK_TEST_DATABASE_URL"))
	if err != nil || u.Path == "" {
		return 0
	}
	return processCPU("postgres", " "+strings.TrimPrefix(u.Path, "/")+" ")
}

func (m cpuMeter) since(start cpuMeter) cpuMeter {
	return cpuMeter{self: m.self - start.self, postgres: m.postgres - start.postgres}
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU adds up user and system time of the live processes named name whose
// command line contains title, from /proc (Linux; elsewhere 0). A server's connections
// are processes kept by the pool for the whole run, so little is lost with the ones
// that exit.
func processCPU(name, title string) time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range stats {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(data)
		open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || closing < open || s[open+1:closing] != name {
			continue
		}
		if cmd, err := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline")); err != nil || !strings.Contains(string(cmd), title) {
			continue
		}
		fields := strings.Fields(s[closing+1:])
		if len(fields) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		ticks += utime + stime
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// profileTimed starts a CPU profile into $TUSK_BENCH_CPUPROFILE.<bench name> when that
// is set, and returns what stops it.
func profileTimed(b *testing.B) func() {
	path := os.Getenv("TUSK_BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path + "." + filepath.Base(b.Name()))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
