package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
)

// privatePG is a PostgreSQL server of the test's own, which it may stop and start: the
// machine's shared server on 5432 serves other tests and is never touched.
type privatePG struct {
	t    *testing.T
	bin  string // the folder holding pg_ctl
	dir  string
	port int
	cred *syscall.Credential // run as the postgres user when the test runs as root
}

// startPrivatePG runs initdb and starts a server on a free loopback port, or skips the
// test with the reason it cannot.
func startPrivatePG(t *testing.T) *privatePG {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("dependency fault test skipped: no initdb under /usr/lib/postgresql/*/bin (install the PostgreSQL server package)")
	}
	sort.Strings(bins)
	pg := &privatePG{t: t, bin: filepath.Dir(bins[len(bins)-1]), port: freePort(t)}
	dir, err := os.MkdirTemp("", "tusk-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 { // initdb refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("dependency fault test skipped: running as root and there is no postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := pg.command("initdb", "-D", pg.data(), "-U", "postgres", "-A", "trust", "--no-sync").CombinedOutput(); err != nil {
		t.Skipf("dependency fault test skipped: initdb failed: %v\n%s", err, out)
	}
	pg.start()
	t.Cleanup(func() { pg.command("pg_ctl", "-D", pg.data(), "-m", "immediate", "stop").Run() })
	return pg
}

func (pg *privatePG) data() string { return filepath.Join(pg.dir, "data") }

// URL is the server's postgres database.
func (pg *privatePG) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

func (pg *privatePG) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(pg.bin, name), args...)
	cmd.Dir = pg.dir
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	return cmd
}

// start starts the server and waits until it accepts connections.
func (pg *privatePG) start() {
	pg.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", pg.port, pg.dir)
	out, err := pg.command("pg_ctl", "-D", pg.data(), "-l", filepath.Join(pg.dir, "log"), "-o", opts, "-w", "start").CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "log"))
		pg.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// stop shuts the server down as an admin would (fast: connections are closed).
func (pg *privatePG) stop() {
	pg.t.Helper()
	if out, err := pg.command("pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "stop").CombinedOutput(); err != nil {
		pg.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}
