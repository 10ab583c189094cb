package actors

import (
	"context"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/messages"
)

// Unit tests of media messages in the conversation owners (media.go, validate.go): the
// media service decides (faked here: it knows file "f1" of alice), its refusals keep
// their codes, the stored message carries its fields, and a peer message both users
// deleted is released once.

type fakeMedia struct {
	mu       sync.Mutex
	released []string
}

type fakeMediaErr struct{ code int32 }

func (e fakeMediaErr) Error() string            { return "refused" }
func (e fakeMediaErr) ZIMCode() (int32, string) { return e.code, "refused" }
func (f *fakeMedia) rel() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.released...)
}

func (f *fakeMedia) Resolve(_ context.Context, sender string, in, out *messages.Message) error {
	if in.GetFileUID() != "f1" {
		return fakeMediaErr{6000211}
	}
	if sender != "alice" {
		return fakeMediaErr{6000216}
	}
	out.FileUID, out.FileName, out.FileSize, out.FileDownloadUrl = proto.String("f1"), proto.String("a.jpg"), proto.Int64(1234), proto.String("http://x/media/f1/o")
	out.ThumbnailWidth, out.ThumbnailHeight = proto.Int32(400), proto.Int32(300)
	return nil
}

func (f *fakeMedia) Release(_ context.Context, msgs []*messages.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range msgs {
		f.released = append(f.released, m.MessageID)
	}
	return nil
}

func TestMediaMessagesNeedTheMediaService(t *testing.T) {
	w := newUnitWorld(t)
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	err := g.call("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgImage, FileUID: proto.String("f1")}}, nil)
	wantCode(t, err, ErrMessageTypeUnsupported)
}

func TestMediaPeerMessages(t *testing.T) {
	fm := &fakeMedia{}
	w := newUnitWorld(t, func(c *Config) { c.Media = fm })
	w.users("alice", "bob")
	g := w.peerGrain("alice", "bob")
	send := func(user, uid string) (*messages.Message, error) {
		var res messages.MessageSentResult
		err := g.call(user, "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgImage, FileUID: proto.String(uid)}}, &res)
		return res.Message, err
	}
	_, err := send("alice", "nope")
	wantCode(t, err, codeErr(6000211, ""))
	_, err = send("bob", "f1")
	wantCode(t, err, codeErr(6000216, ""))
	sent, err := send("alice", "f1")
	if err != nil {
		t.Fatal(err)
	}
	if sent.GetFileUID() != "f1" || sent.GetFileSize() != 1234 || sent.GetThumbnailWidth() != 400 || sent.MessageSeq != 1 {
		t.Fatalf("stored media message: %v", sent)
	}
	// A fresh activation reads the fields back from the store.
	g = w.peerGrain("alice", "bob")
	hist := g.peerHistory("bob", &messages.MessageQueryConfig{Count: 10})
	if len(hist) != 1 || hist[0].GetFileDownloadUrl() != "http://x/media/f1/o" || hist[0].GetThumbnailHeight() != 300 {
		t.Fatalf("history: %v", hist)
	}
	text := g.peerSend("alice", "plain")

	// Deleted by alice only: kept. Then by bob: released (the text message is not media).
	list := []*messages.Message{{MessageSeq: sent.MessageSeq}, {MessageSeq: text.MessageSeq}}
	g.mustCall("alice", "deleteMessages", &messages.DeleteMessagesParams{MessageList: list}, nil)
	if r := fm.rel(); len(r) != 0 {
		t.Fatalf("released after one side deleted: %v", r)
	}
	g.mustCall("bob", "deleteMessages", &messages.DeleteMessagesParams{MessageList: list}, nil)
	if r := fm.rel(); len(r) != 1 || r[0] != sent.MessageID {
		t.Fatalf("released %v, want [%s]", r, sent.MessageID)
	}
}

// TestMediaInGroups: groups take media messages through the same check.
func TestMediaInGroups(t *testing.T) {
	fm := &fakeMedia{}
	w := newUnitWorld(t, func(c *Config) { c.Media = fm })
	w.users("alice", "bob")
	g := w.grain(KindGroup, "g1")
	g.mustCall("alice", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: "g1", GroupName: "g"}, UserIDs: []string{"bob"}}, nil)
	var res messages.MessageSentResult
	g.mustCall("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgImage, FileUID: proto.String("f1")}}, &res)
	if res.Message.GetFileUID() != "f1" || res.Message.ConversationType != ConvGroup {
		t.Fatalf("group media message: %v", res.Message)
	}
	err := g.call("bob", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgImage, FileUID: proto.String("f1")}}, nil)
	wantCode(t, err, codeErr(6000216, ""))
}

// TestMediaRevokedInGroupsIsReleased: a revoked media message is gone for everyone, so
// its file is handed to the media service for collection; a revoked text message is not.
func TestMediaRevokedInGroupsIsReleased(t *testing.T) {
	fm := &fakeMedia{}
	w := newUnitWorld(t, func(c *Config) { c.Media = fm })
	w.users("alice", "bob")
	g := w.grain(KindGroup, "g1")
	g.mustCall("alice", "createGroup", &messages.GroupCreateParams{GroupInfo: &messages.GroupInfo{GroupID: "g1", GroupName: "g"}, UserIDs: []string{"bob"}}, nil)
	var img, text messages.MessageSentResult
	g.mustCall("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgImage, FileUID: proto.String("f1")}}, &img)
	g.mustCall("alice", "sendMessage", &messages.SendMessageParams{Message: &messages.Message{Type: MsgText, Message: "hi"}}, &text)
	revoke := func(m *messages.Message) {
		ref := &messages.Message{MessageSeq: m.MessageSeq, MessageID: m.MessageID, ConversationID: m.ConversationID, ConversationType: m.ConversationType}
		g.mustCall("alice", "revokeMessage", &messages.RevokeMessageParams{Message: ref}, &messages.MessageRevokedResult{})
	}
	revoke(text.Message)
	if r := fm.rel(); len(r) != 0 {
		t.Fatalf("released after a text revoke: %v", r)
	}
	revoke(img.Message)
	if r := fm.rel(); len(r) != 1 || r[0] != img.Message.MessageID {
		t.Fatalf("released %v, want [%s]", r, img.Message.MessageID)
	}
}
