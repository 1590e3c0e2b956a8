package config

import (
	"strings"
	"testing"
	"time"
)

func TestStorageSettings(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Storage
	if s.S3.Enabled || !s.CacheRemote || s.CacheMaxBytes != 10e9 || s.CacheMaxAge != 7*24*time.Hour || s.S3.MultipartThreshold != 15e6 {
		t.Errorf("defaults = %+v", s)
	}
	if got := c.MediaBaseURL(); got != "http://localhost:3000/system" {
		t.Errorf("MediaBaseURL() = %q; want the instance's /system", got)
	}
	c, err = load(t, []string{"--s3-enabled", "true"}, map[string]string{"S3_BUCKET": "media", "AWS_ACCESS_KEY_ID": "k",
		"AWS_SECRET_ACCESS_KEY": "s", "S3_ENDPOINT": "http://127.0.0.1:9000", "S3_OVERRIDE_PATH_STYLE": "true",
		"S3_KEY_PREFIX": "/tusk/", "S3_MULTIPART_THRESHOLD": "8MiB", "TUSK_REMOTE_MEDIA_CACHE_MAX": "512MB",
		"LOCAL_DOMAIN": "social.example", "TUSK_MEDIA_HOST": "media.social.example"})
	if err != nil {
		t.Fatal(err)
	}
	s3 := c.Storage.S3
	if s3.Endpoint != "127.0.0.1:9000" || s3.Secure || !s3.PathStyle || s3.KeyPrefix != "tusk" || s3.MultipartThreshold != 8<<20 || c.Storage.CacheMaxBytes != 512e6 {
		t.Errorf("parsed = %+v", c.Storage)
	}
	if got := c.MediaBaseURL(); got != "https://media.social.example" {
		t.Errorf("MediaBaseURL() = %q; want the media host", got)
	}
	c, _ = load(t, nil, map[string]string{"S3_ALIAS_HOST": "cdn.example/files", "TUSK_MEDIA_HOST": "media.example"})
	if got := c.MediaBaseURL(); got != "https://cdn.example/files" {
		t.Errorf("MediaBaseURL() = %q; want the alias host", got)
	}
	c, _ = load(t, nil, map[string]string{"S3_ENABLED": "true", "S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "S3_REGION": "eu-west-3"})
	if c.Storage.S3.Endpoint != "s3.eu-west-3.amazonaws.com" || !c.Storage.S3.Secure {
		t.Errorf("AWS endpoint = %q, secure %t", c.Storage.S3.Endpoint, c.Storage.S3.Secure)
	}
}

func TestBadStorageSettingsStopStartup(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"S3_ENABLED": "true"}, "S3_BUCKET"},
		{map[string]string{"S3_BUCKET": "media"}, "AWS_ACCESS_KEY_ID"},
		{map[string]string{"S3_ENDPOINT": "minio:9000"}, "S3_ENDPOINT"},
		{map[string]string{"S3_ENDPOINT": "http://minio:9000/bucket"}, "S3_ENDPOINT"},
		{map[string]string{"S3_PROTOCOL": "ftp"}, "S3_PROTOCOL"},
		{map[string]string{"S3_ALIAS_HOST": "https://cdn.example"}, "S3_ALIAS_HOST"},
		{map[string]string{"S3_PERMISSION": "everyone"}, "S3_PERMISSION"},
		{map[string]string{"S3_KEY_PREFIX": "../up"}, "S3_KEY_PREFIX"},
		{map[string]string{"S3_MULTIPART_THRESHOLD": "1MB"}, "S3_MULTIPART_THRESHOLD"},
		{map[string]string{"TUSK_MEDIA_HOST": "media host"}, "TUSK_MEDIA_HOST"},
		{map[string]string{"TUSK_MEDIA_HOST": "social.example", "LOCAL_DOMAIN": "social.example"}, "TUSK_MEDIA_HOST"},
		{map[string]string{"TUSK_REMOTE_MEDIA_CACHE_MAX": "lots"}, "TUSK_REMOTE_MEDIA_CACHE_MAX"},
		{map[string]string{"TUSK_REMOTE_MEDIA_CACHE_DAYS": "0"}, "TUSK_REMOTE_MEDIA_CACHE_DAYS"},
	} {
		if _, err := load(t, nil, tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%v) = %v; want an error naming %s", tc.env, err, tc.want)
		}
	}
}
