package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/fedtest"
)

// checkWorkerDelivers has a fake remote follow alice through a signed Follow to the
// proxy (so a web process takes it in), then posts through a web process: the Accept
// and the post's Create must reach the fake inbox, and each delivery's connection must
// belong to a worker process.
//
// All processes share loopback, so the sender is found from the connection itself:
// while the fake inbox handles a delivery, the sender's socket is still open, and
// /proc says which process holds it. That holds whatever queue the delivery went
// through (River's push jobs or delivery's own table), unlike River's attempted_by.
func checkWorkerDelivers(t *testing.T, rr *roundRobin, token string, workers []*proc, others ...*proc) {
	all := append(append([]*proc{}, workers...), others...)
	remote := fedtest.NewRemote(t)
	inbox := remote.RecordInbox(func(r *http.Request) string { return senderRole(r, remote, all) })
	actor := remote.Actor("alice")
	followID := "/follows/scale-out"
	localAlice := rr.URL + "/users/alice"
	if resp := actor.Post(t, rr.URL+"/users/alice/inbox", actor.Activity("Follow", followID, localAlice)); resp.Status != http.StatusAccepted {
		t.Fatalf("the remote Follow of alice = %d %s; want 202", resp.Status, resp.Body)
	}
	accept := waitDelivery(t, inbox, "Accept", remote.URL+followID)
	resp, status := postForm(t, rr.URL, token, "/api/v1/statuses", url.Values{"status": {"delivered by a worker"}, "visibility": {"public"}})
	if web := resp.Header.Get("X-Test-Backend"); web == "" {
		t.Fatal("the post was not answered by a web process")
	}
	create := waitDelivery(t, inbox, "Create", status["uri"].(string))
	for _, d := range []fedtest.Delivery{accept, create} {
		switch d.Tag {
		case "worker":
		case "not linux":
			t.Logf("the %s arrived; which process sent it is found through /proc, on Linux only", d.Type)
		default:
			t.Errorf("the %s was delivered by %s; want a worker process", d.Type, d.Tag)
		}
	}
}

func waitDelivery(t *testing.T, inbox *fedtest.Inbox, typ, object string) fedtest.Delivery {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if d, ok := inbox.Find(typ, object); ok {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s of %s reached the fake inbox in 30s; it got %d deliveries", typ, object, len(inbox.Received()))
		}
	}
}

// senderRole names the role of the process that holds the client end of r's
// connection, or says why it cannot tell.
func senderRole(r *http.Request, remote *fedtest.Remote, procs []*proc) string {
	if runtime.GOOS != "linux" {
		return "not linux"
	}
	inode, err := clientSocketInode(r.RemoteAddr, remote.Host)
	if err != nil {
		return err.Error()
	}
	for _, p := range procs {
		if holdsSocket(p.pid(), inode) {
			return p.role
		}
	}
	return fmt.Sprintf("no tusk process (socket %s of %s)", inode, r.RemoteAddr)
}

// clientSocketInode finds, in /proc/net/tcp, the socket whose local end is client and
// whose remote end is server: the sender's side of the connection.
func clientSocketInode(client, server string) (string, error) {
	local, err := procNetAddr(client)
	if err != nil {
		return "", err
	}
	remote, err := procNetAddr(server)
	if err != nil {
		return "", err
	}
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return "", fmt.Errorf("read sockets: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
		fields := strings.Fields(sc.Text())
		if len(fields) > 9 && fields[1] == local && fields[2] == remote {
			return fields[9], nil
		}
	}
	return "", fmt.Errorf("no socket %s → %s in /proc/net/tcp", client, server)
}

// procNetAddr writes an IPv4 address as /proc/net/tcp does: the address as a
// little-endian 32-bit hex number, then the port in hex.
func procNetAddr(hostport string) (string, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", err
	}
	ip := net.ParseIP(host).To4()
	n, err := strconv.Atoi(port)
	if ip == nil || err != nil {
		return "", fmt.Errorf("%s is not an IPv4 address", hostport)
	}
	return fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], n), nil
}

// holdsSocket reports whether one of the process's file descriptors is the socket.
func holdsSocket(pid int, inode string) bool {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	want := "socket:[" + inode + "]"
	for _, e := range entries {
		if link, err := os.Readlink(dir + "/" + e.Name()); err == nil && link == want {
			return true
		}
	}
	return false
}
