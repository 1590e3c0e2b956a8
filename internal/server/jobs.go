package server

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/jobs"
)

// registerWorkers adds the worker of every job kind tusk has. Workers may refer to s's
// services: they run only after Open returns.
func (s *Server) registerWorkers(reg *jobs.Registry) {
	// Each feature registers its kinds here.
	jobs.Register(reg, s.mailWorker())
	s.Accounts.RegisterJobs(reg)
	s.Social.RegisterDiscoveryJobs(reg)
	s.Social.RegisterMuteJobs(reg)
	s.Social.RegisterJobs(reg)
	s.Social.RegisterMediaJobs(reg)
	s.registerLinkJobs(reg)
	jobs.Register(reg, s.Push.Worker())
	jobs.Register(reg, s.Social.AnnualReportWorker())
	s.registerMediaJobs(reg)
	s.Federation.RegisterJobs(reg)
	s.registerBackupJobs(reg)
}

// StartJobs starts working the queues this process's role works (none for web only),
// and delivery when they include push.
func (s *Server) StartJobs(ctx context.Context) error {
	if err := s.Jobs.Start(ctx); err != nil {
		return err
	}
	s.startDelivery(ctx)
	return nil
}

// StopJobs lets running jobs finish for up to grace, then cancels them; a cancelled job
// runs again later.
func (s *Server) StopJobs(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	s.stopDelivery()
	return s.Jobs.Stop(ctx)
}
