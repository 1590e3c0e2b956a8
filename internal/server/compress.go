package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// minCompressBytes: below this, compression saves less than its headers and CPU cost.
const minCompressBytes = 1024

// encoders are the codings tusk offers, best first when the client accepts several.
var encoders = []struct {
	name string
	pool *sync.Pool
}{
	{"zstd", &sync.Pool{New: func() any {
		w, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true))
		return encoder(w)
	}}},
	{"br", &sync.Pool{New: func() any { return encoder(brotli.NewWriterLevel(nil, 4)) }}},
	{"gzip", &sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return encoder(w) }}},
}

// encoder is what the three compressors have in common.
type encoder interface {
	io.WriteCloser
	Reset(io.Writer)
	Flush() error
}

// compressJSON compresses JSON responses of the API for clients that accept it. Media is
// already compressed and streaming must not be buffered, so only JSON bodies of at least
// minCompressBytes are touched.
func compressJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") || r.Header.Get("Upgrade") != "" || strings.HasPrefix(r.URL.Path, "/api/v1/streaming") {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept-Encoding")
		coding := negotiate(r.Header.Get("Accept-Encoding"))
		if coding < 0 || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, coding: coding}
		defer cw.finish()
		next.ServeHTTP(cw, r)
	})
}

// negotiate picks the first of encoders the Accept-Encoding header admits, or -1.
func negotiate(accept string) int {
	offered := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				continue
			}
		}
		offered[strings.ToLower(strings.TrimSpace(name))] = true
	}
	for i, e := range encoders {
		if offered[e.name] {
			return i
		}
	}
	return -1
}

// compressWriter holds back the start of a JSON body until it knows whether the body is
// large enough to compress, then either compresses or passes everything through.
type compressWriter struct {
	http.ResponseWriter
	coding   int
	status   int
	decided  bool
	eligible bool // JSON, no encoding of its own, a status with a body
	buf      bytes.Buffer
	enc      encoder
}

// Unwrap lets http.ResponseController reach the connection.
func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *compressWriter) WriteHeader(code int) {
	if c.status != 0 {
		return
	}
	c.status = code
	h := c.Header()
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	c.eligible = (ct == "application/json" || strings.HasSuffix(ct, "+json")) && h.Get("Content-Encoding") == "" &&
		code != http.StatusNoContent && code != http.StatusNotModified && code >= 200
	if !c.eligible {
		c.decided = true
		c.ResponseWriter.WriteHeader(code)
	}
}

func (c *compressWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.decided {
		if c.enc != nil {
			return c.enc.Write(p)
		}
		return c.ResponseWriter.Write(p)
	}
	c.buf.Write(p)
	if c.buf.Len() >= minCompressBytes {
		if err := c.start(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// start begins compressing what was held back.
func (c *compressWriter) start() error {
	c.decided = true
	h := c.Header()
	h.Del("Content-Length")
	h.Set("Content-Encoding", encoders[c.coding].name)
	c.ResponseWriter.WriteHeader(c.status)
	c.enc = encoders[c.coding].pool.Get().(encoder)
	c.enc.Reset(c.ResponseWriter)
	_, err := c.enc.Write(c.buf.Bytes())
	c.buf.Reset()
	return err
}

// Flush sends what is compressed so far.
func (c *compressWriter) Flush() {
	if !c.decided && c.eligible {
		c.start()
	}
	if c.enc != nil {
		c.enc.Flush()
	}
	http.NewResponseController(c.ResponseWriter).Flush()
}

// finish writes a small body as it is, or ends the compressed stream.
func (c *compressWriter) finish() {
	if c.status == 0 {
		return // nothing written: the server sends its own 200
	}
	if !c.decided {
		c.ResponseWriter.WriteHeader(c.status)
		c.ResponseWriter.Write(c.buf.Bytes())
		return
	}
	if c.enc != nil {
		c.enc.Close()
		c.enc.Reset(nil)
		encoders[c.coding].pool.Put(c.enc)
	}
}
