package webtest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/parley-chat/parley/messages"
)

// sdkParams reads the parameter names each SDK method sends, from the sources:
// `this._invoke('method', { a, b })` (generated and hand-written methods alike).
func sdkParams(t *testing.T) map[string][]string {
	t.Helper()
	re := regexp.MustCompile(`this\._invoke\('([A-Za-z]+)', \{ ?([A-Za-z, ]*?) ?\}`)
	out := map[string][]string{}
	for _, f := range []string{"api.gen.ts", "community.ts", "zim.ts"} {
		src, err := os.ReadFile(filepath.Join(SDKDir(), "src", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			var names []string
			for _, n := range strings.Split(m[2], ",") {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
			if _, seen := out[m[1]]; !seen {
				out[m[1]] = names
			}
		}
	}
	return out
}

// TestSDKSendsTheServersParamNames: for every method of the server's method table, the
// SDK has the method and sends exactly the parameter names the server's params message
// takes (ZIM's names on both sides), so nothing an app passes is dropped on the way.
// Runs with Go only (it reads the TypeScript sources).
func TestSDKSendsTheServersParamNames(t *testing.T) {
	sdk := sdkParams(t)
	// The send path builds its params in ZIM.send (src/zim.ts): message plus these.
	for _, m := range []string{"sendMessage", "replyMessage"} {
		if _, ok := sdk[m]; ok {
			t.Fatalf("%s: expected to go through ZIM.send", m)
		}
	}
	sdk["sendMessage"] = []string{"message", "toConversationID", "conversationType", "config"}
	sdk["replyMessage"] = []string{"message", "toOriginalMessage", "config"}
	// Parameters that are the SDK's own (not sent) or that the SDK fills in.
	clientOnly := map[string]bool{"notification": true}
	// Params fields the gateway fills in (a server-made ID a client may not send).
	serverFilled := map[string]map[string]bool{"callInvite": {"callID": true}}
	// Methods the SDK sends itself (session) rather than through a public method.
	own := map[string]bool{"login": true, "logout": true}
	for _, m := range messages.Methods() {
		if own[m.Name] {
			continue
		}
		names, ok := sdk[m.Name]
		if !ok {
			t.Errorf("%s: in the server's method table, not sent by the SDK", m.Name)
			continue
		}
		server := map[string]bool{}
		fields := m.NewParams().ProtoReflect().Descriptor().Fields()
		for i := 0; i < fields.Len(); i++ {
			server[string(fields.Get(i).Name())] = true
		}
		sent := map[string]bool{}
		for _, n := range names {
			sent[n] = true
			if !server[n] && !clientOnly[n] {
				t.Errorf("%s: the SDK sends %q, the server's params have %v", m.Name, n, keys(server))
			}
		}
		for n := range server {
			if !sent[n] && !serverFilled[m.Name][n] {
				t.Errorf("%s: the server takes %q, the SDK does not send it (sends %v)", m.Name, n, names)
			}
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
