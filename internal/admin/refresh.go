package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// ActorRefresher fetches a remote actor's document again and stores what it says
// (federation.Service does).
type ActorRefresher interface {
	RefreshActor(ctx context.Context, uri string) (*model.Account, error)
}

// refreshFailure is one account refresh could not fetch.
type refreshFailure struct {
	uri string
	err error
}

// refresh fetches remote profiles again: names, avatars, keys and the rest, from each
// account's own server. Accounts whose server fails are reported; the others go on.
func refresh(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	all := fs.Bool("all", false, "refresh every remote account")
	domain := fs.String("domain", "", "refresh every account of this domain")
	concurrency := fs.Int("concurrency", 5, "how many accounts to fetch at once (1-32)")
	handle, err := parseOptionalUsername(fs, args)
	if err != nil {
		return err
	}
	if n := btoi(*all) + btoi(*domain != "") + btoi(handle != ""); n != 1 {
		return errors.New("give one of USER@DOMAIN, --domain D or --all")
	}
	if *concurrency < 1 || *concurrency > 32 {
		return errors.New("--concurrency must be between 1 and 32")
	}
	if d.Refresher == nil {
		return errors.New("federation is not available")
	}
	if handle != "" {
		return refreshOne(ctx, d, handle)
	}
	scope := strings.ToLower(*domain)
	total, err := d.Store.CountRemoteAccounts(ctx, scope)
	if err != nil {
		return err
	}
	bar := progressbar.DefaultSilent(total)
	if d.Progress != nil {
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(d.Progress), progressbar.OptionSetDescription("refreshing"),
			progressbar.OptionShowCount(), progressbar.OptionOnCompletion(func() { fmt.Fprintln(d.Progress) }))
	}
	done, failed, err := refreshAll(ctx, d, scope, *concurrency, func() { _ = bar.Add(1) })
	_ = bar.Finish()
	for _, f := range failed {
		fmt.Fprintf(d.Out, "failed %s: %v\n", f.uri, f.err)
	}
	fmt.Fprintf(d.Out, "Refreshed %d accounts, %d failed\n", done, len(failed))
	return err
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func refreshOne(ctx context.Context, d Deps, handle string) error {
	user, host, ok := strings.Cut(strings.TrimPrefix(handle, "@"), "@")
	if !ok || user == "" || host == "" {
		return fmt.Errorf("%q is not USER@DOMAIN (local accounts need no refresh)", handle)
	}
	a, err := d.Store.AccountByHandle(ctx, user, strings.ToLower(host))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no known account %s", handle)
	}
	if err != nil {
		return err
	}
	if _, err := d.Refresher.RefreshActor(ctx, a.URI); err != nil {
		return fmt.Errorf("fetch %s: %w", a.URI, err)
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

// refreshAll pages through the accounts and fetches each page with at most limit
// requests in flight.
func refreshAll(ctx context.Context, d Deps, domain string, limit int, tick func()) (int, []refreshFailure, error) {
	var failed []refreshFailure
	var mu sync.Mutex
	done := 0
	for after := int64(0); ; {
		page, err := d.Store.RemoteAccountRefs(ctx, domain, after, 100)
		if err != nil || len(page) == 0 {
			return done, failed, err
		}
		sem := make(chan struct{}, limit)
		var wg sync.WaitGroup
		for _, ref := range page {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				_, err := d.Refresher.RefreshActor(ctx, ref.URI)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed = append(failed, refreshFailure{ref.URI, err})
				} else {
					done++
				}
				tick()
			}()
		}
		wg.Wait()
		after = page[len(page)-1].ID
	}
}
