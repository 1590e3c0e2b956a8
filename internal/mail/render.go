package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/tuskhq/tusk/internal/config"
)

// The mails tusk sends, by template name. Each has NAME.txt (which also defines
// "subject") and NAME.html (which defines "body", wrapped in layout.html).
const (
	TemplateConfirmation      = "confirmation"        // data: username; link
	TemplatePasswordReset     = "password_reset"      // data: username; link
	TemplateEmailChange       = "email_change"        // data: username; link (to the new address)
	TemplateEmailChangeNotice = "email_change_notice" // data: username, new_email, contact (to the old address)
	TemplateAdminSignup       = "admin_signup"        // data: staff, username, email, reason
	TemplateAdminReport       = "admin_report"        // data: staff, report_id, reporter, target, statuses, comment, url
)

// Templates lists every template name.
var Templates = []string{TemplateConfirmation, TemplatePasswordReset, TemplateEmailChange,
	TemplateEmailChangeNotice, TemplateAdminSignup, TemplateAdminReport}

//go:embed templates
var templateFiles embed.FS

// mailTemplates is one mail's parsed text and HTML templates.
type mailTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// parsed holds every template, parsed once at start-up and only read afterwards.
var parsed = parseAll()

func parseAll() map[string]mailTemplates {
	out := make(map[string]mailTemplates, len(Templates))
	for _, name := range Templates {
		out[name] = mailTemplates{
			// A key missing from a mail's data is a bug: fail rather than print "<no value>".
			text: texttemplate.Must(texttemplate.New(name).Option("missingkey=error").
				ParseFS(templateFiles, "templates/"+name+".txt")),
			html: htmltemplate.Must(htmltemplate.New(name).Option("missingkey=error").
				ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")),
		}
	}
	return out
}

// Message is one rendered mail, ready for a Sender.
type Message struct {
	To      string
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html alternative
}

// view is what every template sees: the instance's name and address in every mail.
type view struct {
	Site, BaseURL, To string
	Subject           string
	Link              string
	Data              map[string]string
}

// Render fills template name for recipient to. link is the mail's call to action, if any.
func Render(cfg config.Config, name, to, link string, data map[string]string) (Message, error) {
	t, ok := parsed[name]
	if !ok {
		return Message{}, fmt.Errorf("mail: unknown template %q", name)
	}
	if data == nil {
		data = map[string]string{}
	}
	v := view{Site: cfg.SiteTitle, BaseURL: cfg.BaseURL(), To: to, Link: link, Data: data}
	var subject, text, html bytes.Buffer
	if err := t.text.ExecuteTemplate(&subject, "subject", v); err != nil {
		return Message{}, fmt.Errorf("mail: render %s subject: %w", name, err)
	}
	v.Subject = oneLine(subject.String())
	if err := t.text.ExecuteTemplate(&text, name+".txt", v); err != nil {
		return Message{}, fmt.Errorf("mail: render %s text: %w", name, err)
	}
	if err := t.html.ExecuteTemplate(&html, "layout", v); err != nil {
		return Message{}, fmt.Errorf("mail: render %s html: %w", name, err)
	}
	return Message{To: to, Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}

// oneLine keeps a subject on one header line whatever the data put in it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
