package messages

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

// TestMediaFieldsOnlyInMediaMessages: the media fields of Message are optional, so the
// JSON of other messages does not carry them, and a media message carries the ones set.
func TestMediaFieldsOnlyInMediaMessages(t *testing.T) {
	text := string(MarshalJSON(&Message{Type: 1, Message: "hi"}))
	for _, f := range []string{"fileUID", "fileDownloadUrl", "thumbnailWidth", "audioDuration"} {
		if strings.Contains(text, f) {
			t.Fatalf("text message JSON carries %s: %s", f, text)
		}
	}
	img := string(MarshalJSON(&Message{Type: 11, FileUID: proto.String("u"), ThumbnailWidth: proto.Int32(400)}))
	if !strings.Contains(img, `"fileUID":"u"`) || !strings.Contains(img, `"thumbnailWidth":400`) || strings.Contains(img, "audioDuration") {
		t.Fatalf("image message JSON: %s", img)
	}
	back := &Message{}
	if err := UnmarshalJSON([]byte(img), back); err != nil || back.GetThumbnailWidth() != 400 {
		t.Fatalf("decode: %v %v", back, err)
	}
}
