package gateway_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/gateway"
	m "github.com/parley-chat/parley/messages"
)

// withLoginTimeout runs the server with a short login deadline.
func withLoginTimeout(d time.Duration) envOption {
	return withGateway(func(c *gateway.Config) { c.LoginTimeout = d })
}

const loginCloseCode = 4005

// A connection that does not log in within Config.LoginTimeout is closed with 4005,
// whatever it sends meanwhile: nothing but a successful login stops the deadline.
func TestLoginDeadlineClosesUnauthenticatedConnections(t *testing.T) {
	const deadline = 300 * time.Millisecond
	e := startEnv(t, withLoginTimeout(deadline))
	type keepBusy func(c *wsConn, i int)
	cases := []struct {
		name string
		json bool
		busy keepBusy // run every 50 ms until the connection closes; nil: silent
	}{
		{"silent json", true, nil},
		{"silent proto", false, nil},
		{"pings", true, func(c *wsConn, _ int) { c.ping() }},
		{"requests", false, func(c *wsConn, i int) {
			c.request(uint32(100+i), "queryConversationList", &m.QueryConversationListParams{})
		}},
		{"failed logins", true, func(c *wsConn, i int) {
			c.request(uint32(100+i), "login", &m.LoginParams{UserID: "late", Token: "04garbage"})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now() // before the server arms the deadline (at the upgrade)
			c := dialWS(t, e.node.URL(), tc.json)
			if tc.busy != nil {
				tick := time.NewTicker(50 * time.Millisecond)
				defer tick.Stop()
				for i := 0; !c.closed(); i++ {
					tc.busy(c, i)
					select {
					case <-tick.C:
					case <-c.done:
					case <-time.After(5 * time.Second):
						t.Fatal("connection was not closed within the deadline")
					}
				}
				if tc.name == "pings" && len(c.pongs) == 0 {
					t.Error("the server answered no ping")
				}
			}
			if code := c.closeCode(); code != loginCloseCode {
				t.Fatalf("closed with %d (%v), want %d", code, c.err, loginCloseCode)
			}
			if took := time.Since(start); took < deadline {
				t.Fatalf("closed after %v, before the login deadline %v", took, deadline)
			}
		})
	}
	if n := loginTimeouts(t, e); n != len(cases) {
		t.Errorf("parley_login_timeouts_total %d, want %d", n, len(cases))
	}
}

// loginTimeouts reads parley_login_timeouts_total from the server's metrics.
func loginTimeouts(t *testing.T, e *env) int {
	t.Helper()
	resp, err := http.Get("http://" + e.node.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "parley_login_timeouts_total "); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	t.Fatal("no parley_login_timeouts_total in /metrics")
	return 0
}

// A connection that logged in in time stays open past the deadline; after a logout it
// is unauthenticated again, and closed unless it logs in again in time.
func TestLoginDeadlineStopsAtLoginAndRestartsAtLogout(t *testing.T) {
	const deadline = 300 * time.Millisecond
	e := startEnv(t, withLoginTimeout(deadline))
	for _, json := range []bool{true, false} {
		c := dialWS(t, e.node.URL(), json)
		c.login(1, map[bool]string{true: "dj", false: "dp"}[json])
		// A witness dialed after c's deadline was armed, and never logged in: once it is
		// closed for its deadline, c's (armed earlier, same length) has passed too, as
		// far as the server's timers fire in order. The wait on the test's own timer
		// below makes sure c's deadline has passed (plus half of it): what is tested
		// there is the absence of a close, which nothing could signal.
		armed := time.Now()
		w := dialWS(t, e.node.URL(), json)
		if code := w.closeCode(); code != loginCloseCode {
			t.Fatalf("witness closed with %d, want %d", code, loginCloseCode)
		}
		<-time.After(time.Until(armed.Add(deadline + deadline/2)))
		c.ping()
		select {
		case <-c.pongs:
		case <-c.done:
			t.Fatalf("a logged-in connection was closed: %v", c.err)
		case <-time.After(5 * time.Second):
			t.Fatal("no pong within the deadline")
		}
		c.request(2, "queryConversationList", &m.QueryConversationListParams{Config: &m.ConversationQueryConfig{Count: 10}})
		if id, code := c.reply(); id != 2 || code != 0 {
			t.Fatalf("request after the deadline: id %d code %d", id, code)
		}

		// Logout starts the deadline again: silent from then on, c is closed.
		loggedOut := time.Now() // before the server re-arms the deadline (at the logout)
		c.request(3, "logout", &m.Empty{})
		if id, code := c.reply(); id != 3 || code != 0 {
			t.Fatalf("logout: id %d code %d", id, code)
		}
		if code := c.closeCode(); code != loginCloseCode {
			t.Fatalf("silent after logout: closed with %d, want %d", code, loginCloseCode)
		}
		if took := time.Since(loggedOut); took < deadline {
			t.Fatalf("closed %v after the logout, before the login deadline %v", took, deadline)
		}
	}
}
