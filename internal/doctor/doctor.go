// Package doctor checks an installation the way an admin would by hand: configuration,
// database, media storage, mail, ffmpeg, the open-file limit and Redis, and says for
// each what is wrong and how to fix it.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/config"
)

// Status is a check's verdict.
type Status string

// Verdicts: OK needs nothing, WARN works but deserves attention, FAIL stops tusk from
// working as configured.
const (
	OK   Status = "OK"
	Warn Status = "WARN"
	Fail Status = "FAIL"
)

// Result is one check's outcome.
type Result struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail"`        // what was found
	Fix    string `json:"fix,omitempty"` // what to do, unless OK
}

// checkTimeout bounds each check that talks to a server.
const checkTimeout = 5 * time.Second

// Check is one of the doctor's examinations.
type Check struct {
	Name string
	Run  func(ctx context.Context, cfg config.Config) Result
}

// Checks are every check, in the order they are shown.
func Checks() []Check {
	return []Check{
		{"configuration", checkConfig},
		{"database", checkDatabase},
		{"storage", checkStorage},
		{"smtp", checkSMTP},
		{"ffmpeg", checkFFmpeg},
		{"open files", checkOpenFiles},
		{"redis", checkRedis},
	}
}

// Run runs the checks one after another, each with its own timeout.
func Run(ctx context.Context, cfg config.Config, checks []Check) []Result {
	out := make([]Result, 0, len(checks))
	for _, c := range checks {
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		r := c.Run(cctx, cfg)
		cancel()
		r.Check = c.Name
		out = append(out, r)
	}
	return out
}

// Failed reports whether any result is a FAIL.
func Failed(results []Result) bool {
	for _, r := range results {
		if r.Status == Fail {
			return true
		}
	}
	return false
}

// WriteText prints one line per check and, under a problem, how to fix it.
func WriteText(w io.Writer, results []Result) error {
	var b strings.Builder
	for _, r := range results {
		fmt.Fprintf(&b, "%-4s  %-13s %s\n", r.Status, r.Check, r.Detail)
		if r.Fix != "" {
			fmt.Fprintf(&b, "      %-13s fix: %s\n", "", r.Fix)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the results as one JSON array.
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

func ok(detail string) Result { return Result{Status: OK, Detail: detail} }

func warn(detail, fix string) Result { return Result{Status: Warn, Detail: detail, Fix: fix} }

func fail(detail, fix string) Result { return Result{Status: Fail, Detail: detail, Fix: fix} }
