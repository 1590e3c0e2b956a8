package fedsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
	"golang.org/x/crypto/bcrypt"
)

// Instance is a whole tusk on a loopback port, over the benchmark's store, working
// every job queue but push: inbox processing (ingress), fetches (pull) and the rest
// run as in production, while delivery is run by the simulation, phase by phase, so
// that the backlog can be queued before it starts. Its domain is 127.0.0.1:PORT and
// its URLs are http://: tusk accepts a port in LOCAL_DOMAIN and, without TLS, talks
// to its peers over http, so no privileged port is needed.
type Instance struct {
	Server *server.Server
	URL    string // http://127.0.0.1:PORT

	dataDir string
	app     *model.App
	client  *http.Client
	cancel  context.CancelFunc
	serving sync.WaitGroup
}

// queuesButPush are the queues the instance works; push is delivery's.
var queuesButPush = func() string {
	var qs []string
	for _, q := range config.JobQueues {
		if q != "push" {
			qs = append(qs, q)
		}
	}
	return strings.Join(qs, ",")
}()

// StartInstance starts tusk on st, which must be migrated (River's tables are added
// here). timeout is its outbound time-out.
func StartInstance(ctx context.Context, st *store.Store, timeout time.Duration, log *slog.Logger) (*Instance, error) {
	if _, err := jobs.Migrate(ctx, st); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fedsim: listen: %w", err)
	}
	in := &Instance{URL: "http://" + ln.Addr().String(), client: &http.Client{Timeout: time.Minute}}
	if in.dataDir, err = os.MkdirTemp("", "tusk-fedsim-"); err != nil {
		ln.Close()
		return nil, fmt.Errorf("fedsim: %w", err)
	}
	if err := in.start(ctx, st, ln, timeout, log); err != nil {
		ln.Close()
		in.Close()
		return nil, err
	}
	return in, nil
}

func (in *Instance) start(ctx context.Context, st *store.Store, ln net.Listener, timeout time.Duration, log *slog.Logger) error {
	env := map[string]string{"LOCAL_DOMAIN": ln.Addr().String(), "TUSK_DATA_DIR": in.dataDir,
		"ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/8", "TUSK_WORKER_QUEUES": queuesButPush}
	cfg, err := config.Load(flag.NewFlagSet("fedsim", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	if err != nil {
		return fmt.Errorf("fedsim: instance settings: %w", err)
	}
	cfg.Network.OutboundTimeout = timeout
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if in.Server, err = server.New(cfg, log, st); err != nil {
		return err
	}
	in.Server.Accounts.PasswordCost = bcrypt.MinCost // nobody signs in with the posters' passwords
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	in.cancel = cancel
	in.serving.Go(func() { in.Server.Serve(runCtx, ln) })
	return in.Server.StartJobs(runCtx)
}

// Close stops the instance (not its store, which is the caller's).
func (in *Instance) Close() error {
	var err error
	if in.cancel != nil {
		err = in.Server.StopJobs(5 * time.Second)
		in.cancel()
		in.serving.Wait()
	}
	return errors.Join(err, os.RemoveAll(in.dataDir))
}

// Poster is a local account posting through the client API with its own token.
type Poster struct {
	in      *Instance
	Account *model.Account
	token   string
}

// NewPoster creates a confirmed, approved local account and a token for it.
func (in *Instance) NewPoster(ctx context.Context, username string) (*Poster, error) {
	acc, u, err := in.Server.Accounts.Create(ctx, accounts.CreateParams{Username: username,
		Email: username + "@fedsim.invalid", Password: "simulated fediverse poster", Confirmed: true, Approved: true})
	if err != nil {
		return nil, fmt.Errorf("fedsim: create %s: %w", username, err)
	}
	if in.app == nil {
		app := &model.App{Name: "fedsim", RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"},
			Scopes: []string{"read", "write"}, ClientID: "fedsim-client", ClientSecret: "fedsim-secret"}
		if err := in.Server.Store.Writer().InsertApp(ctx, app); err != nil {
			return nil, fmt.Errorf("fedsim: app: %w", err)
		}
		in.app = app
	}
	token, _, _, err := in.Server.OAuth.IssueToken(ctx, in.app.ID, &u.ID, []string{"read", "write"})
	if err != nil {
		return nil, fmt.Errorf("fedsim: token for %s: %w", username, err)
	}
	return &Poster{in: in, Account: acc, token: token}, nil
}

// ActorURL is the poster's ActivityPub id.
func (p *Poster) ActorURL() string { return p.in.URL + "/users/" + p.Account.Username }

// Post publishes a public status through POST /api/v1/statuses and returns its URI.
func (p *Poster) Post(ctx context.Context, text string) (string, error) {
	var status struct{ URI string }
	err := p.call(ctx, http.MethodPost, "/api/v1/statuses", map[string]string{"status": text, "visibility": "public"}, &status)
	if err == nil && status.URI == "" {
		err = errors.New("fedsim: the posted status has no uri")
	}
	return status.URI, err
}

// Followers is the poster's followers count as the client API shows it.
func (p *Poster) Followers(ctx context.Context) (int, error) {
	var acc struct {
		FollowersCount int `json:"followers_count"`
	}
	err := p.call(ctx, http.MethodGet, "/api/v1/accounts/"+strconv.FormatInt(p.Account.ID, 10), nil, &acc)
	return acc.FollowersCount, err
}

// call sends a client API request with the poster's token and decodes the answer.
func (p *Poster) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.in.URL+path, rd)
	if err != nil {
		return fmt.Errorf("fedsim: %s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := p.in.client.Do(req)
	if err != nil {
		return fmt.Errorf("fedsim: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("fedsim: %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fedsim: %s %s: %s: %s", method, path, resp.Status, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("fedsim: %s %s: %w", method, path, err)
	}
	return nil
}
