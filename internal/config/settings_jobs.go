package config

// JobsConfig holds the settings for background job queues.
type JobsConfig struct{}

// jobsSettings are the variables for background job queues.
var jobsSettings = []setting{}
