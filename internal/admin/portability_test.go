package admin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/portability"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestExportImportCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newCLI(t, st, config.RegistrationsOpen)
		c.d.Portability = portability.New(&social.Service{Store: st, Config: c.d.Config})
		for _, name := range []string{"ann", "ben", "cat"} {
			c.mustRun("create " + name + " --email " + name + "@example.org --confirmed")
		}
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		file := "Account address,Show boosts,Notify on new posts,Languages\nben@example.test,false,true,en\nnobody@far.example,true,false,\n"
		if err := os.WriteFile(in, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		out := c.mustRun("import ann --kind following --file " + in)
		for _, want := range []string{"Imported: 1", "Pending (remote", "): 1", "Skipped: 0"} {
			if !strings.Contains(out, want) {
				t.Errorf("import output %q lacks %q", out, want)
			}
		}
		got := c.mustRun("export ann --kind following")
		if want := "Account address,Show boosts,Notify on new posts,Languages\nben@example.test,false,true,en\n"; got != want {
			t.Errorf("export to stdout = %q; want %q", got, want)
		}
		dest := filepath.Join(dir, "out.csv")
		c.mustRun("export ben --kind followers --out " + dest)
		if b, _ := os.ReadFile(dest); string(b) != "Account address\nann@example.test\n" {
			t.Errorf("followers file = %q", b)
		}
		out = c.mustRun("import ann --kind following --file " + in + " --overwrite")
		if !strings.Contains(out, "Removed: 0") {
			t.Errorf("overwrite output %q lacks Removed", out)
		}
		for _, bad := range []string{"export ann", "import ann --kind following", "export ann --kind nope", "import ann --kind followers --file " + in, "export nobody --kind following"} {
			if _, err := c.run(bad); err == nil {
				t.Errorf("%q succeeded", bad)
			}
		}
		help := c.mustRun("import --help")
		for _, want := range []string{"-kind", "-file", "-overwrite", "blocks, bookmarks, domain_blocks, followers, following, lists, mutes"} {
			if !strings.Contains(help, want) {
				t.Errorf("import --help lacks %q:\n%s", want, help)
			}
		}
	})
}
