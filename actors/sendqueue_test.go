package actors

import (
	"strings"
	"testing"

	"github.com/parley-chat/parley/messages"
)

// One write takes at most maxBatchMessages messages and about maxBatchBytes of them, and
// always at least one (however large).
func TestSendQueueChunks(t *testing.T) {
	queue := func(n, size int) []queuedSend {
		q := make([]queuedSend, n)
		for i := range q {
			q[i].m = &messages.Message{Type: MsgText, Message: strings.Repeat("x", size)}
		}
		return q
	}
	for _, c := range []struct {
		n, size, want int
	}{
		{1, 10, 1},
		{600, 10, maxBatchMessages},
		{100, 32 << 10, 16}, // 16 × (32 KB + 256) first reaches 512 KB
		{3, 4 << 20, 1},     // larger than a whole batch: alone
	} {
		if got := chunkLen(queue(c.n, c.size)); got != c.want {
			t.Errorf("%d messages of %d bytes: chunks of %d, want %d", c.n, c.size, got, c.want)
		}
	}
}
