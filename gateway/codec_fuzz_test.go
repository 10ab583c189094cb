package gateway

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// FuzzDecodeRequest feeds arbitrary frames to both codecs and every method's params
// decoder: nothing may panic, and a decoded request always has a method.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"id":7,"method":"sendMessage","params":{"message":{"type":1,"message":"hi"},"toConversationID":"u2","conversationType":0}}`))
	f.Add([]byte(`{"id":1,"method":"login","params":{"userID":"a","token":"04x"}}`))
	f.Add([]byte(`{"id":1,"method":`))
	raw, _ := proto.Marshal(&messages.Frame{Id: 3, Method: "queryHistoryMessage", Params: []byte{10, 1, 'a'}})
	f.Add(raw)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, cd := range []codec{codecJSON, codecProto} {
			req, ok := cd.decodeRequest(data)
			if !ok {
				_ = cd.reply(req.id, 6000001, "malformed request", nil)
				continue
			}
			if req.method == "" {
				t.Fatal("decoded a request without a method")
			}
			if spec := messages.LookupMethod(req.method); spec != nil {
				p := spec.NewParams()
				if cd.decodeParams(req.params, p) == nil {
					_ = cd.reply(req.id, 0, "", spec.NewResult())
				}
			}
		}
	})
}

func TestFrameHeader(t *testing.T) {
	for _, n := range []int{0, 125, 126, 65535, 65536} {
		f := frame(1, make([]byte, n))
		hdr := len(f) - n
		want := map[bool]int{true: 2}[n < 126]
		if n >= 126 && n <= 65535 {
			want = 4
		} else if n > 65535 {
			want = 10
		}
		if hdr != want || f[0] != 0x81 {
			t.Fatalf("payload %d: header %d bytes (want %d), first byte %x", n, hdr, want, f[0])
		}
	}
}
