package blob

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options configure an S3-compatible bucket (Mastodon's S3_* variables).
type S3Options struct {
	Endpoint           string // host[:port]
	Secure             bool   // https
	Region             string
	Bucket             string
	AccessKey          string
	SecretKey          string
	PathStyle          bool   // endpoint/bucket/key rather than bucket.endpoint/key
	Permission         string // canned ACL sent with each upload; empty sends none
	KeyPrefix          string // folder in the bucket every key lives under
	MultipartThreshold int64  // objects at least this large upload in parts
}

// S3 keeps objects in an S3-compatible bucket: AWS, MinIO, R2, Wasabi, versitygw…
type S3 struct {
	client *minio.Client
	opts   S3Options
}

// minPartSize is S3's smallest part of a multipart upload.
const minPartSize = 5 << 20

// NewS3 connects to the bucket; it does not check that it exists (see Check).
func NewS3(o S3Options) (*S3, error) {
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(o.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure:       o.Secure,
		Region:       o.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: s3 client: %w", err)
	}
	o.KeyPrefix = strings.Trim(o.KeyPrefix, "/")
	return &S3{client: c, opts: o}, nil
}

// Check tells whether the bucket is reachable and exists.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.opts.Bucket)
	if err != nil {
		return fmt.Errorf("blob: s3 bucket %s: %w", s.opts.Bucket, err)
	}
	if !ok {
		return fmt.Errorf("blob: s3 bucket %s does not exist", s.opts.Bucket)
	}
	return nil
}

func (s *S3) objectName(key string) (string, error) {
	if !validKey(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	if s.opts.KeyPrefix == "" {
		return key, nil
	}
	return s.opts.KeyPrefix + "/" + key, nil
}

func (s *S3) keyOf(name string) string {
	if s.opts.KeyPrefix == "" {
		return name
	}
	return strings.TrimPrefix(name, s.opts.KeyPrefix+"/")
}

// Put uploads r; small objects in one request (their ETag is then their MD5), large ones
// in parts of at least the multipart threshold.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	name, err := s.objectName(key)
	if err != nil {
		return err
	}
	if contentType == "" {
		contentType = typeOf(key)
	}
	opts := minio.PutObjectOptions{ContentType: contentType, SendContentMd5: true}
	if size >= 0 && size < s.opts.MultipartThreshold {
		opts.DisableMultipart = true
	} else {
		opts.PartSize = uint64(max(s.opts.MultipartThreshold, minPartSize))
	}
	if s.opts.Permission != "" {
		opts.UserMetadata = map[string]string{"x-amz-acl": s.opts.Permission}
	}
	if _, err := s.client.PutObject(ctx, s.opts.Bucket, name, r, size, opts); err != nil {
		return fmt.Errorf("blob: s3 put %s: %w", key, err)
	}
	return nil
}

type s3Object struct {
	*minio.Object
	info Info
}

func (o *s3Object) Info() Info { return o.info }

// Open starts reading key; the object seeks by issuing ranged requests.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	name, err := s.objectName(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.opts.Bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.fail("open", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, s.fail("open", key, err)
	}
	return &s3Object{Object: obj, info: s.info(st)}, nil
}

// Stat asks the bucket for key's size, type and ETag.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	name, err := s.objectName(key)
	if err != nil {
		return Info{}, err
	}
	st, err := s.client.StatObject(ctx, s.opts.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s.fail("stat", key, err)
	}
	return s.info(st), nil
}

// Delete removes key; S3 answers success for absent keys.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.objectName(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.opts.Bucket, name, minio.RemoveObjectOptions{}); err != nil {
		return s.fail("delete", key, err)
	}
	return nil
}

// List pages through the bucket under prefix; S3 lists in key order.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	full := prefix
	if s.opts.KeyPrefix != "" {
		full = s.opts.KeyPrefix + "/" + prefix
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing goroutine when fn fails
	for o := range s.client.ListObjects(ctx, s.opts.Bucket, minio.ListObjectsOptions{Prefix: full, Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("blob: s3 list %s: %w", prefix, o.Err)
		}
		info := s.info(o)
		if info.ContentType == "" {
			info.ContentType = typeOf(info.Key)
		}
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}

func (s *S3) info(o minio.ObjectInfo) Info {
	etag := strings.Trim(o.ETag, `"`)
	return Info{Key: s.keyOf(o.Key), Size: o.Size, ContentType: o.ContentType, ModTime: o.LastModified, ETag: `"` + etag + `"`}
}

func (s *S3) fail(op, key string, err error) error {
	resp := minio.ToErrorResponse(err)
	if resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket {
		return fmt.Errorf("blob: s3 %s %s: %w", op, key, ErrNotExist)
	}
	return fmt.Errorf("blob: s3 %s %s: %w", op, key, err)
}
