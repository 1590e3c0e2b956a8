package config

// AdminConfig holds the settings for the admin console and metrics.
type AdminConfig struct{}

// adminSettings are the variables for the admin console and metrics.
var adminSettings = []setting{}
