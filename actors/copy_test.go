package actors

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/parley-chat/parley/messages"
)

// TestCopyMessage fails when messages.Message gains a field copyMessage does not copy.
func TestCopyMessage(t *testing.T) {
	m := &messages.Message{}
	r := m.ProtoReflect()
	fields := r.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.StringKind:
			l := r.Mutable(fd).List()
			l.Append(protoreflect.ValueOfString("a"))
			l.Append(protoreflect.ValueOfString("b"))
		case fd.Name() == "repliedInfo":
			r.Set(fd, protoreflect.ValueOfMessage((&messages.MessageRepliedInfo{MessageID: "1"}).ProtoReflect()))
		case fd.Name() == "operatedUser":
			r.Set(fd, protoreflect.ValueOfMessage((&messages.UserInfo{UserID: "u"}).ProtoReflect()))
		case fd.Name() == "changeInfo":
			r.Set(fd, protoreflect.ValueOfMessage((&messages.TipsMessageChangeInfo{Type: 3}).ProtoReflect()))
		case fd.Name() == "targetUserList":
			r.Mutable(fd).List().Append(protoreflect.ValueOfMessage((&messages.UserInfo{UserID: "t"}).ProtoReflect()))
		case fd.Name() == "messageList":
			r.Mutable(fd).List().Append(protoreflect.ValueOfMessage((&messages.Message{MessageID: "2"}).ProtoReflect()))
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind && fd.Name() == "reactions":
			m.Reactions = []*messages.MessageReaction{{ReactionType: "like", TotalCount: 1}}
		case fd.IsList() || fd.IsMap() || fd.Kind() == protoreflect.MessageKind:
			t.Fatalf("field %s: extend this test and copyMessage", fd.Name())
		case fd.Kind() == protoreflect.StringKind:
			r.Set(fd, protoreflect.ValueOfString(string(fd.Name())))
		case fd.Kind() == protoreflect.BoolKind:
			r.Set(fd, protoreflect.ValueOfBool(true))
		case fd.Kind() == protoreflect.Int32Kind:
			r.Set(fd, protoreflect.ValueOfInt32(int32(fd.Number())+100))
		case fd.Kind() == protoreflect.Int64Kind:
			r.Set(fd, protoreflect.ValueOfInt64(int64(fd.Number())+1000))
		default:
			t.Fatalf("field %s of kind %s: extend this test", fd.Name(), fd.Kind())
		}
	}
	if c := copyMessage(m); !proto.Equal(c, m) {
		t.Fatalf("copyMessage missed a field:\n got %v\nwant %v", c, m)
	}
}

// TestHeadRecord: the hand-built head record decodes to the LogHead it stands for.
func TestHeadRecord(t *testing.T) {
	m := &messages.Message{Type: 1, MessageID: "7", MessageSeq: 300, SenderUserID: "u1", Message: "hi", MentionedUserIDs: []string{"a"}}
	raw, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got := &messages.LogHead{}
	if err := proto.Unmarshal(headRecord(300, raw), got); err != nil {
		t.Fatal(err)
	}
	if want := (&messages.LogHead{LastSeq: 300, LastMessage: m}); !proto.Equal(got, want) {
		t.Fatalf("head record decodes to %v, want %v", got, want)
	}
}
