package gateway_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/auth"
	"github.com/parley-chat/parley/gateway/client"
)

// upgradeStatus opens a WebSocket with the given Origin and returns the HTTP status of
// the upgrade (101 when it was accepted).
func upgradeStatus(t *testing.T, url, origin string) int {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	ws, resp, err := websocket.DefaultDialer.Dial(url, h)
	if err == nil {
		_ = ws.Close()
	}
	if resp == nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	return resp.StatusCode
}

// Browsers may connect from the server's own origin and the configured ones only;
// clients that are not browsers (no Origin) always; --dev allows every origin.
func TestAllowedOrigins(t *testing.T) {
	e := startEnv(t, withGateway(func(c *gateway.Config) {
		c.AllowedOrigins = []string{"https://app.example.com", "chat.example.org"}
	}))
	url := e.node.URL()
	cases := []struct {
		origin string
		want   int
	}{
		{"", http.StatusSwitchingProtocols},
		{"http://" + e.node.Addr(), http.StatusSwitchingProtocols}, // same origin
		{"https://app.example.com", http.StatusSwitchingProtocols},
		{"https://APP.example.com", http.StatusSwitchingProtocols},
		{"http://chat.example.org", http.StatusSwitchingProtocols}, // host only: any scheme
		{"http://app.example.com", http.StatusForbidden},           // scheme given: that scheme only
		{"https://evil.example.com", http.StatusForbidden},
		{"https://app.example.com.evil.net", http.StatusForbidden},
		{"null", http.StatusForbidden},
	}
	for _, tc := range cases {
		if got := upgradeStatus(t, url, tc.origin); got != tc.want {
			t.Errorf("origin %q: status %d, want %d", tc.origin, got, tc.want)
		}
	}
	if metricValue(t, e.node, "parley_refused_connections_total") != 4 {
		t.Error("refused upgrades not counted")
	}
	e.stop() // one actor system at a time (protoactor races with two under -race)
	dev := startEnv(t, withGateway(func(c *gateway.Config) { c.Dev = true }))
	if got := upgradeStatus(t, dev.node.URL(), "https://evil.example.com"); got != http.StatusSwitchingProtocols {
		t.Errorf("development mode refused an origin: %d", got)
	}
}

// Without development mode a login needs a valid token: none, another app's, one signed
// with another secret, an expired one, and one for another user are all refused.
func TestTokenRulesWithoutDevMode(t *testing.T) {
	e := startEnv(t)
	otherSecret := "fedcba9876543210fedcba9876543210"
	issue := func(app uint32, secret, user string, ttl time.Duration, at time.Time) string {
		tok, err := authIssue(app, secret, user, ttl, at)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	cases := []struct {
		name, token string
		want        int32
	}{
		{"no token", "", 6000103},
		{"wrong app", issue(testAppID+1, testSecret, "alice", time.Hour, time.Now()), 6000103},
		{"wrong secret", issue(testAppID, otherSecret, "alice", time.Hour, time.Now()), 6000103},
		{"expired", issue(testAppID, testSecret, "alice", time.Minute, time.Now().Add(-time.Hour)), 6000106},
		{"another user's", issue(testAppID, testSecret, "bob", time.Hour, time.Now()), 6000103},
		{"garbage", "04not-a-token", 6000103},
	}
	for _, tc := range cases {
		c := e.dial(false)
		if err := c.Login(ctx(t), "alice", "Alice", tc.token, 0); codeOf(err) != tc.want {
			t.Errorf("%s: %v, want %d", tc.name, err, tc.want)
		}
		_ = c.Close()
	}
	// A token stays valid until it expires: after a logout the same token logs in
	// again (ZIM tokens are bearer tokens; the rule is documented in PROTOCOL.md).
	tok := token(t, "alice", time.Hour)
	c := e.dial(false)
	if err := c.Login(ctx(t), "alice", "Alice", tok, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Logout(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx(t), "alice", "Alice", tok, 0); err != nil {
		t.Fatalf("the same token after logout: %v", err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns their paths and
// a pool trusting it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "parley test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// With a certificate the node serves wss:// (and refuses plaintext WebSockets).
func TestTLSListener(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	cfg, err := gateway.LoadTLS(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gateway.LoadTLS(certFile, ""); err == nil {
		t.Fatal("a certificate without its key was accepted")
	}
	e := startEnv(t, withGateway(func(c *gateway.Config) { c.TLS = cfg }))
	url := e.node.URL()
	if url[:6] != "wss://" {
		t.Fatalf("URL %s", url)
	}
	d := websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool}, Subprotocols: []string{gateway.SubprotocolJSON}}
	ws, _, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("wss dial: %v", err)
	}
	tok := token(t, "alice", time.Hour)
	if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"id":1,"method":"login","params":{"userID":"alice","userName":"A","token":"`+tok+`"}}`)); err != nil {
		t.Fatal(err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, reply, err := ws.ReadMessage()
	if err != nil || !json200(reply) {
		t.Fatalf("login over TLS: %s %v", reply, err)
	}
	_ = ws.Close()
	// Plaintext to the TLS port fails.
	if _, err := client.Dial(ctx(t), "ws://"+e.node.Addr()+"/ws", client.Options{}); err == nil {
		t.Fatal("a plaintext WebSocket was accepted on the TLS listener")
	}
}

func TestPlaintextExposed(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:7480": false, "[::1]:7480": false, "localhost:7480": false,
		"0.0.0.0:7480": true, "[::]:7480": true, "10.0.0.5:7480": true, ":7480": true, "chat.example.com:80": true,
	} {
		if got := gateway.PlaintextExposed(addr); got != want {
			t.Errorf("PlaintextExposed(%q) = %v", addr, got)
		}
	}
}

func authIssue(app uint32, secret, user string, ttl time.Duration, at time.Time) (string, error) {
	return auth.Issue(app, secret, user, ttl, "", at)
}

// json200 reports whether a JSON reply frame carries code 0.
func json200(frame []byte) bool { return strings.Contains(string(frame), `"code":0`) }
