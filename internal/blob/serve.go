package blob

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

// Serve answers a GET or HEAD for key from store. Keys carry a digest or an id that
// changes with the content, so caches may keep responses for a year; Range,
// If-None-Match and If-Modified-Since are answered by http.ServeContent. The headers keep
// a browser from running anything a file might smuggle (HTML, SVG scripts).
func Serve(w http.ResponseWriter, r *http.Request, store Store, key string, log *slog.Logger) {
	if !validKey(key) {
		http.NotFound(w, r)
		return
	}
	obj, err := store.Open(r.Context(), key)
	if errors.Is(err, ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		if log != nil {
			log.Warn("media: open", "key", key, "err", err)
		}
		http.Error(w, "media storage unavailable", http.StatusServiceUnavailable)
		return
	}
	defer obj.Close()
	info := obj.Info()
	h := w.Header()
	ct := info.ContentType
	if ct == "" || ct == "application/octet-stream" {
		ct = typeOf(key)
	}
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if info.ETag != "" {
		h.Set("ETag", info.ETag)
	}
	if !isImage(ct) {
		// Media elements ignore this; a navigation downloads instead of rendering.
		h.Set("Content-Disposition", "attachment")
	}
	http.ServeContent(w, r, "", info.ModTime, obj)
}

// isImage names the raster types a browser may show inline; SVG is left out as it can script.
func isImage(contentType string) bool {
	return strings.HasPrefix(contentType, "image/") && !strings.HasPrefix(contentType, "image/svg")
}
