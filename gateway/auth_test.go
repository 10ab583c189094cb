package gateway_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/auth"
	m "github.com/parley-chat/parley/messages"
)

func closeCode(t *testing.T, s *session) int {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("connection was not closed")
	}
	var ce *websocket.CloseError
	if errors.As(s.CloseError(), &ce) {
		return ce.Code
	}
	return 0
}

func TestLoginTokenErrors(t *testing.T) {
	e := startEnv(t)
	c := e.dial(true)
	expired, _ := auth.Issue(testAppID, testSecret, "u1", time.Second, "", time.Now().Add(-time.Hour))
	otherApp, _ := auth.Issue(testAppID+1, testSecret, "u1", time.Hour, "", time.Now())
	otherSecret, _ := auth.Issue(testAppID, "ffffffffffffffffffffffffffffffff", "u1", time.Hour, "", time.Now())
	cases := []struct {
		name, user, token string
		want              int32
	}{
		{"garbage", "u1", "04garbage", 6000103},
		{"wrong secret", "u1", otherSecret, 6000103},
		{"wrong app", "u1", otherApp, 6000103},
		{"other user's token", "u2", token(t, "u1", time.Hour), 6000103},
		{"expired", "u1", expired, 6000106},
		{"version", "u1", "03" + token(t, "u1", time.Hour)[2:], 6000107},
		{"empty token outside dev mode", "u1", "", 6000103},
		{"bad user ID", "has space", token(t, "has space", time.Hour), 6000124},
	}
	for _, tc := range cases {
		if err := c.Login(ctx(t), tc.user, "", tc.token, 0); codeOf(err) != tc.want {
			t.Errorf("%s: want %d, got %v", tc.name, tc.want, err)
		}
	}
	// After the refusals the same connection can still log in.
	if err := c.Login(ctx(t), "u1", "", token(t, "u1", time.Hour), 0); err != nil {
		t.Fatalf("valid login after refusals: %v", err)
	}
	if err := c.Login(ctx(t), "u1", "", token(t, "u1", time.Hour), 0); codeOf(err) != 6000111 {
		t.Fatalf("second login on one connection: want 6000111, got %v", err)
	}
}

func TestEveryCallBeforeLoginIsRefused(t *testing.T) {
	e := startEnv(t)
	c := e.dial(false)
	if _, err := c.SendText(ctx(t), "x", "bob", 0); codeOf(err) != 6000121 {
		t.Fatalf("sendMessage before login: want 6000121, got %v", err)
	}
	if _, err := c.QuerySelfUserInfo(ctx(t)); codeOf(err) != 6000121 {
		t.Fatalf("querySelfUserInfo before login: want 6000121, got %v", err)
	}
	if err := c.Logout(ctx(t)); codeOf(err) != 6000121 {
		t.Fatalf("logout before login: want 6000121, got %v", err)
	}
}

func TestDevModeAllowsTokenlessLogin(t *testing.T) {
	e := startEnv(t, withGateway(func(c *gateway.Config) { c.Dev = true }))
	c := e.dial(true)
	if err := c.Login(ctx(t), "devuser", "Dev", "", 0); err != nil {
		t.Fatalf("token-less login in dev mode: %v", err)
	}
}

func TestSecondLoginOnSamePlatformKicksTheOlder(t *testing.T) {
	e := startEnv(t)
	old := e.login("kim", false, 3) // Android
	ios := e.login("kim", false, 2) // iPhone: coexists
	newer := e.login("kim", true, 3)

	old.rec.wait(t, "connectionStateChanged", func(p proto.Message) bool {
		ev := p.(*m.ConnectionStateChangedEvent)
		return ev.State == 0 && ev.Event == 4
	})
	if code := closeCode(t, old); code != 4001 {
		t.Fatalf("kicked connection closed with %d, want 4001", code)
	}
	info, err := newer.QuerySelfUserInfo(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.UserStatus.OnlinePlatforms; len(got) != 2 {
		t.Fatalf("online platforms %v, want iPhone and Android", got)
	}
	if _, err := ios.QuerySelfUserInfo(ctx(t)); err != nil {
		t.Fatalf("the other platform was affected: %v", err)
	}
}

func TestTokenWillExpireRenewAndExpiry(t *testing.T) {
	e := startEnv(t)
	c := e.dial(false)
	rec := newRecorder(c)
	short, _ := auth.Issue(testAppID, testSecret, "tia", 3*time.Second, "", time.Now())
	if err := c.Login(ctx(t), "tia", "", short, 0); err != nil {
		t.Fatal(err)
	}
	// Inside the 30 s warning window from the start: warned at once.
	rec.wait(t, "tokenWillExpire", func(p proto.Message) bool { return p.(*m.TokenWillExpireEvent).Second <= 3 })
	res, err := c.RenewToken(ctx(t), token(t, "tia", time.Hour))
	if err != nil || res.Token == "" {
		t.Fatalf("renewToken: %v", err)
	}
	if err := c.Call(ctx(t), "renewToken", &m.RenewTokenParams{Token: token(t, "someone-else", time.Hour)}, nil); codeOf(err) != 6000103 {
		t.Fatalf("renewing with another user's token: want 6000103, got %v", err)
	}
	// Renewed: the first token's expiry (3 s) passes without a disconnect.
	if _, expired := rec.waitFor("connectionStateChanged", func(p proto.Message) bool {
		return p.(*m.ConnectionStateChangedEvent).Event == 5
	}, 3500*time.Millisecond); expired {
		t.Fatal("renewed session was expired with the old token")
	}
	if _, err := c.QuerySelfUserInfo(ctx(t)); err != nil {
		t.Fatal(err)
	}

	c2 := e.dial(true)
	rec2 := newRecorder(c2)
	tiny, _ := auth.Issue(testAppID, testSecret, "tom", time.Second, "", time.Now())
	if err := c2.Login(ctx(t), "tom", "", tiny, 0); err != nil {
		t.Fatal(err)
	}
	rec2.wait(t, "connectionStateChanged", func(p proto.Message) bool {
		return p.(*m.ConnectionStateChangedEvent).Event == 5
	})
	if code := closeCode(t, &session{Client: c2, rec: rec2}); code != 4002 {
		t.Fatalf("expired token closed with %d, want 4002", code)
	}
}

func TestUsersInfoAndProfileUpdates(t *testing.T) {
	e := startEnv(t)
	web := e.login("ulla", true, 6)
	phone := e.login("ulla", false, 2)
	e.login("vic", false, 0)

	if err := web.UpdateUserName(ctx(t), "Ulla"); err != nil {
		t.Fatal(err)
	}
	if err := web.UpdateUserExtendedData(ctx(t), `{"level":3}`); err != nil {
		t.Fatal(err)
	}
	phone.rec.wait(t, "userInfoUpdated", func(p proto.Message) bool {
		return p.(*m.UserInfoUpdatedEvent).Info.GetBaseInfo().GetUserName() == "Ulla"
	})
	self, err := phone.QuerySelfUserInfo(ctx(t))
	if err != nil || self.UserFullInfo.BaseInfo.UserName != "Ulla" || self.UserFullInfo.ExtendedData != `{"level":3}` {
		t.Fatalf("self info: %v %v", self, err)
	}
	long := make([]byte, 257)
	for i := range long {
		long[i] = 'x'
	}
	if err := web.UpdateUserName(ctx(t), string(long)); codeOf(err) != 6000001 {
		t.Fatalf("257-byte name: want 6000001, got %v", err)
	}
	if err := web.UpdateUserAvatarUrl(ctx(t), string(make([]byte, 501))); codeOf(err) != 6000001 {
		t.Fatalf("501-byte avatar URL: want 6000001, got %v", err)
	}
	res, err := web.QueryUsersInfo(ctx(t), []string{"vic", "nobody-here"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.UserList) != 1 || res.UserList[0].BaseInfo.UserID != "vic" || res.UserList[0].BaseInfo.UserName != "name-vic" {
		t.Fatalf("user list: %v", res.UserList)
	}
	if len(res.ErrorUserList) != 1 || res.ErrorUserList[0].UserID != "nobody-here" || res.ErrorUserList[0].Reason != 6000011 {
		t.Fatalf("error user list: %v", res.ErrorUserList)
	}
	eleven := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	if _, err := web.QueryUsersInfo(ctx(t), eleven); codeOf(err) != 6000012 {
		t.Fatalf("11 IDs: want 6000012, got %v", err)
	}
}
