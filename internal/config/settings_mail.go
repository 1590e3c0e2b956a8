package config

// MailConfig holds the settings for outgoing mail (SMTP).
type MailConfig struct{}

// mailSettings are the variables for outgoing mail (SMTP).
var mailSettings = []setting{}
