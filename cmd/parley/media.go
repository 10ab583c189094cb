package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/parley-chat/parley/media"
)

// mediaFlags are the serve flags of media messages (issue 16, docs/PROTOCOL.md#media).
type mediaFlags struct {
	backend, dir, baseURL, secret                   *string
	urlTTL, collectAfter, unsentAfter               *time.Duration
	imageMax, fileMax, audioMax, videoMax, quota    *int64
	external                                        *bool
	s3Endpoint, s3Bucket, s3Region, s3Key, s3Secret *string
	s3Prefix                                        *string
	s3PathStyle, s3Secure, s3Create                 *bool
}

func addMediaFlags(fs *flag.FlagSet) *mediaFlags {
	return &mediaFlags{
		backend:      fs.String("media", "", "blob store of media files: local (one node), s3 (every node of a cluster) or off; default local, off with --etcd"),
		dir:          fs.String("media-dir", "", "directory of --media local (default: <data>-media, next to the Badger directory)"),
		baseURL:      fs.String("media-base-url", "", "what download URLs start with, as clients reach this server (default http://<addr>)"),
		secret:       fs.String("media-secret", "", "key signing download URLs, equal on every node (default: derived from --secret)"),
		urlTTL:       fs.Duration("media-url-ttl", 7*24*time.Hour, "how long a download URL is valid (clients refresh expired ones)"),
		collectAfter: fs.Duration("media-collect-after", 24*time.Hour, "how long a file whose messages were removed for everyone is kept"),
		unsentAfter:  fs.Duration("media-unsent-after", 7*24*time.Hour, "how long an upload no message shows is kept"),
		imageMax:     fs.Int64("media-image-max-bytes", media.DefaultMaxBytes[media.TypeImage], "largest image upload"),
		fileMax:      fs.Int64("media-file-max-bytes", media.DefaultMaxBytes[media.TypeFile], "largest file upload"),
		audioMax:     fs.Int64("media-audio-max-bytes", media.DefaultMaxBytes[media.TypeAudio], "largest audio upload"),
		videoMax:     fs.Int64("media-video-max-bytes", media.DefaultMaxBytes[media.TypeVideo], "largest video upload"),
		quota:        fs.Int64("media-daily-quota", 1<<30, "bytes one user may upload per UTC day (-1: no quota)"),
		external:     fs.Bool("media-external-urls", false, "let media messages carry file URLs of other servers"),
		s3Endpoint:   fs.String("s3-endpoint", "", "S3-compatible endpoint host[:port] for --media s3 (s3.amazonaws.com, minio:9000…)"),
		s3Bucket:     fs.String("s3-bucket", "", "bucket of --media s3"),
		s3Region:     fs.String("s3-region", "", "region of the bucket"),
		s3Key:        fs.String("s3-access-key", "", "access key (or PARLEY_S3_ACCESS_KEY, AWS_ACCESS_KEY_ID)"),
		s3Secret:     fs.String("s3-secret-key", "", "secret key (or PARLEY_S3_SECRET_KEY, AWS_SECRET_ACCESS_KEY)"),
		s3Prefix:     fs.String("s3-prefix", "", "key prefix inside the bucket (e.g. parley/)"),
		s3PathStyle:  fs.Bool("s3-path-style", false, "address the bucket in the path (MinIO, Ceph) instead of the host name"),
		s3Secure:     fs.Bool("s3-secure", true, "use HTTPS to reach the endpoint"),
		s3Create:     fs.Bool("s3-create-bucket", false, "create the bucket when it does not exist"),
	}
}

// config builds the media configuration; nil means media off.
func (f *mediaFlags) config(ctx context.Context, data, secret string, cluster bool, log *slog.Logger) (*media.Config, error) {
	backend := *f.backend
	if backend == "" {
		backend = "local"
		if cluster {
			backend = "off"
			log.Info("media messages off: a cluster needs a shared blob store (--media s3)")
		}
	}
	var blobs media.Blobs
	switch backend {
	case "off":
		return nil, nil
	case "local":
		if cluster {
			return nil, fmt.Errorf("--media local keeps files on one node: a cluster needs --media s3 (see docs/CLUSTER.md)")
		}
		dir := *f.dir
		if dir == "" {
			dir = filepath.Clean(data) + "-media"
		}
		l, err := media.OpenLocal(dir)
		if err != nil {
			return nil, fmt.Errorf("media directory: %w", err)
		}
		blobs = l
	case "s3":
		key, sec := *f.s3Key, *f.s3Secret
		if key == "" {
			key = os.Getenv("AWS_ACCESS_KEY_ID")
		}
		if sec == "" {
			sec = os.Getenv("AWS_SECRET_ACCESS_KEY")
		}
		s, err := media.OpenS3(ctx, media.S3Config{Endpoint: *f.s3Endpoint, Bucket: *f.s3Bucket, Region: *f.s3Region,
			AccessKey: key, SecretKey: sec, Secure: *f.s3Secure, PathStyle: *f.s3PathStyle, Prefix: *f.s3Prefix,
			CreateBucket: *f.s3Create})
		if err != nil {
			return nil, err
		}
		blobs = s
	default:
		return nil, fmt.Errorf("--media must be local, s3 or off")
	}
	sign := []byte(*f.secret)
	if len(sign) == 0 {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte("parley media download URLs"))
		sign = m.Sum(nil)
	}
	return &media.Config{
		Blobs: blobs, Secret: sign, BaseURL: *f.baseURL, URLTTL: *f.urlTTL, CollectAfter: *f.collectAfter,
		UnsentAfter: *f.unsentAfter,
		MaxBytes: map[int32]int64{media.TypeImage: *f.imageMax, media.TypeFile: *f.fileMax,
			media.TypeAudio: *f.audioMax, media.TypeVideo: *f.videoMax},
		DailyQuota: *f.quota, AllowExternalURLs: *f.external,
	}, nil
}
