package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/ipblock"
	"github.com/tuskhq/tusk/internal/store"
)

// addIPBlocks blocks addresses or networks. Adding one already blocked is reported and
// skipped, so a list can be imported twice.
func addIPBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	severity := fs.String("severity", ipblock.NoAccess, "no_access, sign_up_block or sign_up_requires_approval")
	comment := fs.String("comment", "", "note for the staff")
	duration := fs.Duration("duration", 0, "lift the block after this long (such as 720h); 0 keeps it")
	ips, err := positionals(fs, args, "IP or CIDR")
	if err != nil {
		return err
	}
	switch {
	case !ipblock.ValidSeverity(*severity):
		return fmt.Errorf("--severity %q is not one of no_access, sign_up_block, sign_up_requires_approval", *severity)
	case utf8.RuneCountInString(*comment) > maxBlockNote:
		return fmt.Errorf("--comment has at most %d characters", maxBlockNote)
	case *duration < 0:
		return errors.New("--duration cannot be negative")
	}
	var expires *time.Time
	if *duration > 0 {
		t := time.Now().UTC().Add(*duration)
		expires = &t
	}
	added := 0
	for _, raw := range ips {
		p, err := ipblock.ParseNetwork(raw)
		if err != nil {
			return err
		}
		b := &store.IPBlock{IP: p.String(), Severity: *severity, Comment: *comment, ExpiresAt: expires}
		if err := d.Store.Writer().InsertIPBlock(ctx, b); errors.Is(err, store.ErrConflict) {
			fmt.Fprintf(d.Out, "%s is already blocked; skipped\n", b.IP)
			continue
		} else if err != nil {
			return err
		}
		added++
	}
	fmt.Fprintf(d.Out, "OK: added %d block(s); running servers apply them within %s\n", added, ipblock.RefreshEvery)
	return nil
}

func removeIPBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	ips, err := positionals(fs, args, "IP or CIDR")
	if err != nil {
		return err
	}
	for _, raw := range ips {
		p, err := ipblock.ParseNetwork(raw)
		if err != nil {
			return err
		}
		if err := d.Store.Writer().DeleteIPBlock(ctx, p.String()); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s is not blocked (list shows the exact networks)", p)
		} else if err != nil {
			return err
		}
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

// ipBlockRow is one block in list's output.
type ipBlockRow struct {
	IP        string     `json:"ip"`
	Severity  string     `json:"severity"`
	Comment   string     `json:"comment"`
	ExpiresAt *time.Time `json:"expires_at"`
	CreatedAt time.Time  `json:"created_at"`
}

func listIPBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	blocks, err := d.Store.IPBlocks(ctx)
	if err != nil {
		return err
	}
	rows := make([]ipBlockRow, len(blocks))
	for i, b := range blocks {
		rows[i] = ipBlockRow{b.IP, b.Severity, b.Comment, b.ExpiresAt, b.CreatedAt.UTC()}
	}
	if *asJSON {
		return printJSON(d.Out, rows)
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IP\tSEVERITY\tEXPIRES\tCOMMENT")
	for _, r := range rows {
		expires := "never"
		if r.ExpiresAt != nil {
			expires = r.ExpiresAt.UTC().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.IP, r.Severity, expires, r.Comment)
	}
	return tw.Flush()
}

// exportIPBlocks prints the unexpired no_access blocks, one network a line, or as nginx
// deny rules, so they can be enforced in front of tusk too.
func exportIPBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	format := fs.String("format", "plain", "plain (one network a line) or nginx (deny rules)")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	if *format != "plain" && *format != "nginx" {
		return fmt.Errorf("--format %q is not plain or nginx", *format)
	}
	blocks, err := d.Store.IPBlocks(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, b := range blocks {
		if b.Severity != ipblock.NoAccess || (b.ExpiresAt != nil && !b.ExpiresAt.After(now)) {
			continue
		}
		if *format == "nginx" {
			fmt.Fprintf(d.Out, "deny %s;\n", b.IP)
		} else {
			fmt.Fprintln(d.Out, b.IP)
		}
	}
	return nil
}

// emailDomain normalises a domain typed by an admin.
func emailDomain(raw string) (string, error) {
	domain := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(raw, "@"))), ".")
	if domain == "" || len(domain) > maxDomainBytes || strings.ContainsAny(domain, "/ @:") || !strings.Contains(domain, ".") && domain != "localhost" {
		return "", fmt.Errorf("%q is not a domain", raw)
	}
	return domain, nil
}

func addEmailDomainBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	domains, err := positionals(fs, args, "DOMAIN")
	if err != nil {
		return err
	}
	added := 0
	for _, raw := range domains {
		domain, err := emailDomain(raw)
		if err != nil {
			return err
		}
		if err := d.Store.Writer().InsertEmailDomainBlock(ctx, domain); errors.Is(err, store.ErrConflict) {
			fmt.Fprintf(d.Out, "%s is already blocked; skipped\n", domain)
			continue
		} else if err != nil {
			return err
		}
		added++
	}
	fmt.Fprintf(d.Out, "OK: added %d block(s); they cover subdomains too\n", added)
	return nil
}

func removeEmailDomainBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	domains, err := positionals(fs, args, "DOMAIN")
	if err != nil {
		return err
	}
	for _, raw := range domains {
		domain, err := emailDomain(raw)
		if err != nil {
			return err
		}
		if err := d.Store.Writer().DeleteEmailDomainBlock(ctx, domain); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s is not blocked", domain)
		} else if err != nil {
			return err
		}
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

// emailBlockRow is one block in list's output.
type emailBlockRow struct {
	Domain    string    `json:"domain"`
	CreatedAt time.Time `json:"created_at"`
}

func listEmailDomainBlocks(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	blocks, err := d.Store.EmailDomainBlocks(ctx)
	if err != nil {
		return err
	}
	rows := make([]emailBlockRow, len(blocks))
	for i, b := range blocks {
		rows[i] = emailBlockRow{b.Domain, b.CreatedAt.UTC()}
	}
	if *asJSON {
		return printJSON(d.Out, rows)
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tCREATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r.Domain, r.CreatedAt.Format(time.DateTime))
	}
	return tw.Flush()
}
