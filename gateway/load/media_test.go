package load

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/parley-chat/parley/actors"
	"github.com/parley-chat/parley/gateway"
	"github.com/parley-chat/parley/media"
	"github.com/parley-chat/parley/persistence"
)

// TestMediaScenario: the media scenario uploads, sends and downloads every file, and
// accounts for each exactly.
func TestMediaScenario(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := persistence.OpenBadger(persistence.BadgerOptions{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := media.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	node, err := gateway.StartNode(store, actors.Config{Logger: log}, gateway.Config{Dev: true, Logger: log,
		Media: &media.Config{Blobs: blobs, Secret: []byte("load-test-media-secret")}}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = node.Shutdown(ctx)
	})
	res := runOK(t, Config{Scenario: "media", Target: node.URL(), Conns: 4, Count: 20, Size: 100 << 10})
	if !res.OK() || res.Acked != 20 || res.Delivered != 20 || res.Extra["file_bytes"] != 100<<10 {
		t.Fatalf("media run: %+v", res)
	}
	if res.Ack.Count != 20 || res.Delivery.Count != 20 {
		t.Fatalf("latencies: %+v", res)
	}
}
