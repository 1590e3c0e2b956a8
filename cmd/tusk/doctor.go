package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/doctor"
)

// errDoctorFailed makes "tusk admin doctor" exit non-zero after printing its report.
var errDoctorFailed = errors.New("doctor: some checks failed (see FAIL above)")

// runDoctor is "tusk admin doctor [--json]": every check, then an error when one failed.
// cfgErr is the configuration's own failure, reported as the first check.
func runDoctor(ctx context.Context, cfg config.Config, cfgErr error, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tusk admin doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var results []doctor.Result
	if cfgErr != nil {
		results = []doctor.Result{{Check: "configuration", Status: doctor.Fail, Detail: cfgErr.Error(),
			Fix: "correct the setting named (tusk serve --help lists them all); other checks need a valid configuration"}}
	} else {
		results = doctor.Run(ctx, cfg, doctor.Checks())
	}
	write := doctor.WriteText
	if *asJSON {
		write = doctor.WriteJSON
	}
	if err := write(stdout, results); err != nil {
		return fmt.Errorf("doctor: %w", err)
	}
	if doctor.Failed(results) {
		return errDoctorFailed
	}
	return nil
}
