package admin

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/jobs"
)

// QueueDeps is what the queues commands work with.
type QueueDeps struct {
	Console *console.Service
	Out     io.Writer
}

type queueCommand struct {
	synopsis string
	run      func(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error
}

var queueCommandOrder = []string{"stats", "jobs", "retry", "delete", "clear-dead", "pause", "resume"}

func queueCommands() map[string]queueCommand {
	return map[string]queueCommand{
		"stats":      {"[stats] [--json]                          every queue's numbers", queueStats},
		"jobs":       {"jobs [--queue Q] [--state S] [--limit N] [--json]   jobs with their errors (default: dead and retrying)", queueJobs},
		"retry":      {"retry ID | --all-dead [--queue Q]          run a job, or every dead job, again now", queueRetry},
		"delete":     {"delete ID                                  delete a job that is not running", queueDelete},
		"clear-dead": {"clear-dead [--queue Q]                     delete the dead jobs of one queue or all", queueClearDead},
		"pause":      {"pause QUEUE                                start no new jobs of QUEUE, in any process", queuePause},
		"resume":     {"resume QUEUE                               let a paused queue run again", queueResume},
	}
}

// Queues runs one queues command; args are what follows "queues" on the command
// line. Without a command it prints the numbers of every queue.
func Queues(ctx context.Context, d QueueDeps, args []string) error {
	cmds := queueCommands()
	name := "stats"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" || (len(args) > 0 && name == "stats" && (args[0] == "-h" || args[0] == "--help")) {
		fmt.Fprintf(d.Out, "Usage: tusk admin queues [COMMAND] [flags]\n\nCommands:\n")
		for _, n := range queueCommandOrder {
			fmt.Fprintln(d.Out, "  "+cmds[n].synopsis)
		}
		fmt.Fprintf(d.Out, "\nQueues: %s. Job states: %s.\n", strings.Join(jobs.Queues, ", "), strings.Join(console.States, ", "))
		return nil
	}
	cmd, ok := cmds[name]
	if !ok {
		return fmt.Errorf("queues: unknown command %q (want %s)", name, strings.Join(queueCommandOrder, ", "))
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(d.Out)
	fs.Usage = func() { fmt.Fprintf(d.Out, "Usage: tusk admin queues %s\n", cmd.synopsis); fs.PrintDefaults() }
	err := cmd.run(ctx, d, fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("queues %s: %w", name, explain(err))
	}
	return nil
}

// explain rewords the job service's errors for the command line.
func explain(err error) error {
	switch {
	case errors.Is(err, console.ErrUnknownQueue):
		return fmt.Errorf("unknown queue (queues: %s)", strings.Join(jobs.Queues, ", "))
	case errors.Is(err, console.ErrUnknownState):
		return fmt.Errorf("unknown job state (states: %s)", strings.Join(console.States, ", "))
	case errors.Is(err, console.ErrQueueNotStarted):
		return errors.New("no process has worked this queue yet, so it cannot be paused or resumed; start tusk serve first")
	}
	return err
}

// positional parses flags and returns the one positional argument, which may come
// before or after the flags; what names it ("ID", "QUEUE") words the error.
func positional(fs *flag.FlagSet, args []string, what string) (string, error) {
	var v string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		v, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if v == "" && len(rest) > 0 {
		v, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("unexpected argument %q", rest[0])
	}
	if v == "" {
		return "", fmt.Errorf("missing %s", what)
	}
	return v, nil
}

func noPositional(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func jobIDArg(fs *flag.FlagSet, args []string) (int64, error) {
	v, err := positional(fs, args, "job ID")
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a job id (a positive whole number)", v)
	}
	return id, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func queueStats(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	stats, err := d.Console.Stats(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]console.QueueJSON, 0, len(stats))
		for _, q := range stats {
			out = append(out, console.RenderQueue(q))
		}
		return writeJSON(d.Out, out)
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "QUEUE\tWAITING\tRUNNING\tSCHEDULED\tRETRYING\tDEAD\tOLDEST WAITING\tDONE 1M\tDONE 1H\tFAILED 1H\tPAUSED")
	for _, q := range stats {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%s\n", q.Name, q.Waiting, q.Running, q.Scheduled,
			q.Retrying, q.Dead, console.FormatAge(q.OldestWaiting), q.DoneLastMinute, q.DoneLastHour, q.FailedLastHour, yesNo(q.Paused))
	}
	return tw.Flush()
}

func queueJobs(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	queue := fs.String("queue", "", "only this queue")
	state := fs.String("state", "", "only jobs in this state; default: dead and retrying")
	limit := fs.Int("limit", 50, "most jobs to list (per state)")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	list, err := d.Console.Jobs(ctx, *queue, *state, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]console.JobJSON, 0, len(list))
		for _, j := range list {
			out = append(out, console.RenderJob(j))
		}
		return writeJSON(d.Out, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(d.Out, "No jobs.")
		return nil
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tQUEUE\tSTATE\tATTEMPT\tCREATED")
	for _, j := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%s\n", j.ID, j.Kind, j.Queue, j.State, j.Attempt, j.MaxAttempts,
			j.CreatedAt.UTC().Format(time.DateTime))
		for i, e := range j.Errors {
			fmt.Fprintf(tw, "\t  error %d: %s\n", i+1, oneLine(e))
		}
	}
	return tw.Flush()
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func queueRetry(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	fs.Bool("all-dead", false, "retry every dead job instead of one")
	queue := fs.String("queue", "", "with --all-dead: only this queue")
	if !hasFlag(args, "all-dead") {
		id, err := jobIDArg(fs, args)
		if err != nil {
			return err
		}
		if err := d.Console.Retry(ctx, id); err != nil {
			return noJob(err, id)
		}
		fmt.Fprintf(d.Out, "Job %d will run again now.\n", id)
		return nil
	}
	if err := noPositional(fs, args); err != nil {
		return fmt.Errorf("give a job ID or --all-dead, not both: %w", err)
	}
	n, err := d.Console.RetryDead(ctx, *queue)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "Queued %d dead job(s) %s to run again.\n", n, where(*queue))
	return nil
}

// hasFlag reports whether args mention -name or --name (with or without a value).
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

func noJob(err error, id int64) error {
	if errors.Is(err, jobs.ErrNotFound) {
		return fmt.Errorf("no job with id %d (it may have finished and been cleaned up, or been deleted)", id)
	}
	return err
}

func where(queue string) string {
	if queue == "" {
		return "in every queue"
	}
	return "in " + queue
}

func queueDelete(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	id, err := jobIDArg(fs, args)
	if err != nil {
		return err
	}
	if err := d.Console.Delete(ctx, id); err != nil {
		return noJob(err, id)
	}
	fmt.Fprintf(d.Out, "Deleted job %d.\n", id)
	return nil
}

func queueClearDead(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	queue := fs.String("queue", "", "only this queue")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	n, err := d.Console.ClearDead(ctx, *queue)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "Deleted %d dead job(s) %s.\n", n, where(*queue))
	return nil
}

func queuePause(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	return setPaused(ctx, d, fs, args, true)
}

func queueResume(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string) error {
	return setPaused(ctx, d, fs, args, false)
}

// setPaused pauses or resumes a queue; doing it twice is harmless and says so.
func setPaused(ctx context.Context, d QueueDeps, fs *flag.FlagSet, args []string, pause bool) error {
	queue, err := positional(fs, args, "QUEUE")
	if err != nil {
		return err
	}
	if err := console.CheckQueue(queue); err != nil {
		return err
	}
	was, err := paused(ctx, d, queue)
	if err != nil {
		return err
	}
	switch {
	case pause && was:
		fmt.Fprintf(d.Out, "Queue %s is already paused.\n", queue)
	case !pause && !was:
		fmt.Fprintf(d.Out, "Queue %s is not paused.\n", queue)
	case pause:
		if err := d.Console.Pause(ctx, queue); err != nil {
			return err
		}
		fmt.Fprintf(d.Out, "Paused queue %s: within a few seconds no process starts its jobs, until it is resumed.\n", queue)
	default:
		if err := d.Console.Resume(ctx, queue); err != nil {
			return err
		}
		fmt.Fprintf(d.Out, "Resumed queue %s.\n", queue)
	}
	return nil
}

func paused(ctx context.Context, d QueueDeps, queue string) (bool, error) {
	stats, err := d.Console.Stats(ctx)
	if err != nil {
		return false, err
	}
	for _, q := range stats {
		if q.Name == queue {
			return q.Paused, nil
		}
	}
	return false, nil
}
