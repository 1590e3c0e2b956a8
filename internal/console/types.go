package console

import "github.com/tuskhq/tusk/internal/jobs"

// QueueStats and JobInfo are the job service's own.
type (
	QueueStats = jobs.QueueStats
	JobInfo    = jobs.JobInfo
)
