package webform

import (
	_ "embed"
	"html/template"
	"io/fs"
)

//go:embed layout.html
var layout string

// ParsePages parses the page layout every server-rendered form shares (templates "top"
// and "bottom") and then a package's own pages. Each package defines "site-suffix"
// (after the site's name) and "intro" (under the heading), empty if it has none.
func ParsePages(fsys fs.FS, patterns ...string) (*template.Template, error) {
	t, err := template.New("layout").Parse(layout)
	if err != nil {
		return nil, err
	}
	return t.ParseFS(fsys, patterns...)
}
