// Package s3test starts a real S3-compatible server (versitygw over a temporary folder)
// on loopback for tests, so the S3 backend is tested against S3's wire protocol rather
// than a fake.
package s3test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/tuskhq/tusk/internal/blob"
)

// Install is the command that installs the server, for the skip message.
const Install = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

const accessKey, secretKey = "tusktestaccess", "tusktestsecret0123456789"

// Binary finds versitygw: $TUSK_VERSITYGW, then PATH, then Go's bin folder.
func Binary() (string, bool) {
	if p := os.Getenv("TUSK_VERSITYGW"); p != "" {
		return p, true
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, true
	}
	gobin := os.Getenv("GOBIN")
	if gobin == "" {
		if gopath := os.Getenv("GOPATH"); gopath != "" {
			gobin = filepath.Join(strings.Split(gopath, string(os.PathListSeparator))[0], "bin")
		} else if home, err := os.UserHomeDir(); err == nil {
			gobin = filepath.Join(home, "go", "bin")
		}
	}
	p := filepath.Join(gobin, "versitygw")
	_, err := os.Stat(p)
	return p, err == nil
}

// Start runs a server for the test's lifetime and returns the options of a fresh bucket
// on it. The test is skipped when versitygw is not installed.
func Start(t testing.TB) blob.S3Options {
	t.Helper()
	bin, ok := Binary()
	if !ok {
		t.Skipf("versitygw is not installed; S3 tests need it: %s", Install)
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "--access", accessKey, "--secret", secretKey, "--port", addr, "posix", dir)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("s3test: start %s: %v", bin, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	o := blob.S3Options{Endpoint: addr, Region: "us-east-1", Bucket: "tusk-media", AccessKey: accessKey,
		SecretKey: secretKey, PathStyle: true, MultipartThreshold: 5 << 20}
	if err := makeBucket(o); err != nil {
		t.Fatalf("s3test: %v", err)
	}
	return o
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// makeBucket creates the bucket, retrying while the server starts.
func makeBucket(o blob.S3Options) error {
	c, err := minio.New(o.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Region: o.Region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return err
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = c.MakeBucket(ctx, o.Bucket, minio.MakeBucketOptions{Region: o.Region})
		cancel()
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("create bucket on %s: %w", o.Endpoint, err)
	}
	return nil
}
