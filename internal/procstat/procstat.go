// Package procstat reads what benchmarks report of processes: CPU time and resident
// memory, from getrusage and Linux's /proc (elsewhere the /proc readings fail or are 0).
package procstat

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// SelfCPU is the CPU this process has used, user and system.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Memory reads a process's resident and peak resident memory in KiB (VmRSS and VmHWM
// of /proc/PID/status); pid 0 is this process.
func Memory(pid int) (rss, peak int64, err error) {
	dir := "self"
	if pid != 0 {
		dir = strconv.Itoa(pid)
	}
	f, err := os.Open(filepath.Join("/proc", dir, "status"))
	if err != nil {
		return 0, 0, fmt.Errorf("procstat: %w", err)
	}
	defer f.Close()
	found := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			continue
		}
		if name == "VmRSS" {
			rss, found = kb, true
		} else {
			peak = kb
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("procstat: no VmRSS in /proc/%s/status", dir)
	}
	return rss, peak, sc.Err()
}

// CPUOf adds up user and system time of the live processes named name whose command
// line contains title: a server's connections, say, which its title names. Processes
// that exited are not counted.
func CPUOf(name, title string) time.Duration {
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
