package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// StorageConfig holds the settings for media storage: the S3-compatible backend, the
// host media URLs name, and the cache of remote media.
type StorageConfig struct {
	S3 S3Config
	// MediaHost is the host name tusk serves local media under (TUSK_MEDIA_HOST), so
	// URLs stay the same whatever backend holds the bytes; empty: <base URL>/system.
	MediaHost string
	// CacheRemote keeps copies of remote media; off, clients load it from its origin.
	CacheRemote bool
	// CacheMaxBytes caps the remote media cache; the least recently used goes first.
	CacheMaxBytes int64
	// CacheMaxAge evicts cached remote media not read for this long.
	CacheMaxAge time.Duration
	// FFmpegPath is the ffmpeg binary, or the folder holding ffmpeg and ffprobe; empty: PATH.
	FFmpegPath string
}

// S3Config is an S3-compatible bucket, configured with Mastodon's variables.
type S3Config struct {
	Enabled            bool
	Bucket             string
	Endpoint           string // host[:port] of the S3 API, from S3_ENDPOINT (a URL)
	Secure             bool   // whether Endpoint speaks https
	Region             string
	AccessKey          string
	SecretKey          string
	AliasHost          string // host media URLs name when a CDN or proxy serves the bucket
	Protocol           string // scheme of AliasHost URLs: https or http
	PathStyle          bool   // address the bucket as endpoint/bucket rather than bucket.endpoint
	Permission         string // canned ACL given to each object; empty: none
	KeyPrefix          string // prepended to every key in the bucket
	MultipartThreshold int64  // objects at least this large upload in parts
}

// MediaBaseURL is what every media URL starts with: the S3 alias host, the media host,
// or the instance's own /system path.
func (c Config) MediaBaseURL() string {
	switch {
	case c.Storage.S3.AliasHost != "":
		return c.Storage.S3.Protocol + "://" + c.Storage.S3.AliasHost
	case c.Storage.MediaHost != "":
		if c.LocalHTTPS {
			return "https://" + c.Storage.MediaHost
		}
		return "http://" + c.Storage.MediaHost
	}
	return c.BaseURL() + "/system"
}

// storageSettings are the variables for media storage.
var storageSettings = []setting{
	{"S3_ENABLED", "s3-enabled", "false", "keep new media in an S3-compatible bucket (see tusk admin media migrate to move existing media)", func(c *Config, v string) (err error) {
		c.Storage.S3.Enabled, err = parseBool(v)
		return err
	}},
	{"S3_BUCKET", "s3-bucket", "", "the bucket's name", func(c *Config, v string) error {
		c.Storage.S3.Bucket = v
		return nil
	}},
	{"S3_ENDPOINT", "s3-endpoint", "", "URL of the S3 API, e.g. https://minio.example:9000; empty: AWS in S3_REGION", func(c *Config, v string) error {
		return parseS3Endpoint(&c.Storage.S3, v)
	}},
	{"S3_REGION", "s3-region", "us-east-1", "the bucket's region", func(c *Config, v string) error {
		c.Storage.S3.Region = v
		return nil
	}},
	{"AWS_ACCESS_KEY_ID", "aws-access-key-id", "", "S3 access key", func(c *Config, v string) error {
		c.Storage.S3.AccessKey = v
		return nil
	}},
	{"AWS_SECRET_ACCESS_KEY", "aws-secret-access-key", "", "S3 secret key", func(c *Config, v string) error {
		c.Storage.S3.SecretKey = v
		return nil
	}},
	{"S3_ALIAS_HOST", "s3-alias-host", "", "host (and optional path) media URLs name, when a CDN or proxy serves the bucket", func(c *Config, v string) error {
		c.Storage.S3.AliasHost = strings.TrimRight(v, "/")
		return checkAliasHost(v)
	}},
	{"S3_PROTOCOL", "s3-protocol", "https", "scheme of S3_ALIAS_HOST URLs: https or http", func(c *Config, v string) error {
		c.Storage.S3.Protocol = v
		if v != "https" && v != "http" {
			return fmt.Errorf("%q is not https or http", v)
		}
		return nil
	}},
	{"S3_OVERRIDE_PATH_STYLE", "s3-override-path-style", "false", "address the bucket as endpoint/bucket (MinIO and most self-hosted servers want this)", func(c *Config, v string) (err error) {
		c.Storage.S3.PathStyle, err = parseBool(v)
		return err
	}},
	{"S3_PERMISSION", "s3-permission", "", "canned ACL for uploaded objects (public-read when S3_ALIAS_HOST serves the bucket directly); empty sends none", func(c *Config, v string) error {
		c.Storage.S3.Permission = v
		switch v {
		case "", "private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control":
			return nil
		}
		return fmt.Errorf("%q is not a canned ACL (private, public-read …)", v)
	}},
	{"S3_KEY_PREFIX", "s3-key-prefix", "", "folder inside the bucket every key goes under", func(c *Config, v string) error {
		c.Storage.S3.KeyPrefix = strings.Trim(v, "/")
		if strings.Contains(v, "..") || strings.Contains(v, "\\") {
			return fmt.Errorf("%q may not contain .. or \\", v)
		}
		return nil
	}},
	{"S3_MULTIPART_THRESHOLD", "s3-multipart-threshold", "15MB", "objects at least this large upload in parts (at least 5MB)", func(c *Config, v string) (err error) {
		c.Storage.S3.MultipartThreshold, err = parseBytes(v)
		if err == nil && c.Storage.S3.MultipartThreshold < 5<<20 {
			err = fmt.Errorf("%q is below S3's 5MB minimum part size", v)
		}
		return err
	}},
	{"TUSK_MEDIA_HOST", "media-host", "", "host name (with optional :port) tusk serves media under, e.g. media.example.com; empty: <base URL>/system", func(c *Config, v string) error {
		c.Storage.MediaHost = strings.ToLower(v)
		if v == "" {
			return nil
		}
		return checkDomain(v)
	}},
	{"TUSK_REMOTE_MEDIA_CACHE", "remote-media-cache", "true", "keep copies of remote media; false serves it from its origin", func(c *Config, v string) (err error) {
		c.Storage.CacheRemote, err = parseBool(v)
		return err
	}},
	{"TUSK_REMOTE_MEDIA_CACHE_MAX", "remote-media-cache-max", "10GB", "size cap of the remote media cache; the least recently used goes first", func(c *Config, v string) (err error) {
		c.Storage.CacheMaxBytes, err = parseBytes(v)
		return err
	}},
	{"TUSK_REMOTE_MEDIA_CACHE_DAYS", "remote-media-cache-days", "7", "cached remote media unread for this many days is removed", func(c *Config, v string) error {
		days, err := parseInt(v, 1, 3650)
		c.Storage.CacheMaxAge = time.Duration(days) * 24 * time.Hour
		return err
	}},
	{"FFMPEG_PATH", "ffmpeg-path", "", "ffmpeg binary (or the folder with ffmpeg and ffprobe) for video and audio; empty: found on PATH", func(c *Config, v string) error {
		c.Storage.FFmpegPath = v
		return nil
	}},
}

// deriveStorage checks the settings that only make sense together. A bucket may be
// configured without S3_ENABLED: media then stays local until moved there.
func deriveStorage(c *Config) error {
	if h := c.Storage.MediaHost; h != "" && (h == c.WebDomain || h == c.LocalDomain) {
		return fmt.Errorf("TUSK_MEDIA_HOST: %s is the instance's own host; media needs a host name of its own", h)
	}
	s3 := &c.Storage.S3
	if s3.Enabled && s3.Bucket == "" {
		return fmt.Errorf("S3_ENABLED: S3_BUCKET must be set")
	}
	if s3.Bucket == "" {
		return nil
	}
	if s3.AccessKey == "" || s3.SecretKey == "" {
		return fmt.Errorf("S3_BUCKET: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set")
	}
	if s3.Endpoint == "" {
		s3.Endpoint, s3.Secure = "s3."+s3.Region+".amazonaws.com", true
	}
	return nil
}

func parseS3Endpoint(s3 *S3Config, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return fmt.Errorf("%q is not an http(s):// URL without a path", v)
	}
	s3.Endpoint, s3.Secure = u.Host, u.Scheme == "https"
	return nil
}

func checkAliasHost(v string) error {
	if v == "" {
		return nil
	}
	host, _, _ := strings.Cut(v, "/")
	if strings.Contains(v, "://") || checkDomain(host) != nil {
		return fmt.Errorf("%q is not a host name with an optional path (no scheme: see S3_PROTOCOL)", v)
	}
	return nil
}

// parseBytes reads a size such as 10GB, 512MB, 64KiB or a plain number of bytes.
func parseBytes(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	units := []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 10GB, 512MB or a number of bytes)", v)
	}
	return n * mult, nil
}
