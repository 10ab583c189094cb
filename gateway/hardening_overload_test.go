package gateway_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/gateway/load"
)

// The load tool against a deliberately slowed store (every write takes 700 ms; a
// request times out after 1 s): senders with 8 requests in flight each queue far more
// than the store can take. Callers get a code in bounded time (6000105 or 6000008), no
// acknowledged message is lost or duplicated, and the server's memory stays bounded.
func TestOverloadSlowStoreWithLoadTool(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run")
	}
	node, store := startSlowNode(t, gateway.Config{}, actors.Config{RequestTimeout: time.Second})
	store.delay.Store(int64(700 * time.Millisecond))
	heapBefore := heapInUse()
	c, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := load.Run(c, load.Config{Scenario: "peer", Target: node.URL(), AppID: testAppID, Secret: testSecret,
		Conns: 40, InFlight: 8, Duration: 5 * time.Second, Drain: 5 * time.Second, Concurrency: 40})
	if err != nil {
		t.Fatal(err)
	}
	heapAfter := heapInUse()
	t.Logf("slow store: sent %d, acked %d, lost %d, duplicates %d, errors %v; ack p50 %.0fms p99 %.0fms max %.0fms; heap %d → %d MiB",
		res.Sent, res.Acked, res.Lost, res.Duplicates, res.Errors, res.Ack.P50, res.Ack.P99, res.Ack.Max, heapBefore>>20, heapAfter>>20)
	if res.Lost != 0 || res.Duplicates != 0 {
		t.Fatalf("acknowledged messages lost (%d) or duplicated (%d)", res.Lost, res.Duplicates)
	}
	timeouts := 0
	for code, n := range res.Errors {
		switch code {
		case fmt.Sprint(actors.ErrRequestTimeout.Code), fmt.Sprint(actors.ErrStorage.Code):
			timeouts += int(n)
		default:
			t.Errorf("refused %d times with %s", n, code)
		}
	}
	if timeouts == 0 {
		t.Error("the overloaded store never made a caller time out: the test did not overload it")
	}
	if res.Ack.Max > 2500 {
		t.Errorf("an acknowledgement took %.0f ms with a 1 s request timeout", res.Ack.Max)
	}
	if heapAfter > heapBefore+64<<20 {
		t.Errorf("the heap grew from %d to %d MiB", heapBefore>>20, heapAfter>>20)
	}
}
