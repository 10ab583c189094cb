package gateway_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/persistence"
)

// A node shut down right after it started (before its serving goroutine ran) stops.
func TestShutdownRightAfterStart(t *testing.T) {
	for i := 0; i < 5; i++ {
		n, err := gateway.StartNode(persistence.NewMemory(), actors.Config{Logger: testLogger()},
			gateway.Config{AppID: testAppID, Secret: testSecret, Logger: testLogger()}, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = n.Shutdown(ctx)
		cancel()
		if err != nil {
			t.Fatalf("shutdown %d: %v", i, err)
		}
	}
}
