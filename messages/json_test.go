package messages

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/proto"
)

func TestJSONShapes(t *testing.T) {
	m := &MessageSentResult{Message: &Message{
		Type: 1, MessageID: "123", MessageSeq: 9007199254740993, Timestamp: 1700000000000,
		Message: "hi \"there\"\n\u2028<\x01>", ConversationType: 0, MentionedUserIDs: []string{"a"},
	}}
	raw := MarshalJSON(m)
	var generic map[string]map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatalf("invalid JSON %s: %v", raw, err)
	}
	msg := generic["message"]
	for _, k := range []string{"messageID", "messageSeq", "timestamp", "conversationType", "senderUserID", "mentionedUserIDs"} {
		if _, ok := msg[k]; !ok {
			t.Errorf("field %q missing in %s", k, raw)
		}
	}
	if _, isNum := msg["timestamp"].(float64); !isNum {
		t.Errorf("timestamp is not a JSON number: %s", raw)
	}
	back := &MessageSentResult{}
	if err := UnmarshalJSON(raw, back); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(m, back) {
		t.Fatalf("round trip changed the message:\n%v\n%v", m, back)
	}
}

func TestJSONBytesAndUnset(t *testing.T) {
	raw := MarshalJSON(&Frame{Params: []byte{0, 1, 2}})
	if string(raw) != `{"id":0,"method":"","params":"AAEC","code":0,"message":"","data":"","event":""}` {
		t.Fatalf("unexpected %s", raw)
	}
	raw = MarshalJSON(&ConversationQueriedResult{})
	if string(raw) != `{}` {
		t.Fatalf("unset message field must be left out: %s", raw)
	}
}

func FuzzUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"message":{"type":1,"message":"hi"},"toConversationID":"u2","conversationType":0}`))
	f.Add([]byte(`{"config":{"count":"5"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := &SendMessageParams{}
		if UnmarshalJSON(b, p) != nil {
			return
		}
		back := &SendMessageParams{}
		if err := UnmarshalJSON(MarshalJSON(p), back); err != nil {
			t.Fatalf("re-decoding our own encoding failed: %v", err)
		}
		if !proto.Equal(p, back) {
			t.Fatalf("round trip changed %v into %v", p, back)
		}
	})
}
