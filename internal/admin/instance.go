package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// InstanceDeps is what the rules, domain-blocks and emoji commands work with.
type InstanceDeps struct {
	Store *store.Store
	Emoji *emoji.Importer
	Out   io.Writer
}

type instanceCommand = groupCommand[InstanceDeps]

func instanceGroups() map[string]map[string]instanceCommand {
	return map[string]map[string]instanceCommand{
		"rules": {
			"add":    {"add TEXT [--hint H]", addRule},
			"list":   {"list", listRules},
			"remove": {"remove ID", removeRule},
		},
		"domain-blocks": {
			"add":    {"add DOMAIN [--severity silence|suspend|noop] [--public-comment C] [--private-comment C] [--obfuscate]", addDomainBlock},
			"list":   {"list", listDomainBlocks},
			"remove": {"remove DOMAIN", removeDomainBlock},
		},
		"emoji": {
			"import": {"import PATH [--category C] [--prefix P] [--suffix S] [--overwrite] [--unlisted]", importEmoji},
			"list":   {"list", listEmoji},
			"remove": {"remove SHORTCODE", removeEmoji},
			"export": {"export FILE.tar.gz", exportEmoji},
			"purge":  {"purge [--remote-only] [--json]", purgeEmoji},
		},
	}
}

// IsInstanceGroup reports whether group is one of the instance command groups.
func IsInstanceGroup(group string) bool { _, ok := instanceGroups()[group]; return ok }

// Instance runs one command of the rules, domain-blocks or emoji group.
func Instance(ctx context.Context, d InstanceDeps, group string, args []string) error {
	return dispatchGroup(ctx, d.Out, group, instanceGroups()[group], d, args)
}

// Limits on what admins type, so the API never serves an unbounded string.
const (
	maxRuleText    = 300
	maxRuleHint    = 1000
	maxBlockNote   = 1000
	maxDomainBytes = 253
)

func addRule(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	hint := fs.String("hint", "", "longer explanation of the rule")
	text, err := positional(fs, args, "TEXT")
	if err != nil {
		return err
	}
	if n := utf8.RuneCountInString(text); n > maxRuleText || utf8.RuneCountInString(*hint) > maxRuleHint {
		return fmt.Errorf("a rule has at most %d characters and its hint %d", maxRuleText, maxRuleHint)
	}
	r := &model.Rule{Text: strings.TrimSpace(text), Hint: strings.TrimSpace(*hint)}
	if err := d.Store.Writer().InsertRule(ctx, r); err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "OK: rule %s\n", id.Format(r.ID))
	return nil
}

func listRules(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	if _, err := parseArgs(fs, args, false); err != nil {
		return err
	}
	rules, err := d.Store.Rules(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tTEXT\tHINT")
	for _, r := range rules {
		fmt.Fprintf(w, "%s\t%s\t%s\n", id.Format(r.ID), r.Text, r.Hint)
	}
	return w.Flush()
}

func removeRule(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	raw, err := positional(fs, args, "ID")
	if err != nil {
		return err
	}
	ruleID, ok := id.Parse(raw)
	if !ok {
		return fmt.Errorf("%q is not a rule id", raw)
	}
	if err := d.Store.Writer().DeleteRule(ctx, ruleID); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no rule %s", raw)
	} else if err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

func addDomainBlock(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	severity := fs.String("severity", model.SeveritySuspend, "silence, suspend or noop")
	public := fs.String("public-comment", "", "reason shown to those who may see the block list")
	private := fs.String("private-comment", "", "note for the staff only")
	obfuscate := fs.Bool("obfuscate", false, "show the domain partly starred in the public list")
	domain, err := positional(fs, args, "DOMAIN")
	if err != nil {
		return err
	}
	domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	switch {
	case domain == "" || len(domain) > maxDomainBytes || strings.ContainsAny(domain, "/ @:"):
		return fmt.Errorf("%q is not a domain", domain)
	case *severity != model.SeveritySilence && *severity != model.SeveritySuspend && *severity != model.SeverityNoop:
		return fmt.Errorf("--severity %q is not one of silence, suspend, noop", *severity)
	case utf8.RuneCountInString(*public) > maxBlockNote || utf8.RuneCountInString(*private) > maxBlockNote:
		return fmt.Errorf("comments have at most %d characters", maxBlockNote)
	}
	b := &model.DomainBlock{Domain: domain, Severity: *severity, PublicComment: *public, PrivateComment: *private, Obfuscate: *obfuscate}
	if err := d.Store.Writer().ServerInsertDomainBlock(ctx, b); errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%s is already blocked (remove the block first to change it)", domain)
	} else if err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

func listDomainBlocks(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	if _, err := parseArgs(fs, args, false); err != nil {
		return err
	}
	blocks, err := d.Store.ServerDomainBlocks(ctx, true)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DOMAIN\tSEVERITY\tOBFUSCATE\tPUBLIC COMMENT\tPRIVATE COMMENT")
	for _, b := range blocks {
		fmt.Fprintf(w, "%s\t%s\t%v\t%s\t%s\n", b.Domain, b.Severity, b.Obfuscate, b.PublicComment, b.PrivateComment)
	}
	return w.Flush()
}

func removeDomainBlock(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	domain, err := positional(fs, args, "DOMAIN")
	if err != nil {
		return err
	}
	if err := d.Store.Writer().ServerDeleteDomainBlock(ctx, strings.ToLower(domain)); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s is not blocked", domain)
	} else if err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

func importEmoji(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	var o emoji.Options
	fs.StringVar(&o.Category, "category", "", "category the emoji are listed under")
	fs.StringVar(&o.Prefix, "prefix", "", "added before each file name to make its shortcode")
	fs.StringVar(&o.Suffix, "suffix", "", "added after each file name to make its shortcode")
	fs.BoolVar(&o.Overwrite, "overwrite", false, "replace emoji whose shortcode exists")
	fs.BoolVar(&o.Unlisted, "unlisted", false, "keep the emoji out of the picker")
	path, err := positional(fs, args, "PATH")
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(o.Category) > 100 {
		return errors.New("--category has at most 100 characters")
	}
	res, err := d.Emoji.Import(ctx, path, o)
	if res != nil {
		for name, why := range res.Skipped {
			fmt.Fprintf(d.Out, "skipped %s: %s\n", name, why)
		}
		fmt.Fprintf(d.Out, "Imported %d, skipped %d\n", len(res.Imported), len(res.Skipped))
	}
	return err
}

func listEmoji(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	if _, err := parseArgs(fs, args, false); err != nil {
		return err
	}
	list, err := d.Store.LocalEmojis(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SHORTCODE\tCATEGORY\tIN PICKER\tFILE")
	for _, e := range list {
		fmt.Fprintf(w, ":%s:\t%s\t%v\t%s\n", e.Shortcode, e.Category, e.VisibleInPicker, e.File)
	}
	return w.Flush()
}

func removeEmoji(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	code, err := positional(fs, args, "SHORTCODE")
	if err != nil {
		return err
	}
	if err := d.Emoji.Remove(ctx, strings.Trim(code, ":")); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no emoji :%s:", strings.Trim(code, ":"))
	} else if err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}
