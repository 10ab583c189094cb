//go:build !race

// Several members in one process race inside protoactor (notes/protoactor.md): this
// file stays out of -race runs.

package runtime

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/parley-chat/parley/messages"
)

// BenchmarkRequest: one request/reply to a grain on this member ("local") and on
// another member of an in-process cluster ("remote"), 64 callers at once. The remote
// case pays the transport both ways (encode, gRPC stream, decode).
func BenchmarkRequest(b *testing.B) {
	counts := &probeCounts{}
	kinds := []Kind{{Name: kindProbe, New: func() Handler { return &probe{counts: counts} }}}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	members := InProcess()
	start := func(hosted []string) *Node {
		n, err := Start(Config{Logger: quiet, Members: members, Kinds: kinds, Hosted: hosted, RequestTimeout: 10 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = n.Shutdown(context.Background()) })
		return n
	}
	host := start([]string{kindProbe}) // hosts every probe grain
	caller := start([]string{})        // hosts none: every call crosses to host
	for _, c := range []struct {
		name string
		from *Node
	}{{"local", host}, {"remote", caller}} {
		b.Run(c.name, func(b *testing.B) {
			ids := make([]string, 64)
			for i := range ids {
				ids[i] = "b" + strconv.Itoa(i)
				if _, err := call(c.from, ids[i], "count"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			next := make(chan int, 64)
			for i := 0; i < 64; i++ {
				next <- i
			}
			b.SetParallelism(32)
			b.RunParallel(func(pb *testing.PB) {
				i := <-next
				for pb.Next() {
					if _, err := c.from.Call(context.Background(), kindProbe, ids[i], &messages.Call{Method: "count"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
