package load

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
)

// runMedia: Conns/2 pairs; each sender uploads a file of Size bytes over HTTP
// (POST /media/upload), then sends it as a file message (type 12); each receiver
// downloads every file it is sent by the message's URL and checks its length. The ack
// latency is upload + send; the delivery latency ends when the download finished.
// Uses the Go client (gateway/client), one connection per user.
func runMedia(ctx context.Context, cfg Config) (*Result, error) {
	pairs := max(cfg.Conns/2, 1)
	size := cfg.Size
	if size <= 200 { // the message-size default: files get their own
		size = 256 << 10
	}
	data := make([]byte, size)
	_, _ = rand.Read(data)
	targets := Targets(cfg.Target)
	if len(targets) == 0 {
		return nil, fmt.Errorf("load: media needs --target")
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * pairs}}
	var (
		mu                 sync.Mutex
		ackH, delH         histogram
		errs               = map[string]int64{}
		sent, acked, deliv atomic.Uint64
		upBytes, downBytes atomic.Int64
		failedDownloads    atomic.Uint64
	)
	fail := func(what string, err error) {
		mu.Lock()
		errs[what+":"+strconv.Itoa(int(client.Code(err)))]++
		mu.Unlock()
	}
	dial := func(i int, user string) (*client.Client, error) {
		c, err := client.Dial(ctx, targets[i%len(targets)], client.Options{})
		if err != nil {
			return nil, err
		}
		if err := c.Login(ctx, user, user, cfg.token(user), 1); err != nil {
			_ = c.Close()
			return nil, err
		}
		return c, nil
	}
	senders := make([]*client.Client, pairs)
	receivers := make([]*client.Client, pairs)
	defer func() {
		for _, c := range append(senders, receivers...) {
			if c != nil {
				_ = c.Close()
			}
		}
	}()
	for i := 0; i < pairs; i++ {
		var err error
		if receivers[i], err = dial(i, cfg.Prefix+"mr"+strconv.Itoa(i)); err != nil {
			return nil, err
		}
		if senders[i], err = dial(i+1, cfg.Prefix+"ms"+strconv.Itoa(i)); err != nil {
			return nil, err
		}
		receivers[i].OnAny(func(name string, p proto.Message) {
			ev, ok := p.(*m.ConversationMessageReceivedEvent)
			if !ok || name != m.EventPeerMessageReceived.Name {
				return
			}
			for _, msg := range ev.MessageList {
				if msg.Type != 12 {
					continue
				}
				start, _ := strconv.ParseInt(msg.ExtendedData, 10, 64)
				go func(u string) {
					b, err := client.DownloadMedia(ctx, hc, u)
					if err != nil || len(b) != size {
						fail("download", err)
						failedDownloads.Add(1)
						return
					}
					downBytes.Add(int64(len(b)))
					deliv.Add(1)
					mu.Lock()
					delH.add(time.Since(time.Unix(0, start)))
					mu.Unlock()
				}(msg.GetFileDownloadUrl())
			}
		})
	}
	if cfg.OnMeasure != nil {
		cfg.OnMeasure()
	}
	runCtx := ctx
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	var budget atomic.Int64
	budget.Store(int64(cfg.Count))
	begin := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < pairs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			to := cfg.Prefix + "mr" + strconv.Itoa(i)
			for runCtx.Err() == nil {
				if cfg.Count > 0 && budget.Add(-1) < 0 {
					return
				}
				t0 := time.Now()
				sent.Add(1)
				up, err := senders[i].UploadMedia(runCtx, 12, "load.bin", bytes.NewReader(data), int64(size), &client.UploadOptions{HTTPClient: hc})
				if err != nil {
					if runCtx.Err() == nil {
						fail("upload", err)
					}
					continue
				}
				upBytes.Add(int64(size))
				_, err = senders[i].SendMessage(ctx, &m.Message{Type: 12, FileUID: proto.String(up.FileUID), ExtendedData: strconv.FormatInt(t0.UnixNano(), 10)}, to, 0, nil)
				if err != nil {
					fail("send", err)
					continue
				}
				acked.Add(1)
				mu.Lock()
				ackH.add(time.Since(t0))
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	sending := time.Since(begin).Seconds()
	// Wait for the receivers' downloads (polled: the load tool's own clock).
	for deadline := time.Now().Add(cfg.Drain); deliv.Load()+failedDownloads.Load() < acked.Load() &&
		time.Now().Before(deadline) && ctx.Err() == nil; {
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(begin).Seconds()
	mu.Lock()
	defer mu.Unlock()
	res := &Result{Scenario: "media", Mode: "ws", Duration: elapsed, Sent: sent.Load(), Acked: acked.Load(),
		Delivered: deliv.Load(), Expected: acked.Load(), SentPerSec: float64(sent.Load()) / sending,
		AckedPerSec: float64(acked.Load()) / sending, DeliveredPerS: float64(deliv.Load()) / elapsed,
		Ack: ackH.summary(), Delivery: delH.summary(), Errors: map[string]int64{}, Extra: map[string]any{}}
	for k, v := range errs {
		res.Errors[k] = v
	}
	if res.Expected > res.Delivered {
		res.Lost = res.Expected - res.Delivered
	}
	res.Extra["file_bytes"] = size
	res.Extra["upload_MB_per_s"] = float64(upBytes.Load()) / sending / 1e6
	res.Extra["download_MB_per_s"] = float64(downBytes.Load()) / elapsed / 1e6
	return res, nil
}
