// Package web serves the few non-API pages tusk has: the landing page,
// and the default avatar and header images, all built into the binary.
package web

import (
	"bytes"
	"context"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/version"
)

// Pages serves the web routes.
type Pages struct {
	Store  *store.Store
	Config config.Config
	Log    *slog.Logger
	avatar []byte
	header []byte
	start  time.Time
}

// New renders the default images once.
func New(st *store.Store, cfg config.Config, log *slog.Logger) *Pages {
	return &Pages{Store: st, Config: cfg, Log: log, start: time.Now(),
		avatar: solidPNG(120, 120, color.RGBA{0x8c, 0x8d, 0xff, 0xff}),
		header: solidPNG(700, 233, color.RGBA{0x28, 0x2c, 0x37, 0xff})}
}

func solidPNG(w, h int, c color.Color) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // encoding an in-memory RGBA image cannot fail
	return buf.Bytes()
}

// Routes registers the pages, and the JSON 404 for every path nothing else claims.
func (p *Pages) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+entity.MissingAvatarPath, p.image(p.avatar))
	mux.HandleFunc("GET "+entity.MissingHeaderPath, p.image(p.header))
	mux.Handle("GET /{$}", httpx.Serve(p.Log, p.landing))
	mux.Handle("/", httpx.Serve(p.Log, func(w http.ResponseWriter, r *http.Request) error {
		return httpx.Errorf(http.StatusNotFound, "Not found")
	}))
}

func (p *Pages) image(data []byte) http.HandlerFunc {
	etag := `"` + strconv.Itoa(len(data)) + `"`
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("ETag", etag)
		http.ServeContent(w, r, "", p.start, bytes.NewReader(data))
	}
}

var landingPage = template.Must(template.New("landing").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}
code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>{{.Title}}</h1>
<p>A Mastodon-compatible server with {{.Users}} {{if eq .Users 1}}member{{else}}members{{end}} and {{.Statuses}} posts.</p>
<p>Sign in with any Mastodon app: give it the server address <code>{{.Domain}}</code>.</p>
{{if .Open}}<p>Registrations are open: create an account from your app.</p>{{end}}
<p><small>tusk {{.Version}}</small></p></body></html>`))

func (p *Pages) landing(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if p.Config.SingleUserMode {
		return p.ownerProfile(w, r.WithContext(ctx))
	}
	stats, err := p.Store.Stats(ctx)
	if err != nil {
		return err
	}
	mode, err := accounts.RegistrationsMode(ctx, p.Store, p.Config.Registrations)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return landingPage.Execute(w, map[string]any{"Title": p.Config.SiteTitle, "Users": stats.Users, "Statuses": stats.Statuses,
		"Domain": p.Config.LocalDomain, "Open": mode != config.RegistrationsClosed, "Version": version.Version})
}
