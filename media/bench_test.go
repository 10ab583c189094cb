package media_test

import (
	"testing"

	"github.com/parley-chat/parley/media"
)

// BenchmarkThumbnail12MP: the variants of a 4000×3000 JPEG (decode, 1280 px large
// image, 400 px thumbnail, both encoded).
func BenchmarkThumbnail12MP(b *testing.B) {
	data := encJPEG(b, 4000, 3000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := media.MakeVariants(data, media.ImageLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}
