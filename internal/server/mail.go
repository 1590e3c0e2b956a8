package server

import (
	"github.com/tuskhq/tusk/internal/mail"
)

// mailWorker sends queued mail: by SMTP when SMTP_SERVER is set, else to the log. The
// accounts service mints the tokens the mails' links carry.
func (s *Server) mailWorker() *mail.Worker {
	return &mail.Worker{Config: s.Config, Sender: mail.NewSender(s.Config, s.Log), Tokens: s.Accounts, Log: s.Log}
}
