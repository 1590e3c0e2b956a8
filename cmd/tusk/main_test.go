package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestHelpListsFlagsAndVariables(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--help"}, io.Discard, &stderr, env(nil))
	if err == nil || !strings.Contains(err.Error(), "help") {
		t.Fatalf("serve --help: err = %v; want flag.ErrHelp", err)
	}
	for _, want := range []string{"-local-domain", "LOCAL_DOMAIN", "DATABASE_URL", "DB_POOL", "TUSK_DATA_DIR", "LOCAL_HTTPS"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("serve --help does not mention %s", want)
		}
	}
}

func TestInvalidSettingNamesTheVariable(t *testing.T) {
	err := run(context.Background(), []string{"migrate"}, io.Discard, io.Discard, env(map[string]string{"PORT": "eighty"}))
	if err == nil || !strings.Contains(err.Error(), "PORT") {
		t.Fatalf("err = %v; want one naming PORT", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard, env(nil)); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestVersionAndMigrate(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard, env(nil)); err != nil || !strings.Contains(out.String(), "schema (sqlite)") {
		t.Fatalf("version = %q, %v", out.String(), err)
	}
	out.Reset()
	vars := env(map[string]string{"TUSK_DATA_DIR": t.TempDir()})
	if err := run(context.Background(), []string{"migrate"}, &out, io.Discard, vars); err != nil || !strings.Contains(out.String(), "sqlite: applied") {
		t.Fatalf("first migrate = %q, %v", out.String(), err)
	}
}

func TestServeAnswersUntilCancelled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	vars := env(map[string]string{"TUSK_DATA_DIR": t.TempDir()})
	go func() {
		done <- run(ctx, []string{"serve", "--port", itoa(port)}, io.Discard, io.Discard, vars)
	}()
	if body := waitForHealth(t, "http://127.0.0.1:"+itoa(port)+"/health"); body != "OK" {
		t.Errorf("/health = %q; want OK", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
}

func waitForHealth(t *testing.T, url string) string {
	t.Helper()
	for i := 0; i < 100; i++ {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
