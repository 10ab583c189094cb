package webtest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// sendScript sends n text messages from alice to bob with the SDK in the page, from 128
// concurrent senders (each sends its next message when the last one is acknowledged;
// 128 is also the SDK's in-flight window, so no call waits in the SDK's queue), and
// returns the throughput and the ack latencies (sendMessage call to resolved promise).
const sendScript = `(async (n) => {
  const alice = new ZIM(1), bob = new ZIM(1);
  const tok = async (u) => (await (await fetch('/dev/token?userID=' + u)).json()).token;
  await bob.login('bench-bob', { userName: 'Bob', token: await tok('bench-bob'), isOfflineLogin: false });
  await alice.login('bench-alice', { userName: 'Alice', token: await tok('bench-alice'), isOfflineLogin: false });
  let received = 0;
  bob.on('peerMessageReceived', (_z, d) => { received += d.messageList.length; });
  const lat = new Array(n);
  const t0 = performance.now();
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      await alice.sendMessage({ type: 1, message: 'bench ' + i }, 'bench-bob', 0, { priority: 1 });
      lat[i] = performance.now() - s;
    }
  };
  await Promise.all(Array.from({ length: 128 }, sender));
  const secs = (performance.now() - t0) / 1000;
  const deadline = performance.now() + 60000;
  while (received < n && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(n - 1, Math.floor(p * n))];
  alice.destroy(); bob.destroy();
  return JSON.stringify({ n, secs, perSec: n / secs, p50: q(0.5), p99: q(0.99), max: lat[n - 1], received });
})(%d)`

type sendResult struct {
	N        int     `json:"n"`
	Secs     float64 `json:"secs"`
	PerSec   float64 `json:"perSec"`
	P50      float64 `json:"p50"`
	P99      float64 `json:"p99"`
	Max      float64 `json:"max"`
	Received int     `json:"received"`
}

// BenchmarkBrowserSend10k: 10,000 messages sent from a page in headless Chromium through
// the SDK to a real server (Badger store); reports messages/s and the ack p50/p99 in ms.
// Run: go test ./gateway/webtest -run '^$' -bench BrowserSend -benchtime 1x
func BenchmarkBrowserSend10k(b *testing.B) {
	exec := needChromium(b)
	srv := startServer(b)
	page := newBrowser(b, exec, "bench")
	page.do(b, "open the web chat", chromedp.Navigate(srv.url()), chromedp.WaitVisible(chromedp.ID("userID")))
	const n = 10000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithTimeout(page.ctx, 5*time.Minute)
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](sprintf(sendScript, n), chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			b.Fatalf("send: %v", err)
		}
		var r sendResult
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			b.Fatalf("result %q: %v", out, err)
		}
		if r.Received != n {
			b.Fatalf("bob received %d of %d", r.Received, n)
		}
		b.ReportMetric(r.PerSec, "msgs/s")
		b.ReportMetric(r.P50, "ack-p50-ms")
		b.ReportMetric(r.P99, "ack-p99-ms")
		b.ReportMetric(r.Max, "ack-max-ms")
	}
}
