package gateway_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	m "github.com/parley-chat/parley/messages"
)

// Every kind of bad input gets a clear error code, and the server keeps serving the
// offender and everyone else.
func TestBadInputGetsCodesAndServerKeepsServing(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", true, 0)
	bob := e.login("bob", false, 0)

	stillWorks := func(what string) {
		t.Helper()
		if _, err := bob.SendText(ctx(t), "after "+what, "alice", 0); err != nil {
			t.Fatalf("server stopped serving others after %s: %v", what, err)
		}
		alice.rec.wait(t, "peerMessageReceived", isPeerText("after "+what))
	}

	rawCases := []struct {
		name  string
		id    uint32
		frame string
		want  int32
	}{
		{"unknown method", 9001, `{"id":9001,"method":"launchRocket","params":{}}`, 6000013},
		{"wrong param type", 9002, `{"id":9002,"method":"sendMessage","params":{"message":"not an object","toConversationID":"bob","conversationType":0}}`, 6000001},
		{"wrong scalar type", 9003, `{"id":9003,"method":"queryHistoryMessage","params":{"conversationID":"bob","conversationType":"peer","config":{"count":10}}}`, 6000001},
		{"missing message", 9004, `{"id":9004,"method":"sendMessage","params":{"toConversationID":"bob","conversationType":0}}`, 6000001},
		{"unknown conversation type", 9005, `{"id":9005,"method":"sendMessage","params":{"message":{"type":1,"message":"x"},"toConversationID":"bob","conversationType":7}}`, 6000001},
		{"unsupported message type", 9006, `{"id":9006,"method":"sendMessage","params":{"message":{"type":11,"message":"x"},"toConversationID":"bob","conversationType":0}}`, 6000013},
		{"empty text", 9007, `{"id":9007,"method":"sendMessage","params":{"message":{"type":1,"message":""},"toConversationID":"bob","conversationType":0}}`, 6000001},
		{"message to self", 9008, `{"id":9008,"method":"sendMessage","params":{"message":{"type":1,"message":"me"},"toConversationID":"alice","conversationType":0}}`, 6000001},
	}
	for _, tc := range rawCases {
		if err := alice.CallRaw(ctx(t), tc.id, []byte(tc.frame)); codeOf(err) != tc.want {
			t.Errorf("%s: want %d, got %v", tc.name, tc.want, err)
		}
	}
	// Malformed JSON: answered with id 0 and 6000001.
	if err := alice.CallRaw(ctx(t), 0, []byte(`{"id":1,"method":`)); codeOf(err) != 6000001 {
		t.Errorf("malformed JSON: want 6000001, got %v", err)
	}
	// A binary frame on the JSON subprotocol.
	if err := alice.SendFrame(websocket.BinaryMessage, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	// Garbage on the protobuf subprotocol.
	if err := bob.CallRaw(ctx(t), 0, []byte{0xff, 0xff, 0xff}); codeOf(err) != 6000001 {
		t.Errorf("garbage protobuf frame: want 6000001, got %v", err)
	}
	stillWorks("bad frames")

	// Oversize message content (text over 2 KB by default).
	if _, err := alice.SendText(ctx(t), strings.Repeat("x", 2049), "bob", 0); codeOf(err) != 6000203 {
		t.Errorf("2049-byte text: want 6000203, got %v", err)
	}
	if _, err := alice.SendText(ctx(t), strings.Repeat("x", 2048), "bob", 0); err != nil {
		t.Errorf("2048-byte text must pass: %v", err)
	}
	if _, err := alice.SendMessage(ctx(t), &m.Message{Type: 1, Message: "x", ExtendedData: strings.Repeat("e", 1025)}, "bob", 0, nil); codeOf(err) != 6000203 {
		t.Errorf("1025-byte extendedData: want 6000203, got %v", err)
	}
	stillWorks("oversize messages")

	// An oversize frame closes only the offender's connection, with 1009.
	mallory := e.login("mallory", true, 0)
	werr := mallory.SendRaw([]byte(`{"id":1,"method":"sendMessage","params":{"x":"` + strings.Repeat("y", 70<<10) + `"}}`))
	// The server stops reading at its limit and closes: when that happens before the
	// client has written the whole frame, the write fails (connection reset) and the
	// close frame may be lost with it. Either way the offender's connection is closed.
	if code := closeCode(t, mallory); code != websocket.CloseMessageTooBig && werr == nil {
		t.Errorf("oversize frame closed with %d, want 1009", code)
	}
	stillWorks("an oversize frame")
}

func TestHealthReadyAndMetrics(t *testing.T) {
	e := startEnv(t)
	e.login("mia", false, 0)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + e.node.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("/healthz: %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Fatalf("/readyz: %d", code)
	}
	code, body := get("/metrics")
	for _, want := range []string{"parley_connections 1", "parley_logins_total 1", "process_resident_memory_bytes", "process_cpu_seconds_total"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("/metrics lacks %q:\n%s", want, body)
		}
	}
}
