package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config configures the S3-compatible backend (Amazon S3, MinIO, Ceph RGW…).
type S3Config struct {
	Endpoint  string // host[:port], no scheme
	Bucket    string
	Region    string
	AccessKey string
	SecretKey string
	// Secure uses HTTPS.
	Secure bool
	// PathStyle addresses the bucket in the path (MinIO, Ceph, test servers) instead
	// of the host name.
	PathStyle bool
	// Prefix is put before every key ("parley/" to share a bucket).
	Prefix string
	// CreateBucket makes the bucket when it does not exist.
	CreateBucket bool
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
}

// S3 keeps blobs as objects of one bucket. An object appears only when its upload
// completed (S3's PUT and multipart completion are atomic), so a failed Put leaves
// nothing behind.
type S3 struct {
	cl     *minio.Client
	bucket string
	prefix string
}

// OpenS3 connects to the object store and checks the bucket.
func OpenS3(ctx context.Context, c S3Config) (*S3, error) {
	if c.Endpoint == "" || c.Bucket == "" {
		return nil, errors.New("media: S3 needs an endpoint and a bucket")
	}
	lookup := minio.BucketLookupAuto
	if c.PathStyle {
		lookup = minio.BucketLookupPath
	}
	cl, err := minio.New(c.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure:       c.Secure,
		Region:       c.Region,
		BucketLookup: lookup,
		Transport:    c.Transport,
	})
	if err != nil {
		return nil, err
	}
	ok, err := cl.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("media: S3 bucket %q: %w", c.Bucket, err)
	}
	if !ok {
		if !c.CreateBucket {
			return nil, fmt.Errorf("media: S3 bucket %q does not exist", c.Bucket)
		}
		if err := cl.MakeBucket(ctx, c.Bucket, minio.MakeBucketOptions{Region: c.Region}); err != nil {
			return nil, fmt.Errorf("media: create S3 bucket %q: %w", c.Bucket, err)
		}
	}
	return &S3{cl: cl, bucket: c.Bucket, prefix: c.Prefix}, nil
}

func (s *S3) key(key string) (string, error) {
	if !validKey(key) {
		return "", errBadKey
	}
	return s.prefix + key, nil
}

func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	k, err := s.key(key)
	if err != nil {
		return err
	}
	// Parts are signed over their buffered bytes, not with a streaming chunk signature
	// (aws-chunked), which not every S3-compatible server decodes; integrity is still
	// checked by the part checksums.
	opts := minio.PutObjectOptions{ContentType: contentType, DisableContentSha256: true, SendContentMd5: true}
	if size < 0 {
		opts.PartSize = 8 << 20 // unknown length: multipart in 8 MiB parts
	}
	_, err = s.cl.PutObject(ctx, s.bucket, k, r, size, opts)
	return err
}

func notFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == "NoSuchKey" || code == "NotFound"
}

type s3Object struct {
	*minio.Object
	info Info
}

func (o s3Object) Info() Info { return o.info }

func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	k, err := s.key(key)
	if err != nil {
		return nil, err
	}
	o, err := s.cl.GetObject(ctx, s.bucket, k, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	st, err := o.Stat()
	if err != nil {
		_ = o.Close()
		if notFound(err) {
			return nil, ErrBlobNotFound
		}
		return nil, err
	}
	return s3Object{o, Info{Size: st.Size, ModTime: st.LastModified}}, nil
}

func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	k, err := s.key(key)
	if err != nil {
		return Info{}, err
	}
	st, err := s.cl.StatObject(ctx, s.bucket, k, minio.StatObjectOptions{})
	if err != nil {
		if notFound(err) {
			return Info{}, ErrBlobNotFound
		}
		return Info{}, err
	}
	return Info{Size: st.Size, ModTime: st.LastModified}, nil
}

func (s *S3) Delete(ctx context.Context, key string) error {
	k, err := s.key(key)
	if err != nil {
		return err
	}
	err = s.cl.RemoveObject(ctx, s.bucket, k, minio.RemoveObjectOptions{})
	if err != nil && notFound(err) {
		return nil
	}
	return err
}
