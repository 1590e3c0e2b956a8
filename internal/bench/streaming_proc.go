package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// clockTicks is Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat: fixed
// at 100 for user space whatever the kernel's own tick rate.
const clockTicks = 100

// procSample is a process's resident memory and CPU time at one moment.
type procSample struct {
	at    time.Time
	rssKB int64
	cpu   time.Duration // user + system
}

// sampleProc reads pid's memory and CPU time from /proc.
func sampleProc(pid int) (procSample, error) {
	rss, err := readRSS(pid)
	if err != nil {
		return procSample{}, err
	}
	cpu, err := readCPU(pid)
	if err != nil {
		return procSample{}, err
	}
	return procSample{at: time.Now(), rssKB: rss, cpu: cpu}, nil
}

// readCPU is utime + stime of pid, fields 14 and 15 of /proc/PID/stat. The fields are
// counted after the command name's closing parenthesis, as the name may hold spaces.
func readCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: read CPU time: %w", err)
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, fmt.Errorf("bench: /proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(data[i+1:])) // fields[0] is field 3, the state
	if len(fields) < 13 {
		return 0, fmt.Errorf("bench: /proc/%d/stat: %d fields", pid, len(fields)+2)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bench: /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// cpuShare is the CPU time used between two samples as a fraction of one core.
func cpuShare(from, to procSample) float64 {
	wall := to.at.Sub(from.at)
	if wall <= 0 {
		return 0
	}
	return float64(to.cpu-from.cpu) / float64(wall)
}

// child is a "tusk serve" started for the benchmark.
type child struct {
	cmd    *exec.Cmd
	port   int
	out    bytes.Buffer
	exited chan error
}

// startServe starts spec's binary on a free loopback port, with rate limits off (the
// benchmark is one client opening thousands of connections), and waits for /health.
func startServe(ctx context.Context, spec ServeSpec) (*child, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve"}, spec.Args...)
	args = append(args, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--log-level", "warn", "--rate-limits", "false")
	c := &child{cmd: exec.Command(spec.Binary, args...), port: port, exited: make(chan error, 1)}
	c.cmd.Env = spec.Env
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start %s: %w", spec.Binary, err)
	}
	go func() { c.exited <- c.cmd.Wait() }()
	if err := waitHealthy(ctx, port, c.exited); err != nil {
		c.stop()
		return nil, fmt.Errorf("%w\n%s", err, c.out.String())
	}
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// alive reports an error when the server has exited.
func (c *child) alive() error {
	select {
	case err := <-c.exited:
		c.exited <- err
		return fmt.Errorf("bench: the server exited: %v\n%s", err, c.out.String())
	default:
		return nil
	}
}

// stop interrupts the server and waits for it, killing it if it lingers.
func (c *child) stop() error {
	if err := c.alive(); err != nil {
		return nil // it already stopped, and that was reported where it was noticed
	}
	return stop(c.cmd, c.exited)
}
