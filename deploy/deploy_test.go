// Package deploy holds the deployment files (docker-compose.yml, the systemd unit, the
// nginx example); its tests keep them honest.
package deploy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

type composeFile struct {
	Services map[string]struct {
		Image   string   `yaml:"image"`
		Command []string `yaml:"command"`
		Volumes []string `yaml:"volumes"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func readCompose(t *testing.T) (string, composeFile) {
	t.Helper()
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return string(raw), c
}

// stateful maps each service that keeps state to the path its state lives under.
var stateful = map[string]string{
	"db": "/var/lib/postgresql/data", "redis": "/data", "minio": "/data",
	"web": "/data", "streaming": "/data", "worker": "/data", "migrate": "/data",
}

// TestComposeKeepsEveryStateOnANamedVolume guards against the stock-compose-file data
// loss: every service with state mounts a declared named volume at its state's path.
func TestComposeKeepsEveryStateOnANamedVolume(t *testing.T) {
	_, c := readCompose(t)
	for name, path := range stateful {
		svc, ok := c.Services[name]
		if !ok {
			t.Errorf("service %s is missing", name)
			continue
		}
		found := false
		for _, v := range svc.Volumes {
			src, dst, _ := strings.Cut(v, ":")
			if strings.HasPrefix(dst, path) {
				if _, declared := c.Volumes[src]; !declared {
					t.Errorf("%s mounts %q at %s, which is not a named volume declared under volumes:", name, src, dst)
				}
				found = true
			}
		}
		if !found {
			t.Errorf("%s keeps no named volume at %s: its data would die with the container", name, path)
		}
	}
}

// TestComposeHasNothingCommentedOut: a commented-out line is a setting someone must
// remember to enable; the file has none (explanations live in docs/operations.md).
func TestComposeHasNothingCommentedOut(t *testing.T) {
	raw, _ := readCompose(t)
	for i, line := range strings.Split(raw, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			t.Errorf("docker-compose.yml:%d is commented out: %q", i+1, line)
		}
	}
}

func TestComposeRunsEveryRole(t *testing.T) {
	_, c := readCompose(t)
	for svc, role := range map[string]string{"web": "web", "streaming": "streaming", "worker": "worker"} {
		cmd := c.Services[svc].Command
		i := slices.Index(cmd, "--role")
		if i < 0 || i+1 >= len(cmd) || cmd[i+1] != role {
			t.Errorf("service %s runs %v; want serve --role %s", svc, cmd, role)
		}
	}
	if cmd := c.Services["migrate"].Command; !slices.Equal(cmd, []string{"migrate"}) {
		t.Errorf("migrate runs %v", cmd)
	}
}

func TestSystemdUnit(t *testing.T) {
	raw, err := os.ReadFile("tusk.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(raw)
	for _, want := range []string{"LimitNOFILE=1048576", "ExecStart=/usr/local/bin/tusk serve", "NoNewPrivileges=yes",
		"ProtectSystem=strict", "User=tusk", "Restart=on-failure"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want)).MatchString(unit) {
			t.Errorf("tusk.service lacks %q", want)
		}
	}
}

func TestNginxExample(t *testing.T) {
	raw, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(raw)
	for _, want := range []string{"worker_rlimit_nofile", "worker_connections", "location /api/v1/streaming",
		"proxy_set_header Upgrade $http_upgrade", "proxy_buffering off", "ssl_certificate", "proxy_cache_path", "proxy_cache tusk_media"} {
		if !strings.Contains(conf, want) {
			t.Errorf("nginx.conf lacks %q", want)
		}
	}
	if n := strings.Count(conf, "server {"); n < 3 {
		t.Errorf("nginx.conf has %d server blocks; want the redirect, the instance and the media host", n)
	}
}

// TestDockerfile: a multi-stage build of a static binary that runs as a user, keeps
// state in a volume and checks its own health.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	for _, want := range []string{"AS build", "CGO_ENABLED=0", "ffmpeg", "USER tusk", "VOLUME /data", "HEALTHCHECK", "/health"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if strings.Count(df, "\nFROM ") < 1 || !strings.HasPrefix(strings.SplitN(df, "\nFROM ", 2)[1], "golang:") {
		t.Errorf("Dockerfile does not build in a golang stage")
	}
}

// TestNginxConfigParses runs "nginx -t" on the example, with its certificate and cache
// paths pointed into a temporary folder; it skips without nginx.
func TestNginxConfigParses(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed (apt install nginx-core): the example's syntax is unchecked")
	}
	dir := t.TempDir()
	cert, key := writeSelfSigned(t, dir)
	raw, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := regexp.MustCompile(`/etc/letsencrypt/live/[^/]+/fullchain\.pem`).ReplaceAllString(string(raw), cert)
	conf = regexp.MustCompile(`/etc/letsencrypt/live/[^/]+/privkey\.pem`).ReplaceAllString(conf, key)
	conf = strings.ReplaceAll(conf, "/var/cache/nginx/tusk-media", filepath.Join(dir, "cache"))
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-t", "-c", path, "-g", "pid "+filepath.Join(dir, "nginx.pid")+";").CombinedOutput(); err != nil {
		t.Errorf("nginx -t: %v\n%s", err, out)
	}
}

func writeSelfSigned(t *testing.T, dir string) (certPath, keyPath string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "social.example"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certPath, keyPath
}
