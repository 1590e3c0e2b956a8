package federation

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/version"
)

// Content types of the discovery documents.
const (
	jrdContentType = "application/jrd+json; charset=utf-8"
	xrdContentType = "application/xrd+xml; charset=utf-8"
	nodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/"
)

// nodeDescription is what NodeInfo says the instance is, as the instance API does.
const nodeDescription = "A tusk server: a Mastodon-compatible social network."

func (s *Service) discoveryRoutes(mux *http.ServeMux) {
	mux.Handle("GET /.well-known/webfinger", httpx.Serve(s.Log, s.serveWebFinger))
	mux.Handle("GET /.well-known/host-meta", httpx.Serve(s.Log, s.hostMeta))
	mux.Handle("GET /.well-known/host-meta.json", httpx.Serve(s.Log, s.hostMetaJSON))
	mux.Handle("GET /.well-known/nodeinfo", httpx.Serve(s.Log, s.nodeInfoLinks))
	mux.Handle("GET /nodeinfo/{version}", httpx.Serve(s.Log, s.nodeInfo))
}

// JRD is a WebFinger answer.
type JRD struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links"`
}

// JRDLink is one link of a JRD.
type JRDLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// serveWebFinger answers for a local account named by acct:user@domain (either of the
// instance's domains), by its actor id or by its profile page, and for the instance
// actor as acct:DOMAIN@DOMAIN or by its id.
func (s *Service) serveWebFinger(w http.ResponseWriter, r *http.Request) error {
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		return httpx.BadRequest("resource parameter is missing")
	}
	username, ok := s.webfingerUsername(resource)
	if !ok {
		return httpx.ErrNotFound
	}
	var jrd *JRD
	if strings.EqualFold(username, s.URLs.Domain) || username == instanceActorMarker {
		jrd = s.instanceJRD()
	} else {
		a, err := s.localAccount(r.Context(), username)
		if err != nil {
			return err
		}
		jrd = s.accountJRD(a)
	}
	w.Header().Set("Content-Type", jrdContentType)
	return json.NewEncoder(w).Encode(jrd)
}

// instanceActorMarker stands for the instance actor when it is named by its id.
const instanceActorMarker = "\x00instance"

// webfingerUsername finds the local username a resource names; ok is false when the
// resource names nothing on this instance.
func (s *Service) webfingerUsername(resource string) (string, bool) {
	if strings.HasPrefix(strings.ToLower(resource), "acct:") {
		return s.acctUsername(resource[len("acct:"):])
	}
	if !strings.Contains(resource, "://") {
		return s.acctUsername(resource) // user@domain without the scheme, as Mastodon accepts
	}
	if resource == s.URLs.InstanceActor() {
		return instanceActorMarker, true
	}
	for _, prefix := range []string{s.URLs.Base + "/users/", s.URLs.Base + "/@"} {
		if rest, ok := strings.CutPrefix(resource, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
			name, err := url.PathUnescape(rest)
			return name, err == nil
		}
	}
	return "", false
}

// acctUsername takes user@domain apart; domain must be LOCAL_DOMAIN or WEB_DOMAIN.
func (s *Service) acctUsername(acct string) (string, bool) {
	user, domain, ok := strings.Cut(strings.TrimPrefix(acct, "@"), "@")
	if !ok || user == "" {
		return "", false
	}
	domain = strings.ToLower(domain)
	if domain != strings.ToLower(s.Config.LocalDomain) && domain != strings.ToLower(s.Config.WebDomain) {
		return "", false
	}
	return user, true
}

func (s *Service) accountJRD(a *model.Account) *JRD {
	u := s.URLs
	return &JRD{
		Subject: "acct:" + a.Username + "@" + u.Domain,
		Aliases: []string{u.Profile(a.Username), u.Actor(a.Username)},
		Links: []JRDLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: u.Profile(a.Username)},
			{Rel: "self", Type: ContentType, Href: u.Actor(a.Username)},
			{Rel: "http://ostatus.org/schema/1.0/subscribe", Template: u.Base + "/authorize_interaction?uri={uri}"},
		},
	}
}

func (s *Service) instanceJRD() *JRD {
	u := s.URLs
	return &JRD{
		Subject: "acct:" + u.Domain + "@" + u.Domain,
		Aliases: []string{u.InstanceActor()},
		Links: []JRDLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: u.Base},
			{Rel: "self", Type: ContentType, Href: u.InstanceActor()},
		},
	}
}

func (s *Service) lrddTemplate() string { return s.URLs.Base + "/.well-known/webfinger?resource={uri}" }

type xrdLink struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr"`
	Template string `xml:"template,attr"`
}

type xrd struct {
	XMLName xml.Name  `xml:"http://docs.oasis-open.org/ns/xri/xrd-1.0 XRD"`
	Links   []xrdLink `xml:"Link"`
}

// hostMeta points clients that start from host-meta to WebFinger.
func (s *Service) hostMeta(w http.ResponseWriter, r *http.Request) error {
	out, err := xml.MarshalIndent(xrd{Links: []xrdLink{{Rel: "lrdd", Type: "application/xrd+xml", Template: s.lrddTemplate()}}}, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xrdContentType)
	_, err = w.Write(append([]byte(xml.Header), append(out, '\n')...))
	return err
}

func (s *Service) hostMetaJSON(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", jrdContentType)
	return json.NewEncoder(w).Encode(map[string]any{"links": []JRDLink{{Rel: "lrdd", Type: "application/jrd+json", Template: s.lrddTemplate()}}})
}

func (s *Service) nodeInfoLinks(w http.ResponseWriter, r *http.Request) error {
	links := []JRDLink{
		{Rel: nodeInfoSchema + "2.0", Href: s.URLs.Base + "/nodeinfo/2.0"},
		{Rel: nodeInfoSchema + "2.1", Href: s.URLs.Base + "/nodeinfo/2.1"},
	}
	return httpx.OK(w, map[string]any{"links": links})
}

// NodeInfo is a NodeInfo 2.0 or 2.1 document.
type NodeInfo struct {
	Version           string           `json:"version"`
	Software          NodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          NodeInfoServices `json:"services"`
	Usage             NodeInfoUsage    `json:"usage"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Metadata          map[string]any   `json:"metadata"`
}

// NodeInfoSoftware names the server software; repository and homepage are 2.1 only.
type NodeInfoSoftware struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository,omitempty"`
	Homepage   string `json:"homepage,omitempty"`
}

// NodeInfoServices lists third-party services; tusk connects to none.
type NodeInfoServices struct {
	Outbound []string `json:"outbound"`
	Inbound  []string `json:"inbound"`
}

// NodeInfoUsage counts users and posts.
type NodeInfoUsage struct {
	Users      NodeInfoUsers `json:"users"`
	LocalPosts int64         `json:"localPosts"`
}

// NodeInfoUsers counts local users, all and recently active.
type NodeInfoUsers struct {
	Total          int64 `json:"total"`
	ActiveMonth    int64 `json:"activeMonth"`
	ActiveHalfyear int64 `json:"activeHalfyear"`
}

const repositoryURL = "https://github.com/tuskhq/tusk"

func (s *Service) nodeInfo(w http.ResponseWriter, r *http.Request) error {
	v := r.PathValue("version")
	if v != "2.0" && v != "2.1" {
		return httpx.ErrNotFound
	}
	usage, err := s.Store.NodeUsage(r.Context(), s.now())
	if err != nil {
		return err
	}
	doc := NodeInfo{
		Version:   v,
		Software:  NodeInfoSoftware{Name: "tusk", Version: version.Version},
		Protocols: []string{"activitypub"},
		Services:  NodeInfoServices{Outbound: []string{}, Inbound: []string{}},
		Usage: NodeInfoUsage{LocalPosts: usage.LocalPosts, Users: NodeInfoUsers{
			Total: usage.Users, ActiveMonth: usage.ActiveMonth, ActiveHalfyear: usage.ActiveHalfyear}},
		OpenRegistrations: s.Config.Registrations != config.RegistrationsClosed,
		Metadata:          map[string]any{"nodeName": s.Config.SiteTitle, "nodeDescription": nodeDescription},
	}
	if v == "2.1" {
		doc.Software.Repository, doc.Software.Homepage = repositoryURL, repositoryURL
	}
	w.Header().Set("Content-Type", `application/json; profile="`+nodeInfoSchema+v+`#"; charset=utf-8`)
	return json.NewEncoder(w).Encode(doc)
}
