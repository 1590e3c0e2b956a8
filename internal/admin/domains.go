package admin

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/tuskhq/tusk/internal/store"
)

// purgeResult is what purge did for one domain.
type purgeResult struct {
	Domain   string `json:"domain"`
	Accounts int64  `json:"accounts"`
	Emoji    int64  `json:"emoji"`
	DryRun   bool   `json:"dry_run"`
}

// purgeDomains deletes every account of the remote domains and, with them, their posts,
// media rows, follows and reactions, in batches. Run again, it finds nothing to do; an
// interrupted run continues where it stopped.
func purgeDomains(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	dry := fs.Bool("dry-run", false, "count what would be deleted; delete nothing")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	raw, err := positionals(fs, args, "DOMAIN")
	if err != nil {
		return err
	}
	var results []purgeResult
	for _, r := range raw {
		domain, err := remoteDomain(d, r)
		if err != nil {
			return err
		}
		res, err := purgeDomain(ctx, d, domain, *dry)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	if *asJSON {
		return printJSON(d.Out, results)
	}
	for _, r := range results {
		verb := "Removed"
		if r.DryRun {
			verb = "Would remove"
		}
		fmt.Fprintf(d.Out, "%s: %s %d accounts (with their posts and media) and %d emoji\n", r.Domain, verb, r.Accounts, r.Emoji)
	}
	return nil
}

// remoteDomain normalises a domain and refuses the instance's own.
func remoteDomain(d OpsDeps, raw string) (string, error) {
	domain := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(raw)), ".")
	if domain == "" || len(domain) > maxDomainBytes || strings.ContainsAny(domain, "/ @") {
		return "", fmt.Errorf("%q is not a domain", raw)
	}
	if domain == strings.ToLower(d.Config.LocalDomain) || domain == strings.ToLower(d.Config.WebDomain) {
		return "", fmt.Errorf("%s is this instance's own domain; use \"accounts delete\" for local accounts", domain)
	}
	return domain, nil
}

func purgeDomain(ctx context.Context, d OpsDeps, domain string, dry bool) (purgeResult, error) {
	res := purgeResult{Domain: domain, DryRun: dry}
	total, err := d.Store.CountDomainAccounts(ctx, domain)
	if err != nil || dry {
		res.Accounts = total
		return res, err
	}
	bar := d.newBar(total, "purging "+domain)
	defer bar.Finish()
	for {
		ids, err := d.Store.DomainAccountIDs(ctx, domain, purgeBatch)
		if err != nil {
			return res, err
		}
		if len(ids) == 0 {
			break
		}
		if err := d.Store.Tx(ctx, func(q store.Q) error { return q.DeleteRemoteAccounts(ctx, ids) }); err != nil {
			return res, err
		}
		res.Accounts += int64(len(ids))
		_ = bar.Set64(res.Accounts)
	}
	res.Emoji, err = d.Store.Writer().DeleteDomainEmojis(ctx, domain)
	return res, err
}
