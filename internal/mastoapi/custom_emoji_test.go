package mastoapi_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifImage(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webpHeader is the start of a WebP file: all that content sniffing reads.
var webpHeader = []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")

func importer(in *servertest.Instance) *emoji.Importer {
	return &emoji.Importer{Store: in.Store, Dir: emoji.Dir(in.Config.DataDir), Catalogue: in.Social.Emojis}
}

func importFolder(t *testing.T, in *servertest.Instance, files map[string][]byte, o emoji.Options) *emoji.Result {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := importer(in).Import(context.Background(), dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestCustomEmojiImportAndList(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		res := importFolder(t, in, map[string][]byte{
			"blobcat.png": pngImage(t), "party_parrot.gif": gifImage(t), "Wave2.webp": webpHeader,
			"x.png": pngImage(t), "bad-name.png": pngImage(t), "notes.png": []byte("just text"),
			"huge.png": append(pngImage(t), make([]byte, emoji.MaxImageBytes)...),
		}, emoji.Options{Category: "cats"})
		if len(res.Imported) != 3 || len(res.Skipped) != 4 {
			t.Fatalf("imported %v, skipped %v; want 3 imported, x, bad-name, notes and huge skipped", res.Imported, res.Skipped)
		}
		for name, why := range map[string]string{"x.png": "shortcode", "bad-name.png": "shortcode", "notes.png": "text/plain", "huge.png": "larger"} {
			if !strings.Contains(res.Skipped[name], why) {
				t.Errorf("%s skipped because %q; want a reason about %s", name, res.Skipped[name], why)
			}
		}
		again := importFolder(t, in, map[string][]byte{"blobcat.png": gifImage(t), "hidden_one.png": pngImage(t)}, emoji.Options{Unlisted: true})
		if len(again.Imported) != 1 || !strings.Contains(again.Skipped["blobcat.png"], "exists") {
			t.Errorf("second import = %v / %v; want blobcat kept, hidden_one imported", again.Imported, again.Skipped)
		}

		l := list(t, in.Do(t, "", "GET", "/api/v1/custom_emojis", nil), "custom emojis")
		conformsAll(t, "CustomEmoji", l)
		var codes []string
		for _, e := range l {
			codes = append(codes, e["shortcode"].(string))
		}
		sameIDs(t, "picker emojis", codes, []string{"blobcat", "party_parrot", "Wave2"})
		if l[0]["category"] != "cats" || l[0]["url"] != l[0]["static_url"] || !strings.HasPrefix(l[0]["url"].(string), in.URL+"/system/emoji/blobcat-") {
			t.Errorf("blobcat = %v", l[0])
		}
		for i, ct := range []string{"image/png", "image/gif", "image/webp"} {
			r := in.Do(t, "", "GET", strings.TrimPrefix(l[i]["url"].(string), in.URL), nil)
			if r.Status != 200 || r.Header.Get("Content-Type") != ct {
				t.Errorf("GET %s = %d %s; want 200 %s", l[i]["url"], r.Status, r.Header.Get("Content-Type"), ct)
			}
		}
		for _, p := range []string{"/system/emoji/nothing-0123456789abcdef.png", "/system/emoji/..%2Ftusk.db", "/system/emoji/blobcat.png"} {
			want(t, in.Do(t, "", "GET", p, nil), 404, "GET "+p)
		}

		oldURL := strings.TrimPrefix(l[0]["url"].(string), in.URL)
		if res := importFolder(t, in, map[string][]byte{"blobcat.png": gifImage(t)}, emoji.Options{Overwrite: true}); len(res.Imported) != 1 {
			t.Fatalf("overwrite = %v", res.Skipped)
		}
		l = list(t, in.Do(t, "", "GET", "/api/v1/custom_emojis", nil), "custom emojis after overwrite")
		if u := l[0]["url"].(string); !strings.HasSuffix(u, ".gif") || l[0]["category"] != nil {
			t.Errorf("replaced blobcat = %v; want a GIF without category", l[0])
		}
		want(t, in.Do(t, "", "GET", oldURL, nil), 404, "the replaced image")
	})
}

func TestCustomEmojiArchives(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		dir := t.TempDir()
		var tgz bytes.Buffer
		gz := gzip.NewWriter(&tgz)
		tw := tar.NewWriter(gz)
		for name, data := range map[string][]byte{"pack/from_tar.png": pngImage(t), "pack/README": []byte("hi")} {
			tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
			tw.Write(data)
		}
		tw.Close()
		gz.Close()
		var zipped bytes.Buffer
		zw := zip.NewWriter(&zipped)
		w, _ := zw.Create("emoji/from_zip.gif")
		w.Write(gifImage(t))
		zw.Close()
		writeFile(t, filepath.Join(dir, "pack.tar.gz"), tgz.String())
		writeFile(t, filepath.Join(dir, "pack.zip"), zipped.String())
		for _, archive := range []string{"pack.tar.gz", "pack.zip"} {
			res, err := importer(in).Import(context.Background(), filepath.Join(dir, archive), emoji.Options{Prefix: "x_"})
			if err != nil || len(res.Imported) != 1 {
				t.Errorf("import %s = %v, %v", archive, res, err)
			}
		}
		if _, err := importer(in).Import(context.Background(), filepath.Join(dir, "nothing.rar"), emoji.Options{}); err == nil {
			t.Error("importing a missing file succeeded")
		}
		l := list(t, in.Do(t, "", "GET", "/api/v1/custom_emojis", nil), "custom emojis")
		if len(l) != 2 || l[0]["shortcode"] != "x_from_tar" || l[1]["shortcode"] != "x_from_zip" {
			t.Errorf("emojis from archives = %v", l)
		}
	})
}

func TestCustomEmojiRender(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		importFolder(t, in, map[string][]byte{"blobcat.png": pngImage(t), "wave.gif": gifImage(t)}, emoji.Options{})
		alice := in.NewMember(t, "alice")
		st := post(t, alice, jsonObj{"status": "hello :blobcat: and :unknown: and a:wave:glued", "spoiler_text": ":wave: cw"})
		if got := shortcodes(st["emojis"]); got != "wave,blobcat" {
			t.Errorf("status emojis = %s; want wave,blobcat", got)
		}
		acc := obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": "Alice :wave:"}), 200, "update profile")
		if got := shortcodes(acc["emojis"]); got != "wave" {
			t.Errorf("account emojis = %s; want wave", got)
		}
		if got := shortcodes(obj(t, in.Do(t, "", "GET", "/api/v1/statuses/"+st["id"].(string), nil), 200, "status")["account"].(map[string]any)["emojis"]); got != "wave" {
			t.Errorf("status account emojis = %s; want wave", got)
		}
		remote := remoteStatus(t, in, "far :blobcat:")
		if got := shortcodes(obj(t, in.Do(t, "", "GET", "/api/v1/statuses/"+remote, nil), 200, "remote status")["emojis"]); got != "" {
			t.Errorf("remote status emojis = %s; want none (its server's emoji are unknown)", got)
		}
		if err := importer(in).Remove(context.Background(), "blobcat"); err != nil {
			t.Fatal(err)
		}
		if got := shortcodes(obj(t, in.Do(t, "", "GET", "/api/v1/statuses/"+st["id"].(string), nil), 200, "status")["emojis"]); got != "wave" {
			t.Errorf("status emojis after removing blobcat = %s; want wave", got)
		}
	})
}

func shortcodes(v any) string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		out = append(out, e.(map[string]any)["shortcode"].(string))
	}
	return strings.Join(out, ",")
}
