package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/procstat"
)

// ServeSpec says how to start the real binary against the benchmark's database.
type ServeSpec struct {
	Binary string   // the tusk executable
	Args   []string // settings after "serve" that select the same database
	Env    []string // the child's whole environment
}

// idleSettle is how long the started server idles before its memory is read.
const idleSettle = 3 * time.Second

// idleRSS starts "tusk serve" on a free loopback port, waits for /health to answer and
// idleSettle more, and returns the child's resident memory in MiB.
func idleRSS(ctx context.Context, spec ServeSpec) (float64, error) {
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	args := append([]string{"serve"}, spec.Args...)
	args = append(args, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--log-level", "warn")
	cmd := exec.Command(spec.Binary, args...)
	cmd.Env = spec.Env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("bench: start %s: %w", spec.Binary, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	kb, err := settledRSS(ctx, cmd.Process.Pid, port, exited)
	if stopErr := stop(cmd, exited); err == nil && stopErr != nil {
		err = stopErr
	}
	if err != nil {
		return 0, fmt.Errorf("%w\n%s", err, out.String()) // out is safe to read once the child has exited
	}
	return float64(kb) / 1024, nil
}

// settledRSS waits for the child to be healthy and idle, then reads its VmRSS in KiB.
func settledRSS(ctx context.Context, pid, port int, exited <-chan error) (int64, error) {
	if err := waitHealthy(ctx, port, exited); err != nil {
		return 0, err
	}
	select {
	case <-time.After(idleSettle):
	case err := <-exited:
		return 0, fmt.Errorf("bench: server exited while idle: %v", err)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return readRSS(pid)
}

// waitHealthy polls GET /health until it answers 200, for up to a minute.
func waitHealthy(ctx context.Context, port int, exited <-chan error) error {
	url := fmt.Sprintf("http://127.0.0.1:%d/health", port)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("bench: server exited before answering /health: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("bench: server did not answer /health within a minute")
}

// stop interrupts the child, as an operator would, and kills it if it lingers.
func stop(cmd *exec.Cmd, exited <-chan error) error {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		return nil // already gone; its exit was reported where it was noticed
	}
	select {
	case err := <-exited:
		return wrap(err, "bench: server shutdown")
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-exited
		return errors.New("bench: server ignored the interrupt; killed")
	}
}

// readRSS reads VmRSS (KiB) of process pid.
func readRSS(pid int) (int64, error) {
	rss, _, err := procstat.Memory(pid)
	if err != nil {
		return 0, fmt.Errorf("bench: read RSS: %w", err)
	}
	return rss, nil
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("bench: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
