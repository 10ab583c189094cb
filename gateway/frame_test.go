package gateway

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/messages"
)

// The hand-made frames must be byte for byte what the generic encoders produce.
func TestPushWSFrameMatchesGenericEncoding(t *testing.T) {
	long := strings.Repeat("x", 70000) // 8-byte frame length
	payloads := []proto.Message{
		&messages.ConversationMessageReceivedEvent{
			MessageList: []*messages.Message{{Type: 1, MessageID: "123", MessageSeq: 7, SenderUserID: "a", ConversationID: "b",
				Message: "hello \"world\" \u2028 <>&", MentionedUserIDs: []string{"c"}, Timestamp: 1700000000000}},
			FromConversationID: "b", Info: &messages.MessageReceivedInfo{},
		},
		&messages.ConversationTotalUnreadMessageCountUpdatedEvent{TotalUnreadMessageCount: 3},
		&messages.ConversationTotalUnreadMessageCountUpdatedEvent{}, // empty payload: no data field
		&messages.ConversationMessageReceivedEvent{MessageList: []*messages.Message{{Message: strings.Repeat("y", 300)}}},
		&messages.ConversationMessageReceivedEvent{MessageList: []*messages.Message{{Message: long}}},
	}
	for i, pl := range payloads {
		p, err := actors.NewPush(messages.Pushed{Name: "someEvent", Payload: pl})
		if err != nil {
			t.Fatal(err)
		}
		// protobuf: as proto.Marshal(Frame) framed.
		want, _ := proto.Marshal(&messages.Frame{Event: p.Event, Data: p.Data})
		want = frame(websocket.BinaryMessage, want)
		for _, got := range [][]byte{
			mustFrame(t, codecProto, p.Event, "", nil, pl),
			mustFrame(t, codecProto, p.Event, p.Type, p.Data, nil),
		} {
			if !bytes.Equal(got, want) {
				t.Fatalf("payload %d: protobuf frame differs\n got %x\nwant %x", i, got[:min(len(got), 64)], want[:min(len(want), 64)])
			}
		}
		// JSON: as the push's JSON encoding, framed.
		js, err := codecJSON.pushFrame(p)
		if err != nil {
			t.Fatal(err)
		}
		want = frame(websocket.TextMessage, js)
		for _, got := range [][]byte{
			mustFrame(t, codecJSON, p.Event, "", nil, pl),
			mustFrame(t, codecJSON, p.Event, p.Type, p.Data, nil),
		} {
			if !bytes.Equal(got, want) {
				t.Fatalf("payload %d: JSON frame differs\n got %q\nwant %q", i, got[:min(len(got), 200)], want[:min(len(want), 200)])
			}
		}
	}
}

func mustFrame(t *testing.T, cd codec, event, typ string, data []byte, pl proto.Message) []byte {
	t.Helper()
	b, err := cd.pushWSFrame(event, typ, data, pl)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplyFrameMatchesGenericEncoding(t *testing.T) {
	res := func() proto.Message { return &messages.MessageSentResult{} }
	data, _ := proto.Marshal(&messages.MessageSentResult{Message: &messages.Message{MessageID: "9", Message: "hi"}})
	for _, id := range []uint32{0, 1, 300, 1 << 31} {
		for _, d := range [][]byte{nil, data} {
			for _, cd := range []codec{codecProto, codecJSON} {
				mt := websocket.BinaryMessage
				if cd == codecJSON {
					mt = websocket.TextMessage
				}
				want := frame(mt, cd.replyRaw(id, d, res()))
				if got := cd.replyFrame(id, d, res); !bytes.Equal(got, want) {
					t.Fatalf("codec %d id %d: reply frame differs\n got %x\nwant %x", cd, id, got, want)
				}
			}
		}
	}
}
