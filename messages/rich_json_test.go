package messages

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

// TestRichFieldsOnlyWhenSet: a message's JSON carries the message features' scalar
// fields only when they are set (a text message has no revokeType), zero values
// included when set (a two-way revoke is revokeType 0).
func TestRichFieldsOnlyWhenSet(t *testing.T) {
	text := string(MarshalJSON(&Message{Type: 1, Message: "hi"}))
	for _, f := range []string{"revokeType", "title", "editorUserID", "pinnedUserID", "event", "rootRepliedCount"} {
		if strings.Contains(text, `"`+f+`"`) {
			t.Fatalf("a text message carries %s: %s", f, text)
		}
	}
	revoked := string(MarshalJSON(&Message{Type: 31, RevokeType: proto.Int32(0), RevokeStatus: proto.Int32(0), OriginalTextMessageContent: proto.String("")}))
	for _, f := range []string{`"revokeType":0`, `"revokeStatus":0`, `"originalTextMessageContent":""`} {
		if !strings.Contains(revoked, f) {
			t.Fatalf("a revoke message lacks %s: %s", f, revoked)
		}
	}
	var back Message
	if err := UnmarshalJSON([]byte(revoked), &back); err != nil || back.RevokeType == nil || back.GetRevokeType() != 0 {
		t.Fatalf("decoded %v %v", &back, err)
	}
}

// TestRichListsOnlyOnTheirTypes: messageList only on combine messages, targetUserList
// only on tips, when empty.
func TestRichListsOnlyOnTheirTypes(t *testing.T) {
	text := string(MarshalJSON(&Message{Type: 1, Message: "hi"}))
	if strings.Contains(text, "messageList") || strings.Contains(text, "targetUserList") {
		t.Fatalf("text %s", text)
	}
	if c := string(MarshalJSON(&Message{Type: 100})); !strings.Contains(c, `"messageList":[]`) || strings.Contains(c, "targetUserList") {
		t.Fatalf("combine %s", c)
	}
	if c := string(MarshalJSON(&Message{Type: 32})); !strings.Contains(c, `"targetUserList":[]`) || strings.Contains(c, "messageList") {
		t.Fatalf("tips %s", c)
	}
	if c := string(MarshalJSON(&Message{Type: 1, MessageList: []*Message{{Type: 1}}})); !strings.Contains(c, `"messageList":[{`) {
		t.Fatalf("a set list is written: %s", c)
	}
	if got := string(MarshalJSON(&MessageQueriedResult{})); !strings.Contains(got, `"messageList":[]`) {
		t.Fatalf("other messages' lists stay: %s", got)
	}
}
