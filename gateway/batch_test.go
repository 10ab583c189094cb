package gateway

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	m "github.com/parley-chat/parley/messages"
)

func jsonList(n int, elem string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + "]"
}

func TestJSONBatchScan(t *testing.T) {
	cases := []struct {
		name string
		json string
		want bool
	}{
		{"empty", `{}`, false},
		{"empty list", `{"userIDs":[]}`, false},
		{"at the limit", `{"userIDs":` + jsonList(10, `"u"`) + `}`, false},
		{"over the limit", `{"userIDs":` + jsonList(11, `"u"`) + `}`, true},
		{"nested over", `{"config":{"list":[{"a":` + jsonList(11, `1`) + `}]}}`, true},
		{"many small lists", `{"a":[` + strings.Repeat(jsonList(10, `1`)+",", 9) + jsonList(10, `1`) + `]}`, false},
		{"commas in strings", `{"message":{"message":"` + strings.Repeat(",[{", 50) + `\",\\"}}`, false},
		{"object members", `{"m":{` + strings.TrimSuffix(strings.Repeat(`"k":1,`, 11), ",") + `}}`, true},
		{"top-level members", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11}`, true},
		{"spaces", `{"userIDs":[ ] , "x" : [ 1 , 2 ] }`, false},
	}
	for _, tc := range cases {
		if got := jsonBatchTooLarge([]byte(tc.json), 10); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	frame := []byte(`{"userIDs":` + jsonList(500, `"abc"`) + `}`)
	if a := testing.AllocsPerRun(20, func() { jsonBatchTooLarge(frame, maxBatch) }); a != 0 {
		t.Errorf("the JSON scan allocates %.0f times", a)
	}
}

func TestProtoBatchScan(t *testing.T) {
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint("u", i)
		}
		return out
	}
	seqs := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i) * 1000 // multi-byte varints
		}
		return out
	}
	msgs := func(n int) []*m.Message {
		out := make([]*m.Message, n)
		for i := range out {
			out[i] = &m.Message{MessageSeq: int64(i + 1)}
		}
		return out
	}
	cases := []struct {
		name string
		msg  proto.Message
		want bool
	}{
		{"strings at the limit", &m.FriendUserIDsParams{UserIDs: ids(10)}, false},
		{"strings over", &m.FriendUserIDsParams{UserIDs: ids(11)}, true},
		{"packed at the limit", &m.QueryMessagesParams{MessageSeqs: seqs(10)}, false},
		{"packed over", &m.QueryMessagesParams{MessageSeqs: seqs(11)}, true},
		{"messages over", &m.DeleteMessagesParams{MessageList: msgs(11)}, true},
		{"nested over", &m.DeleteMessagesParams{MessageList: []*m.Message{{MessageList: msgs(11)}}}, true},
		{"map over", &m.RoomAttributesSetParams{RoomAttributes: func() map[string]string {
			a := map[string]string{}
			for i := 0; i < 11; i++ {
				a[fmt.Sprint("k", i)] = "v"
			}
			return a
		}()}, true},
	}
	for _, tc := range cases {
		raw, err := proto.Marshal(tc.msg)
		if err != nil {
			t.Fatal(err)
		}
		if got := protoBatchTooLarge(raw, tc.msg.ProtoReflect().Descriptor(), 10, 0); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if protoBatchTooLarge([]byte{0xff, 0xff}, (&m.FriendUserIDsParams{}).ProtoReflect().Descriptor(), 10, 0) {
		t.Error("malformed protobuf judged too large (the decoder refuses it)")
	}
}
