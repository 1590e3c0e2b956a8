package mastoapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// upload is one multipart file field: its bytes, the file name and type the client claims.
type upload struct {
	data        []byte
	name, ctype string
}

// sendMultipart calls the API with a multipart body of fields and files.
func sendMultipart(t *testing.T, in *servertest.Instance, token, method, path string, fields map[string]string, files map[string]upload) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for k, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, k, f.name))
		if f.ctype != "" {
			h.Set("Content-Type", f.ctype)
		}
		w, _ := mw.CreatePart(h)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest(method, in.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return in.Send(t, req)
}

func uploadFile(t *testing.T, in *servertest.Instance, m *servertest.Member, path string, f upload, fields map[string]string) *servertest.Response {
	t.Helper()
	return sendMultipart(t, in, m.Token, "POST", path, fields, map[string]upload{"file": f})
}

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

// storedObject reads back the object behind a media URL from the instance's blob store.
func storedObject(t *testing.T, in *servertest.Instance, url string) []byte {
	t.Helper()
	host := in.Social.Media.Host + "/"
	if !strings.HasPrefix(url, host) {
		t.Fatalf("media URL %s is not under the media host %s", url, host)
	}
	obj, err := in.Social.Media.Store.Open(context.Background(), strings.TrimPrefix(url, host))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	defer obj.Close()
	data, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	// The URL serves the same bytes: what a client fetches is what was stored.
	if r := in.Do(t, "", "GET", strings.TrimPrefix(url, in.URL), nil); r.Status != 200 || !bytes.Equal(r.Body, data) {
		t.Fatalf("GET %s = %d, %d bytes; stored %d", url, r.Status, len(r.Body), len(data))
	}
	return data
}

func objectCount(t *testing.T, in *servertest.Instance) int {
	n := 0
	err := in.Social.Media.Store.List(context.Background(), "", func(blob.Info) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMediaUploadImage(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		m := obj(t, uploadFile(t, in, alice, "/api/v2/media", upload{pngOf(t, 5000, 2000), "../../etc/passwd", "image/png"},
			map[string]string{"description": "a gradient", "focus": "0.5,-0.25"}), 200, "v2 upload")
		conforms(t, "MediaAttachment", m)
		if m["type"] != "image" || m["description"] != "a gradient" || m["blurhash"] == nil || m["remote_url"] != nil {
			t.Errorf("attachment = %v", m)
		}
		if f := field(m, "meta", "focus"); f == nil || field(m, "meta", "focus", "x") != 0.5 || field(m, "meta", "focus", "y") != -0.25 {
			t.Errorf("focus = %v", f)
		}
		url, preview := m["url"].(string), m["preview_url"].(string)
		if strings.Contains(url, "passwd") || strings.Contains(url, "..") {
			t.Errorf("the uploader's file name reached the URL: %s", url)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(storedObject(t, in, url)))
		ow, oh := field(m, "meta", "original", "width"), field(m, "meta", "original", "height")
		if err != nil || format != "png" || float64(cfg.Width) != ow || float64(cfg.Height) != oh || cfg.Width*cfg.Height > media.MaxOriginalPixels {
			t.Errorf("stored original %v %s %v; meta says %v×%v", cfg, format, err, ow, oh)
		}
		small, _, err := image.DecodeConfig(bytes.NewReader(storedObject(t, in, preview)))
		if err != nil || small.Width*small.Height > media.MaxPreviewPixels || field(m, "meta", "small", "size") != fmt.Sprintf("%dx%d", small.Width, small.Height) {
			t.Errorf("stored preview %v %v; meta %v", small, err, field(m, "meta", "small"))
		}

		path := "/api/v1/media/" + m["id"].(string)
		obj(t, alice.Do(t, "GET", path, nil), 200, "GET own media")
		want(t, bob.Do(t, "GET", path, nil), 404, "GET another's media")
		want(t, bob.Do(t, "PUT", path, jsonObj{"description": "mine now"}), 404, "PUT another's media")
		want(t, bob.Do(t, "DELETE", path, nil), 404, "DELETE another's media")
		want(t, alice.Do(t, "GET", "/api/v1/media/123", nil), 404, "GET unknown media")
		errorMessage(t, alice.Do(t, "PUT", path, jsonObj{"description": strings.Repeat("é", 1501)}), 422, "long description")
		for _, focus := range []string{"2,0", "0", "a,b", "0.1,-1.5"} {
			errorMessage(t, alice.Do(t, "PUT", path, jsonObj{"focus": focus}), 422, "focus "+focus)
		}
		upd := obj(t, alice.Do(t, "PUT", path, jsonObj{"description": strings.Repeat("é", 1500), "focus": "-1,1"}), 200, "PUT")
		if field(upd, "meta", "focus", "x") != -1.0 || len([]rune(upd["description"].(string))) != 1500 {
			t.Errorf("after PUT: %v", upd)
		}
		thumb := obj(t, sendMultipart(t, in, alice.Token, "PUT", path, nil, map[string]upload{"thumbnail": {jpegOf(t, 100, 100), "t.jpg", "image/jpeg"}}), 200, "PUT thumbnail")
		if thumb["preview_url"] == preview || thumb["url"] != url {
			t.Errorf("custom thumbnail: preview %v (was %v), url %v", thumb["preview_url"], preview, thumb["url"])
		}
		storedObject(t, in, thumb["preview_url"].(string))

		v1 := obj(t, uploadFile(t, in, alice, "/api/v1/media", upload{jpegOf(t, 64, 48), "x.jpg", "image/jpeg"}, nil), 200, "v1 upload")
		if v1["type"] != "image" || field(v1, "meta", "original", "aspect") != 64.0/48.0 {
			t.Errorf("v1 attachment = %v", v1)
		}
		obj(t, alice.Do(t, "DELETE", "/api/v1/media/"+v1["id"].(string), nil), 200, "DELETE unattached")
		want(t, alice.Do(t, "GET", "/api/v1/media/"+v1["id"].(string), nil), 404, "GET deleted")
		if _, err := in.Social.Media.Store.Stat(context.Background(), strings.TrimPrefix(v1["url"].(string), in.Social.Media.Host+"/")); !errors.Is(err, blob.ErrNotExist) {
			t.Errorf("deleted media's file: %v", err)
		}
	})
}

func TestMediaBadInput(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		good := pngOf(t, 8, 8)
		bomb := pngOf(t, 1, 1)
		copy(bomb[16:], []byte{0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0}) // 100000×100000
		bomb = fixIHDR(bomb)
		huge := append(append([]byte{}, good...), make([]byte, media.MaxImageBytes)...)
		cases := []struct {
			name string
			f    upload
			code int
		}{
			{"text named .png", upload{[]byte("hello, I am text"), "a.png", "image/png"}, 422},
			{"HTML polyglot", upload{append([]byte("<html><script>alert(1)</script>"), good...), "a.png", "image/png"}, 422},
			{"PNG declared as video", upload{good, "a.mp4", "video/mp4"}, 422},
			{"truncated PNG", upload{good[:len(good)/2], "a.png", "image/png"}, 422},
			{"decompression bomb", upload{bomb, "a.png", "image/png"}, 422},
			{"SVG", upload{[]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "a.svg", "image/svg+xml"}, 422},
			{"empty", upload{nil, "a.png", "image/png"}, 422},
			{"image over 16 MB", upload{huge, "a.png", "image/png"}, 413},
		}
		for _, c := range cases {
			for _, path := range []string{"/api/v1/media", "/api/v2/media"} {
				errorMessage(t, uploadFile(t, in, alice, path, c.f, nil), c.code, c.name+" to "+path)
			}
		}
		errorMessage(t, sendMultipart(t, in, alice.Token, "POST", "/api/v2/media", map[string]string{"description": "x"}, nil), 422, "no file")
		errorMessage(t, uploadFile(t, in, alice, "/api/v2/media", upload{good, "a.png", ""}, map[string]string{"description": strings.Repeat("a", 1501)}), 422, "long description")
		errorMessage(t, sendMultipart(t, in, alice.Token, "POST", "/api/v2/media", nil, map[string]upload{"file": {good, "a.png", ""}, "thumbnail": {[]byte("nope"), "t.png", ""}}), 422, "bad thumbnail")
		want(t, sendMultipart(t, in, "", "POST", "/api/v2/media", nil, map[string]upload{"file": {good, "a.png", ""}}), 401, "anonymous upload")
		want(t, sendMultipart(t, in, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v2/media", nil, map[string]upload{"file": {good, "a.png", ""}}), 403, "read-only token")
		if n := objectCount(t, in); n != 0 {
			t.Errorf("refused uploads left %d objects in storage", n)
		}
	})
}

// fixIHDR recomputes a PNG's header checksum after its size was edited.
func fixIHDR(data []byte) []byte {
	h := crc32IEEE(data[12:29])
	data[29], data[30], data[31], data[32] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
	return data
}

func TestMediaOnStatuses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		var mids []string
		for i := 0; i < 5; i++ {
			m := obj(t, uploadFile(t, in, alice, "/api/v2/media", upload{pngOf(t, 10+i, 10), "x.png", "image/png"}, nil), 200, "upload")
			mids = append(mids, m["id"].(string))
		}
		st := obj(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"media_ids": mids[:2]}), 200, "media-only status")
		conforms(t, "Status", st)
		got := st["media_attachments"].([]any)
		if len(got) != 2 || got[0].(map[string]any)["id"] != mids[0] || got[1].(map[string]any)["id"] != mids[1] {
			t.Fatalf("media_attachments = %v", got)
		}
		statusID := st["id"].(string)
		seen := obj(t, bob.Do(t, "GET", "/api/v1/statuses/"+statusID, nil), 200, "bob sees it")
		if len(seen["media_attachments"].([]any)) != 2 {
			t.Errorf("bob sees %v", seen["media_attachments"])
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "again", "media_ids": mids[:1]}), 422, "reuse attached media")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "stolen", "media_ids": mids[2:3]}), 422, "another's media")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "five", "media_ids": mids}), 422, "five attachments")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "media_ids": []string{"abc"}}), 422, "malformed id")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "media_ids": mids[2:3],
			"poll": jsonObj{"options": []string{"a", "b"}, "expires_in": 300}}), 422, "media and poll")
		errorMessage(t, alice.Do(t, "DELETE", "/api/v1/media/"+mids[0], nil), 422, "DELETE attached media")
		say(t, alice, "no pictures here")

		sameIDs(t, "public only_media", idsAt(t, bob, "/api/v1/timelines/public?only_media=true"), []string{statusID})
		sameIDs(t, "account only_media", idsAt(t, bob, "/api/v1/accounts/"+idOf(alice.Account.ID)+"/statuses?only_media=true"), []string{statusID})

		edited := obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+statusID, jsonObj{"status": "now with words", "media_ids": []string{mids[1], mids[2]}}), 200, "edit media")
		if ids := attachmentIDs(edited); strings.Join(ids, ",") != mids[1]+","+mids[2] {
			t.Errorf("after edit: %v", ids)
		}
		history := list(t, alice.Do(t, "GET", "/api/v1/statuses/"+statusID+"/history", nil), "history")
		if len(history) != 2 || len(attachmentIDs(history[0])) != 2 || strings.Join(attachmentIDs(history[1]), ",") != mids[1]+","+mids[2] {
			t.Errorf("history media: %v / %v", attachmentIDs(history[0]), attachmentIDs(history[len(history)-1]))
		}
		// mids[0] left the status: it is unattached again and may be deleted or reused.
		obj(t, alice.Do(t, "GET", "/api/v1/media/"+mids[0], nil), 200, "detached media")

		removed, err := in.Social.RemoveStaleMedia(context.Background(), time.Now().Add(time.Hour))
		if err != nil || removed != 3 { // mids[0], mids[3], mids[4]
			t.Errorf("RemoveStaleMedia = %d, %v; want 3", removed, err)
		}
		want(t, alice.Do(t, "GET", "/api/v1/media/"+mids[3], nil), 404, "stale media removed")
		obj(t, alice.Do(t, "GET", "/api/v1/media/"+mids[1], nil), 200, "attached media kept")

		// Delete and redraft: the deleted status's media come back unattached, ready to reuse.
		gone := obj(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+statusID, nil), 200, "DELETE status")
		if len(attachmentIDs(gone)) != 2 {
			t.Errorf("deleted status shows media %v", attachmentIDs(gone))
		}
		redraft := obj(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "take two", "media_ids": attachmentIDs(gone)}), 200, "redraft")
		if strings.Join(attachmentIDs(redraft), ",") != strings.Join(attachmentIDs(gone), ",") {
			t.Errorf("redraft media %v; want %v", attachmentIDs(redraft), attachmentIDs(gone))
		}
	})
}

func attachmentIDs(st map[string]any) []string {
	var out []string
	for _, m := range st["media_attachments"].([]any) {
		out = append(out, m.(map[string]any)["id"].(string))
	}
	return out
}

func TestMediaWithoutFFmpeg(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		in.Social.FFmpeg = nil
		alice := in.NewMember(t, "alice")
		mp4 := []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41")
		msg := errorMessage(t, uploadFile(t, in, alice, "/api/v2/media", upload{mp4, "v.mp4", "video/mp4"}, nil), 422, "video without ffmpeg")
		if !strings.Contains(msg, "ffmpeg") {
			t.Errorf("error %q does not say ffmpeg is missing", msg)
		}
		inst := obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance")
		types := fmt.Sprint(field(inst, "configuration", "media_attachments", "supported_mime_types"))
		if strings.Contains(types, "video/") || !strings.Contains(types, "image/png") {
			t.Errorf("supported_mime_types without ffmpeg = %s", types)
		}
	})
}

func TestMediaVideoQueued(t *testing.T) {
	ff := media.LocateFFmpeg(os.Getenv("FFMPEG_PATH"))
	if ff == nil {
		t.Skip("ffmpeg is not installed (apt-get install ffmpeg): queued video processing not tested")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "v.webm")
	if msg, err := exec.Command(ff.FFmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1",
		"-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libvpx", "-c:a", "libvorbis", "-shortest", out).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, msg)
	}
	video, _ := os.ReadFile(out)
	engines(t, func(t *testing.T, in *servertest.Instance) {
		if err := in.StartJobs(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { in.StopJobs(5 * time.Second) })
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		inst := obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance")
		if types := fmt.Sprint(field(inst, "configuration", "media_attachments", "supported_mime_types")); !strings.Contains(types, "video/webm") {
			t.Errorf("supported_mime_types with ffmpeg = %s", types)
		}
		m := obj(t, uploadFile(t, in, alice, "/api/v2/media", upload{video, "v.webm", "video/webm"}, nil), 202, "queued upload")
		if m["url"] != nil || m["type"] != "video" {
			t.Errorf("queued attachment = %v", m)
		}
		path := "/api/v1/media/" + m["id"].(string)
		want(t, bob.Do(t, "GET", path, nil), 404, "another's queued media")
		var done jsonObj
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			r := alice.Do(t, "GET", path, nil)
			if r.Status == 200 {
				r.JSON(t, &done)
				break
			}
			want(t, r, 206, "media while processing")
		}
		if done == nil {
			t.Fatal("video not processed within a minute")
		}
		conforms(t, "MediaAttachment", done)
		if done["type"] != "video" || field(done, "meta", "original", "frame_rate") == nil || done["preview_url"] == nil {
			t.Errorf("processed video = %v", done)
		}
		if f, err := media.Sniff(storedObject(t, in, done["url"].(string))); err != nil || f != media.MP4 {
			t.Errorf("stored video is %v, %v; want MP4", f.MIME, err)
		}
		st := obj(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "a film", "media_ids": []string{done["id"].(string)}}), 200, "post video")
		if len(st["media_attachments"].([]any)) != 1 {
			t.Errorf("video status = %v", st["media_attachments"])
		}
		sync := obj(t, uploadFile(t, in, alice, "/api/v1/media", upload{video, "v.webm", ""}, nil), 200, "v1 video is synchronous")
		if sync["url"] == nil {
			t.Errorf("v1 video = %v", sync)
		}
	})
}

func TestAvatarAndHeaderUploads(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		me := obj(t, sendMultipart(t, in, alice.Token, "PATCH", "/api/v1/accounts/update_credentials", map[string]string{"display_name": "Alice"},
			map[string]upload{"avatar": {jpegOf(t, 800, 600), "me.jpg", "image/jpeg"}, "header": {pngOf(t, 3000, 1500), "h.png", "image/png"}}), 200, "update_credentials")
		conforms(t, "CredentialAccount", me)
		avatar, _, err := image.DecodeConfig(bytes.NewReader(storedObject(t, in, me["avatar"].(string))))
		if err != nil || avatar.Width != 400 || avatar.Height != 400 || me["avatar_static"] != me["avatar"] || me["display_name"] != "Alice" {
			t.Errorf("avatar %v %v; account %v", avatar, err, me)
		}
		header, _, err := image.DecodeConfig(bytes.NewReader(storedObject(t, in, me["header"].(string))))
		if err != nil || header.Width != 1500 || header.Height != 500 {
			t.Errorf("header %v %v", header, err)
		}
		p := obj(t, sendMultipart(t, in, alice.Token, "PATCH", "/api/v1/profile", nil,
			map[string]upload{"avatar": {pngOf(t, 100, 100), "a.png", "image/png"}}), 200, "PATCH profile avatar")
		if p["avatar"] == nil || p["avatar"] == me["avatar"] {
			t.Errorf("profile avatar = %v (was %v)", p["avatar"], me["avatar"])
		}
		oldKey := strings.TrimPrefix(me["avatar"].(string), in.Social.Media.Host+"/")
		if _, err := in.Social.Media.Store.Stat(context.Background(), oldKey); !errors.Is(err, blob.ErrNotExist) {
			t.Errorf("replaced avatar's object: %v", err)
		}
		errorMessage(t, sendMultipart(t, in, alice.Token, "PATCH", "/api/v1/accounts/update_credentials", nil,
			map[string]upload{"avatar": {[]byte("<html>"), "a.png", "image/png"}}), 422, "HTML avatar")
		errorMessage(t, sendMultipart(t, in, alice.Token, "PATCH", "/api/v1/accounts/update_credentials", nil,
			map[string]upload{"avatar": {make([]byte, 2*media.MaxImageBytes+2<<20), "a.png", "image/png"}}), 413, "body over the limit")
		errorMessage(t, alice.Form(t, "PATCH", "/api/v1/accounts/update_credentials", "avatar="+url.QueryEscape("data:image/png;base64,@@@")), 422, "bad data URI")
		newKey := strings.TrimPrefix(p["avatar"].(string), in.Social.Media.Host+"/")
		cleared := obj(t, alice.Do(t, "DELETE", "/api/v1/profile/avatar", nil), 200, "DELETE avatar")
		if !strings.HasSuffix(cleared["avatar"].(string), "/avatars/original/missing.png") {
			t.Errorf("avatar after DELETE = %v", cleared["avatar"])
		}
		if _, err := in.Social.Media.Store.Stat(context.Background(), newKey); !errors.Is(err, blob.ErrNotExist) {
			t.Errorf("deleted avatar's object: %v", err)
		}
	})
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
