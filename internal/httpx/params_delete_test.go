package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParamsReadDeleteFormBody(t *testing.T) {
	r := httptest.NewRequest("DELETE", "/api/v1/domain_blocks?limit=1", strings.NewReader("domain=example.com"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p, err := ParseParams(httptest.NewRecorder(), r)
	if err != nil {
		t.Fatal(err)
	}
	if p.Get("domain") != "example.com" || p.Get("limit") != "1" {
		t.Errorf("DELETE params = %v; want domain from the body and limit from the query", p.Values)
	}
}
