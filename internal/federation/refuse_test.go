package federation_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/federation"
	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// nothingStored fails unless no remote status and no job of the sender exist.
func nothingStored(t *testing.T, in *servertest.Instance) {
	t.Helper()
	waitIdle(t, in)
	if n := count(t, in, `SELECT COUNT(*) FROM statuses WHERE local = FALSE`); n != 0 {
		t.Errorf("remote statuses stored = %d; want 0", n)
	}
	if n := count(t, in, `SELECT COUNT(*) FROM inbox_activities`); n != 0 {
		t.Errorf("activities remembered = %d; want 0", n)
	}
}

func TestInboxRefusesForgedDeliveries(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		remote := fedtest.NewRemote(t)
		alice, mallory := remote.Actor("alice"), remote.NewActor(t, "mallory")
		other := fedtest.NewRemote(t)
		wrongKey, err := httpsig.GenerateRSAKey()
		if err != nil {
			t.Fatal(err)
		}
		create := alice.Activity("Create", "/notes/1/activity", alice.Note("/notes/1", "hello"))
		spoofed := alice.Note("/notes/2", "spoofed")
		spoofed["id"] = other.URL + "/notes/2" // an object claimed for another server
		inbox := in.URL + "/inbox"
		cases := []struct {
			name string
			send func() *fedtest.Response
			want int
		}{
			{"unsigned", func() *fedtest.Response { return alice.PostWith(t, inbox, create, "", nil, time.Now()) }, 401},
			{"wrong key", func() *fedtest.Response { return alice.PostWith(t, inbox, create, alice.KeyID, wrongKey, time.Now()) }, 401},
			{"expired date", func() *fedtest.Response {
				return alice.PostWith(t, inbox, create, alice.KeyID, alice.Key, time.Now().Add(-13*time.Hour))
			}, 401},
			{"signed by another actor", func() *fedtest.Response { return mallory.Post(t, inbox, create) }, 401},
			{"spoofed object id", func() *fedtest.Response {
				return alice.Post(t, inbox, alice.Activity("Create", "/notes/2/activity", spoofed))
			}, 401},
			{"oversized body", func() *fedtest.Response {
				big := alice.Note("/notes/3", strings.Repeat("a", federation.MaxInboxBody))
				return alice.Post(t, inbox, alice.Activity("Create", "/notes/3/activity", big))
			}, 413},
		}
		for _, c := range cases {
			if resp := c.send(); resp.Status != c.want || !strings.Contains(resp.Body, `"error"`) {
				t.Errorf("%s: status %d %s; want %d with an error", c.name, resp.Status, resp.Body, c.want)
			}
		}
		nothingStored(t, in)
	})
}

func TestCreateReusingAnotherAuthorsStatusIDIsRefused(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		remote := fedtest.NewRemote(t)
		alice, mallory := remote.Actor("alice"), remote.NewActor(t, "mallory")
		deliver(t, in, alice, alice.Activity("Create", "/notes/1/activity", alice.Note("/notes/1", "original")))
		stolen := mallory.Note("/notes/1", "taken over") // same id, another author
		deliver(t, in, mallory, mallory.Activity("Create", "/notes/1/again", stolen))
		st, err := in.Store.StatusByURI(context.Background(), remote.URL+"/notes/1")
		if err != nil {
			t.Fatal(err)
		}
		author, _ := in.Store.AccountByID(context.Background(), st.AccountID)
		if author.Username != "alice" || !strings.Contains(st.Content, "original") {
			t.Errorf("status now by %s: %q; want alice's original", author.Username, st.Content)
		}
	})
}

func TestFetchRefusesUntrustedDocuments(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		remote, other := fedtest.NewRemote(t), fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		elsewhere := alice.Note("/notes/1", "claimed")
		elsewhere["id"] = other.URL + "/notes/1"
		remote.Serve("/notes/1", elsewhere)
		remote.ServeAs("/notes/2", alice.Note("/notes/2", "html"), "text/html")
		remote.Handle("/moved", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/notes/3", http.StatusFound) // served by other, id on remote
		})
		other.Serve("/notes/3", alice.Note("/notes/3", "moved"))
		cases := map[string]error{
			"/notes/1": federation.ErrOriginMismatch,
			"/notes/2": federation.ErrNotActivityPub,
			"/moved":   federation.ErrOriginMismatch,
		}
		for path, want := range cases {
			if _, err := in.Federation.FetchObject(context.Background(), remote.URL+path); !errors.Is(err, want) {
				t.Errorf("fetch %s: %v; want %v", path, err, want)
			}
		}
		if n := count(t, in, `SELECT COUNT(*) FROM statuses WHERE local = FALSE`); n != 0 {
			t.Errorf("remote statuses = %d; want 0", n)
		}
	})
}

func TestFetchGuardsAddresses(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Network.OutboundTimeout = 2 * time.Second // AllowedPrivate left empty: the guard is on
	})
	remote := fedtest.NewRemote(t)
	port := remote.Host[strings.LastIndexByte(remote.Host, ':'):]
	for _, host := range []string{"127.0.0.1", "[::ffff:127.0.0.1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[::]", "[::1]", "localhost"} {
		_, err := in.Federation.FetchObject(context.Background(), "http://"+host+port+"/users/alice")
		if !errors.Is(err, outbound.ErrForbiddenAddress) {
			t.Errorf("fetch via %s: %v; want the address refused", host, err)
		}
	}
	// A public-looking name that redirects to loopback is refused at the redirect: the
	// first hop here is itself on loopback only because tests have no other server.
	if _, err := in.Federation.FetchActor(context.Background(), remote.URL+"/users/alice"); !errors.Is(err, outbound.ErrForbiddenAddress) {
		t.Errorf("fetch actor on loopback: %v; want refused", err)
	}
	if n := count(t, in, `SELECT COUNT(*) FROM accounts WHERE domain <> ''`); n != 0 {
		t.Errorf("remote accounts = %d; want 0", n)
	}
}

func TestFetchRedirectToPrivateAddressIsRefused(t *testing.T) {
	t.Parallel()
	// Only 127.0.0.2 is allowed: the remote lives there, and redirects to 127.0.0.1.
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}
	})
	target := fedtest.NewRemote(t) // on 127.0.0.1
	redirector := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/users/alice", http.StatusFound)
	})}
	ln := listen(t, "127.0.0.2:0")
	go redirector.Serve(ln)
	t.Cleanup(func() { redirector.Close() })
	_, err := in.Federation.FetchObject(context.Background(), "http://"+ln.Addr().String()+"/users/alice")
	if !errors.Is(err, outbound.ErrForbiddenAddress) {
		t.Errorf("redirect to 127.0.0.1: %v; want refused", err)
	}
}

func TestFetchCutsSlowResponseAtDeadline(t *testing.T) {
	t.Parallel()
	in := start(t, store.SQLite, func(c *config.Config) { c.Network.OutboundTimeout = 2 * time.Second })
	remote := fedtest.NewRemote(t)
	remote.Handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", fedtest.ContentType)
		w.WriteHeader(200)
		for i := 0; i < 30; i++ {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	begun := time.Now()
	_, err := in.Federation.FetchObject(context.Background(), remote.URL+"/slow")
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "deadline") {
		t.Errorf("slow fetch: %v; want the deadline", err)
	}
	if took := time.Since(begun); took > 10*time.Second {
		t.Errorf("slow fetch took %v; want about the 2 s deadline", took)
	}
}

func TestInboxDropsSuspendedDomain(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		if _, err := in.Store.DB().Exec(`INSERT INTO domain_blocks (id, domain, severity, created_at) VALUES (1, '127.0.0.1', 'suspend', $1)`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		resp := alice.Post(t, in.URL+"/inbox", alice.Activity("Create", "/notes/1/activity", alice.Note("/notes/1", "hi")))
		if resp.Status != 202 {
			t.Errorf("status %d; want 202 (dropped quietly)", resp.Status)
		}
		nothingStored(t, in)
		if n := count(t, in, `SELECT COUNT(*) FROM accounts WHERE domain <> ''`); n != 0 {
			t.Errorf("remote accounts = %d; want 0 (nothing fetched from a suspended domain)", n)
		}
	})
}

func listen(t *testing.T, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	return ln
}
