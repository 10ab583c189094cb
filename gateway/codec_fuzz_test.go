package gateway

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// FuzzDecodeRequest feeds arbitrary frames to both codecs and every method's params
// decoder: nothing may panic, a decoded request always has a method, and a JSON frame
// refused with a non-zero id is valid JSON (the id of anything else is unreadable: 0).
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"id":7,"method":"sendMessage","params":{"message":{"type":1,"message":"hi"},"toConversationID":"u2","conversationType":0}}`))
	f.Add([]byte(`{"id":1,"method":"login","params":{"userID":"a","token":"04x"}}`))
	f.Add([]byte(`{"id":1,"method":`))
	raw, _ := proto.Marshal(&messages.Frame{Id: 3, Method: "queryHistoryMessage", Params: []byte{10, 1, 'a'}})
	f.Add(raw)
	f.Add([]byte(`{"method":5,"id":9}`))
	f.Add([]byte{8, 5, 18, 2, 0xff, 0xfe}) // id 5, a method that is not UTF-8
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, cd := range []codec{codecJSON, codecProto} {
			req, ok := cd.decodeRequest(data)
			if !ok {
				if cd == codecJSON && req.id != 0 && !json.Valid(data) {
					t.Fatalf("id %d read from a frame that is not JSON: %q", req.id, data)
				}
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
