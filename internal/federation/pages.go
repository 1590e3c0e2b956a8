package federation

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pageTemplates = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// profilePostCount is how many recent posts a profile page shows.
const profilePostCount = 20

// pageRoutes registers the HTML pages at Mastodon's addresses, /@username and
// /@username/id. Go's router cannot match "@" inside a segment, so the routes take every
// one- and two-segment GET nothing more specific claims, and answer the rest with the
// same 404 as the catch-all.
func (s *Service) pageRoutes(mux *http.ServeMux) {
	mux.Handle("GET /{page}", httpx.Serve(s.Log, s.profileRoute))
	mux.Handle("GET /{page}/{rest...}", httpx.Serve(s.Log, s.statusRoute))
}

// errNoPage is the catch-all's answer for paths that are not pages.
var errNoPage = httpx.Errorf(http.StatusNotFound, "Not found")

// pageUsername is the username of an /@username segment.
func pageUsername(segment string) (string, bool) {
	name, ok := strings.CutPrefix(segment, "@")
	return name, ok && name != "" && !strings.Contains(name, "@")
}

func (s *Service) profileRoute(w http.ResponseWriter, r *http.Request) error {
	username, ok := pageUsername(r.PathValue("page"))
	if !ok {
		return errNoPage
	}
	r.SetPathValue("username", username)
	w.Header().Add("Vary", "Accept")
	if wantsActivityJSON(r) {
		return s.serveAP(w, r, s.actorDocument)
	}
	return s.profilePage(w, r)
}

func (s *Service) statusRoute(w http.ResponseWriter, r *http.Request) error {
	username, ok := pageUsername(r.PathValue("page"))
	rest := r.PathValue("rest")
	if _, err := strconv.ParseInt(rest, 10, 64); !ok || err != nil {
		return errNoPage
	}
	r.SetPathValue("username", username)
	r.SetPathValue("id", rest)
	w.Header().Add("Vary", "Accept")
	if wantsActivityJSON(r) {
		return s.serveAP(w, r, s.statusDocument)
	}
	return s.statusPage(w, r)
}

// statusItem is a status as a page shows it. Content is the stored HTML, which tusk
// made itself from escaped text (local statuses only are shown).
type statusItem struct {
	URL, SpoilerText, Published, Shown string
	Content                            template.HTML
	Edited                             bool
	Media                              []mediaItem
}

type mediaItem struct {
	Kind, URL, Description string
	Width, Height          int
	Loop                   bool
}

type fieldItem struct {
	Name  string
	Value template.HTML
}

func (s *Service) profilePage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	list, err := s.Store.AccountStatuses(r.Context(), 0, a.ID, store.AccountStatusFilter{ExcludeReblogs: true}, store.Page{Limit: profilePostCount})
	if err != nil {
		return err
	}
	items, err := s.statusItems(r, a, list)
	if err != nil {
		return err
	}
	fields := make([]fieldItem, len(a.Fields))
	for i, f := range a.Fields {
		fields[i] = fieldItem{Name: f.Name, Value: template.HTML(fieldValueHTML(f.Value))} // escaped by text.Format
	}
	avatar := s.mediaURL(a.AvatarKey)
	return s.renderPage(w, "profile.html", map[string]any{
		"Title": displayName(a) + " (@" + s.fullHandle(a) + ")", "Alternate": s.URLs.Actor(a.Username),
		"SiteName": s.Config.SiteTitle, "OGType": "profile", "URL": s.URLs.Profile(a.Username),
		"Description": text.PlainText(a.Note), "Image": avatar,
		"Avatar": avatar, "Name": displayName(a), "Handle": s.fullHandle(a), "Locked": a.Locked, "Bot": a.Bot,
		"Bio": template.HTML(a.Note), "Fields": fields, "Statuses": items, // a local bio is HTML tusk made from escaped text
		"Posts": a.StatusesCount, "Following": a.FollowingCount, "Followers": a.FollowersCount,
	})
}

func (s *Service) statusPage(w http.ResponseWriter, r *http.Request) error {
	a, st, err := s.publicStatus(r)
	if err != nil {
		return err
	}
	if st.ReblogOfID != nil {
		return httpx.ErrNotFound
	}
	items, err := s.statusItems(r, a, []*model.Status{st})
	if err != nil {
		return err
	}
	image := ""
	for _, m := range items[0].Media {
		if m.Kind == "image" && image == "" {
			image = m.URL
		}
	}
	if image == "" {
		image = s.mediaURL(a.AvatarKey)
	}
	desc := text.PlainText(st.Content)
	if st.SpoilerText != "" {
		desc = st.SpoilerText
	}
	return s.renderPage(w, "status.html", map[string]any{
		"Title": displayName(a) + " (@" + s.fullHandle(a) + ")", "Alternate": s.URLs.Status(a.Username, st.ID),
		"SiteName": s.Config.SiteTitle, "OGType": "article", "URL": s.URLs.StatusPage(a.Username, st.ID),
		"Description": desc, "Image": image,
		"ProfileURL": s.URLs.Profile(a.Username), "Name": displayName(a), "Handle": s.fullHandle(a), "Status": items[0],
	})
}

// statusItems prepares an author's statuses for a page, with their media.
func (s *Service) statusItems(r *http.Request, author *model.Account, list []*model.Status) ([]statusItem, error) {
	ids := make([]int64, len(list))
	for i, st := range list {
		ids[i] = st.ID
	}
	media, err := s.Store.MediaOf(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	items := make([]statusItem, 0, len(list))
	for _, st := range list {
		item := statusItem{URL: s.URLs.StatusPage(author.Username, st.ID), SpoilerText: st.SpoilerText,
			Content: template.HTML(st.Content), Edited: st.EditedAt != nil, // local content: HTML tusk made from escaped text
			Published: apTime(st.CreatedAt), Shown: st.CreatedAt.UTC().Format("2 Jan 2006, 15:04 UTC")}
		for _, m := range media[st.ID] {
			if mi, ok := s.mediaItem(m); ok {
				item.Media = append(item.Media, mi)
			}
		}
		items = append(items, item)
	}
	return items, nil
}

func (s *Service) mediaItem(m *model.MediaAttachment) (mediaItem, bool) {
	d, ok := s.document(m)
	if !ok {
		return mediaItem{}, false
	}
	item := mediaItem{Kind: m.Type, URL: d.URL, Description: m.Description, Width: d.Width, Height: d.Height}
	if m.Type == "gifv" {
		item.Kind, item.Loop = "video", true
	}
	return item, true
}

func (s *Service) renderPage(w http.ResponseWriter, name string, data map[string]any) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return pageTemplates.ExecuteTemplate(w, name, data)
}

func displayName(a *model.Account) string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}
