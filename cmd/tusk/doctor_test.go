package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strconv"
	"testing"

	"github.com/tuskhq/tusk/internal/doctor"
)

func TestDoctorExitsNonZeroOnFailure(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	dir := t.TempDir()
	healthy := env(map[string]string{"TUSK_DATA_DIR": dir, "LOCAL_DOMAIN": "social.example"})
	if err := run(context.Background(), []string{"admin", "doctor"}, io.Discard, io.Discard, healthy); err != nil {
		t.Errorf("doctor on a fresh instance = %v; want warnings only", err)
	}
	broken := env(map[string]string{"TUSK_DATA_DIR": dir, "SMTP_SERVER": "127.0.0.1", "SMTP_PORT": closed})
	var out bytes.Buffer
	err = run(context.Background(), []string{"admin", "doctor", "--json"}, &out, io.Discard, broken)
	var results []doctor.Result
	if !errors.Is(err, errDoctorFailed) || json.Unmarshal(out.Bytes(), &results) != nil || len(results) != len(doctor.Checks()) {
		t.Fatalf("doctor with SMTP down = %v, %s; want the failure and every check as JSON", err, out.String())
	}
	for _, r := range results {
		if (r.Check == "smtp") != (r.Status == doctor.Fail) {
			t.Errorf("%s: %s %s; want only smtp to fail", r.Check, r.Status, r.Detail)
		}
	}
	out.Reset()
	err = run(context.Background(), []string{"admin", "doctor", "--json"}, &out, io.Discard, env(map[string]string{"PORT": "eighty"}))
	if !errors.Is(err, errDoctorFailed) || !bytes.Contains(out.Bytes(), []byte(`"PORT: `)) {
		t.Errorf("doctor with a bad setting = %v, %s; want a configuration failure naming PORT", err, out.String())
	}
}
