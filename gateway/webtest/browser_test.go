package webtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/persistence"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// server is one parley node on a Badger directory; restart keeps the directory and the port.
type server struct {
	t    testing.TB
	dir  string
	addr string
	node *gateway.Node
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

func startServer(t testing.TB) *server {
	s := &server{t: t, dir: t.TempDir(), addr: "127.0.0.1:0"}
	s.start()
	t.Cleanup(func() {
		if s.node != nil {
			s.stop()
		}
	})
	return s
}

func (s *server) start() {
	s.t.Helper()
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: s.dir, Logger: quietLogger()})
	if err != nil {
		s.t.Fatalf("open badger: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		s.node, err = gateway.StartNode(store, actors.Config{Logger: quietLogger()},
			gateway.Config{AppID: 1, Secret: testSecret, Dev: true, WebChat: true, Logger: quietLogger()}, s.addr)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // the old listener's port is being released
	}
	if err != nil {
		s.t.Fatalf("start node: %v", err)
	}
	s.addr = s.node.Addr()
}

func (s *server) stop() {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.node.Shutdown(ctx); err != nil {
		s.t.Errorf("shutdown: %v", err)
	}
	s.node = nil
}

func (s *server) url() string { return "http://" + s.addr + "/" }

// needChromium skips (or fails under CI=true) without a Chromium.
func needChromium(t testing.TB) string {
	t.Helper()
	p, why := Chromium()
	if why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s", why)
		}
		t.Skip(why)
	}
	return p
}

// browser is one headless Chromium with its own user-data directory.
type browser struct {
	name string
	ctx  context.Context
}

func newBrowser(t testing.TB, exec, name string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exec),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // Chromium as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1100, 800),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser now. The first Run binds the browser's life to its context, so
	// it gets no timeout of its own: the deadline is kept here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("%s: start chromium: %v", name, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: chromium did not start within 60 s", name)
	}
	b := &browser{name: name, ctx: ctx}
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot(t)
		}
	})
	return b
}

// screenshot saves the page to $PARLEY_SCREENSHOTS (default: the temp dir) and logs where.
func (b *browser) screenshot(t testing.TB) {
	dir := os.Getenv("PARLEY_SCREENSHOTS")
	if dir == "" {
		dir = os.TempDir()
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("%s: no screenshot: %v", b.name, err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	p := filepath.Join(dir, fmt.Sprintf("parley-%s-%s.png", name, b.name))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Logf("%s: screenshot: %v", b.name, err)
		return
	}
	t.Logf("%s: screenshot saved to %s", b.name, p)
}

// do runs actions with a deadline.
func (b *browser) do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

// until polls a JavaScript condition until it is true, with a deadline.
func (b *browser) until(t testing.TB, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: timed out waiting for %s (last error: %v)", b.name, what, err)
		}
		time.Sleep(50 * time.Millisecond) // the polling interval of a condition with a deadline
	}
}

func (b *browser) signIn(t testing.TB, url, user string) {
	t.Helper()
	b.do(t, "open the web chat", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("userID")))
	b.do(t, "sign in",
		chromedp.SendKeys(chromedp.ID("userID"), user),
		chromedp.SendKeys(chromedp.ID("userName"), strings.ToUpper(user[:1])+user[1:]),
		chromedp.Click(chromedp.ID("signin")))
	b.until(t, "connected", `document.getElementById('conn').dataset.state === '2' && getComputedStyle(document.getElementById('login')).display === 'none' && getComputedStyle(document.getElementById('app')).display !== 'none'`)
}

func (b *browser) send(t testing.TB, text string) {
	t.Helper()
	b.do(t, "send "+text, chromedp.SendKeys(chromedp.ID("text"), text), chromedp.Click(chromedp.ID("send")))
	b.until(t, "the ack of "+text, fmt.Sprintf(`[...document.querySelectorAll('#messages li')].some(li => li.textContent.includes(%q) && li.dataset.status === '1')`, text))
}

func (b *browser) sees(t testing.TB, text string) {
	t.Helper()
	b.until(t, "message "+text, fmt.Sprintf(`[...document.querySelectorAll('#messages li .text')].some(e => e.textContent === %q)`, text))
}

func badge(conv string, n int) string {
	return fmt.Sprintf(`(() => { const b = document.querySelector('#convs button[data-conv=%q] .badge'); return !!b && b.dataset.count === '%d'; })()`, conv, n)
}

// TestBrowserChat: alice and bob in two headless Chromiums. alice sends, bob sees the
// message and an unread badge, opens the conversation and the badge clears; the server
// restarts on the same Badger directory, both pages reconnect and keep chatting.
func TestBrowserChat(t *testing.T) {
	exec := needChromium(t)
	srv := startServer(t)
	alice := newBrowser(t, exec, "alice")
	bob := newBrowser(t, exec, "bob")
	alice.signIn(t, srv.url(), "alice")
	bob.signIn(t, srv.url(), "bob")

	alice.do(t, "open a chat with bob", chromedp.SendKeys(chromedp.ID("target"), "bob"), chromedp.Click(chromedp.ID("newPeer")))
	alice.until(t, "the chat with bob", `document.getElementById('chatTitle').textContent === 'bob' && !document.getElementById('composer').hidden`)
	alice.send(t, "hello bob")

	bob.until(t, "alice's conversation with an unread badge of 1", badge("alice", 1))
	bob.until(t, "the last message in the list", `document.querySelector('#convs button[data-conv="alice"] .last').textContent === 'hello bob'`)
	bob.until(t, "a total unread count of 1", `document.getElementById('totalUnread').textContent === '1'`)
	bob.do(t, "open alice's conversation", chromedp.Click(chromedp.CSS(`#convs button[data-conv="alice"]`)))
	bob.sees(t, "hello bob")
	bob.until(t, "the badge cleared", badge("alice", 0))
	bob.until(t, "the total unread count cleared", `document.getElementById('totalUnread').textContent === '0'`)

	// The server restarts: both pages reconnect (Reconnecting, then Connected) and chat on.
	srv.stop()
	for _, b := range []*browser{alice, bob} {
		b.until(t, "reconnecting", `window.parleyStates.includes(3) && document.getElementById('conn').dataset.state !== '2'`)
	}
	srv.start()
	for _, b := range []*browser{alice, bob} {
		b.until(t, "connected again", `document.getElementById('conn').dataset.state === '2'`)
	}
	bob.send(t, "hi alice, after the restart")
	alice.sees(t, "hi alice, after the restart")
	alice.send(t, "still here")
	bob.sees(t, "still here")
	// bob is in the conversation: the new message does not leave a badge.
	bob.until(t, "no badge while reading", badge("alice", 0))
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

func (b *browser) value(t testing.TB, what, js string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %s: %v", b.name, what, err)
	}
	return v
}

func (b *browser) click(t testing.TB, what, css string) {
	t.Helper()
	b.do(t, what, chromedp.Click(chromedp.CSS(css)))
}

func (b *browser) fill(t testing.TB, id, text string) {
	t.Helper()
	b.do(t, "fill "+id, chromedp.SendKeys(chromedp.ID(id), text))
}

func (b *browser) messageCount(n int) string {
	return fmt.Sprintf(`document.querySelectorAll('#messages li').length === %d`, n)
}

// TestBrowserGroupsRoomsCommunities: a group made with a member (its unread badge, history
// paging with "Load older", live group chat), a room both enter, a community with its
// GENERAL channel and a new channel, chat in a channel.
func TestBrowserGroupsRoomsCommunities(t *testing.T) {
	exec := needChromium(t)
	srv := startServer(t)
	alice := newBrowser(t, exec, "alice")
	bob := newBrowser(t, exec, "bob")
	alice.signIn(t, srv.url(), "alice")
	bob.signIn(t, srv.url(), "bob")

	// A group with bob; 35 messages (34 through the page's SDK, one through the form).
	alice.fill(t, "target", "Team")
	alice.fill(t, "members", "bob")
	alice.click(t, "new group", "#newGroup")
	alice.until(t, "the group open", `document.getElementById('chatTitle').textContent === 'Team' && !document.getElementById('composer').hidden`)
	// The conversation list shows the group when its conversationChanged arrives, which
	// may be after the chat opened.
	alice.until(t, "the group in the conversation list", `document.querySelector('#convs button[data-type="2"]') !== null`)
	groupID := alice.value(t, "the group ID", `document.querySelector('#convs button[data-type="2"]').dataset.conv`)
	alice.do(t, "send 34 messages", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(`(async () => { const z = ZIM.getInstance(); for (let i = 1; i <= 34; i++) await z.sendMessage({ type: 1, message: 'm' + i }, %q, 2, { priority: 1 }); return true; })()`, groupID), chromedp.EvalAwaitPromise)(ctx, tg)
		return err
	}))
	alice.send(t, "m35")
	conv := fmt.Sprintf(`#convs button[data-conv=%q]`, groupID)
	bob.until(t, "the group with 35 unread", badge(groupID, 35))
	bob.click(t, "open the group", conv)
	bob.until(t, "the newest 30 messages and Load older", bob.messageCount(30)+` && !document.getElementById('older').hidden`)
	bob.sees(t, "m35")
	bob.until(t, "the badge cleared", badge(groupID, 0))
	bob.click(t, "load older", "#older")
	bob.until(t, "all 35 messages, oldest first", bob.messageCount(35)+` && document.querySelector('#messages li .text').textContent === 'm1'`)
	bob.send(t, "hello team")
	alice.sees(t, "hello team")

	// A room both enter.
	for _, b := range []*browser{alice, bob} {
		b.fill(t, "target", "lobby")
		b.click(t, "enter room", "#enterRoom")
		b.until(t, "the room open", `document.getElementById('chatTitle').textContent === 'Room lobby'`)
	}
	alice.send(t, "hi room")
	bob.sees(t, "hi room")

	// The server restarts: the SDK enters the room again in both pages.
	marks := map[*browser]string{}
	for _, b := range []*browser{alice, bob} {
		marks[b] = b.value(t, "room states so far", `String(window.parleyRoomStates.length)`)
	}
	srv.stop()
	srv.start()
	for _, b := range []*browser{alice, bob} {
		b.until(t, "back in the room", fmt.Sprintf(`window.parleyRoomStates.slice(%s).some(([r, s, e]) => r === 'lobby' && s === 2 && e === 0)`, marks[b]))
	}
	bob.send(t, "room after the restart")
	alice.sees(t, "room after the restart")

	// A community: its GENERAL channel, a new channel, bob joins and chats in a channel.
	alice.click(t, "communities", "#communities")
	alice.fill(t, "target", "Guild")
	alice.click(t, "create community", "#newCommunity")
	alice.until(t, "the community and its channel", `document.querySelectorAll('#communityList [data-channel]').length === 1`)
	communityID := alice.value(t, "the community ID", `document.querySelector('#communityList input[name="community"]').value`)
	alice.click(t, "pick the community", `#communityList input[name="community"]`)
	alice.fill(t, "target", "random")
	alice.click(t, "new channel", "#newChannel")
	alice.until(t, "two channels", `[...document.querySelectorAll('#communityList [data-channel]')].map(b => b.textContent).includes('# random')`)
	bob.click(t, "communities", "#communities")
	bob.fill(t, "target", communityID)
	bob.click(t, "join community", "#joinCommunity")
	bob.until(t, "both channels", `document.querySelectorAll('#communityList [data-channel]').length === 2`)
	channel := fmt.Sprintf(`#communityList button[data-channel=%q]`, communityID+"/"+alice.value(t, "the general channel", `document.querySelector('#communityList [data-channel]').dataset.channel.split('/')[1]`))
	alice.click(t, "open the channel", channel)
	bob.click(t, "open the channel", channel)
	bob.until(t, "the channel open", `!document.getElementById('composer').hidden && document.getElementById('chatTitle').textContent.startsWith('#')`)
	alice.send(t, "hi channel")
	bob.sees(t, "hi channel")
}
