package web

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

var profilePage = template.Must(template.New("profile").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Name}} (@{{.Handle}})</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}
article{border-top:1px solid #ddd;padding:.5rem 0}time{color:#666;font-size:.85rem}</style></head>
<body><h1>{{.Name}}</h1><p>@{{.Handle}}</p>{{.Note}}
{{range .Statuses}}<article>{{if .SpoilerText}}<p><strong>{{.SpoilerText}}</strong></p>{{end}}{{.Content}}
<time datetime="{{.CreatedAt.Format "2006-01-02T15:04:05Z07:00"}}">{{.CreatedAt.Format "2 Jan 2006 15:04"}}</time></article>{{end}}
</body></html>`))

// statusItem is a status as the profile page shows it. Content is HTML tusk rendered
// itself from the member's plain text (text.Format escapes it), so it is trusted.
type statusItem struct {
	SpoilerText string
	Content     template.HTML
	CreatedAt   time.Time
}

// ownerProfile is the landing page in single-user mode: the owner's public profile
// and latest public posts, as Mastodon shows in that mode.
func (p *Pages) ownerProfile(w http.ResponseWriter, r *http.Request) error {
	owner, err := p.Store.OwnerAccount(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		return p.landingNoOwner(w)
	}
	if err != nil {
		return err
	}
	list, err := p.Store.AccountStatuses(r.Context(), 0, owner.ID, store.AccountStatusFilter{ExcludeReplies: true, ExcludeReblogs: true}, store.Page{Limit: 20})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return profilePage.Execute(w, map[string]any{"Name": displayName(owner), "Handle": owner.Username + "@" + p.Config.LocalDomain,
		"Note": template.HTML(owner.Note), "Statuses": publicItems(list)})
}

func publicItems(list []*model.Status) []statusItem {
	var out []statusItem
	for _, st := range list {
		if st.Visibility == model.Public && st.Local {
			out = append(out, statusItem{SpoilerText: st.SpoilerText, Content: template.HTML(st.Content), CreatedAt: st.CreatedAt})
		}
	}
	return out
}

func displayName(a *model.Account) string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}

// landingNoOwner tells the admin what to do before the single user exists.
func (p *Pages) landingNoOwner(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, err := w.Write([]byte("This single-user instance has no account yet: create it with\n  tusk admin accounts create USERNAME --email E --role Owner --confirmed\n"))
	return err
}
