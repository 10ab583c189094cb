package gateway

import (
	"encoding/binary"
	"net"
	"runtime"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// The writer side of a connection: a bounded queue of ready-made WebSocket frames and a
// writer goroutine that exists only while there is something to write (it lingers for
// writerLinger after the queue drains, so a busy connection does not respawn it per
// frame). An idle connection holds no writer goroutine and no buffer.
//
// Frames are framed once (frame) and written in batches with one writev per batch,
// straight to the socket: a push to many connections is framed once and the same bytes
// are queued to each. Pongs go through the queue too, and the close frame is the
// writer's last write (finish).
//
// A full queue never blocks the enqueuer: the connection is closed as a slow consumer,
// and the client resyncs by sequence number after reconnecting.
//
// A connection that has been quiet for directGap (nothing queued, no writer, no socket
// write since) gets a frame (or the frames of one enqueueFrames, copied together) written
// at once on the enqueuing goroutine, with one non-blocking write: what the socket does not take goes through the queue and the
// writer as usual. A frame to a mostly idle connection (a member of a big room, a user
// getting a few messages a second) then costs one syscall instead of starting a writer
// goroutine, its scheduling and its linger timer; connections that get frames more often
// than that keep their lingering writer and batched writes.

const (
	writerLinger = 50 * time.Millisecond
	directGap    = 2 * time.Millisecond
	directMax    = 64 << 10 // larger frame sets go through the writer
)

// frameHeaderLen is the length of a server frame header for an n-byte payload.
func frameHeaderLen(n int) int {
	switch {
	case n < 126:
		return 2
	case n <= 0xffff:
		return 4
	}
	return 10
}

// appendFrameHeader appends the header of a server-to-client WebSocket frame (FIN,
// opcode, unmasked length) for an n-byte payload.
func appendFrameHeader(dst []byte, messageType, n int) []byte {
	dst = append(dst, 0x80|byte(messageType))
	switch {
	case n < 126:
		return append(dst, byte(n))
	case n <= 0xffff:
		return append(dst, 126, byte(n>>8), byte(n))
	}
	dst = append(dst, 127)
	return binary.BigEndian.AppendUint64(dst, uint64(n))
}

// frame returns the complete server-to-client WebSocket frame of one message.
func frame(messageType int, payload []byte) []byte {
	n := len(payload)
	out := appendFrameHeader(make([]byte, 0, frameHeaderLen(n)+n), messageType, n)
	return append(out, payload...)
}

// frameInPlace frames the payload b[jsonHeadroom:] by writing its header into the
// headroom before it, without copying the payload.
func frameInPlace(b []byte, messageType int) []byte {
	n := len(b) - jsonHeadroom
	h := frameHeaderLen(n)
	appendFrameHeader(b[jsonHeadroom-h:jsonHeadroom-h], messageType, n)
	return b[jsonHeadroom-h:]
}

// deadlineSlack is how stale a read or write deadline may get before it is moved again:
// a deadline of timeout is then never shorter than timeout-slack after the last activity.
func deadlineSlack(timeout time.Duration) time.Duration {
	return min(timeout/16, time.Second)
}

// send frames payload as this connection's message type and queues it.
func (c *conn) send(payload []byte) bool { return c.enqueue(frame(c.msgType, payload)) }

// enqueue queues one ready-made frame. It reports false when the frame was not queued
// (closing, or the queue overflowed and the connection is being dropped).
func (c *conn) enqueue(f []byte) bool {
	one := [1][]byte{f}
	return c.enqueueFrames(one[:])
}

// enqueueFrames queues ready-made frames, in order, all or none, with one wake-up of the
// writer (so they usually go out in one write). It reports false when they were not
// queued (closing, or the queue overflowed and the connection is being dropped).
func (c *conn) enqueueFrames(frames [][]byte) bool {
	size := 0
	for _, f := range frames {
		size += len(f)
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return false
	}
	if len(c.queue)+len(frames) > c.srv.cfg.MaxQueueFrames || c.queued+size > c.srv.cfg.MaxQueueBytes {
		c.mu.Unlock()
		c.srv.metrics.slowDisconnects.Add(1)
		c.srv.log.Warn("slow consumer disconnected", "conn", c.id, "user", c.userID())
		c.closeWith(disconnectSlow)
		return false
	}
	if c.direct && !c.writing && len(c.queue) == 0 && size <= directMax {
		if now := time.Now().UnixNano(); now-c.lastWrite >= int64(directGap) {
			c.writing = true // this goroutine owns the socket's writes until writeDirect returns
			c.lastWrite = now
			c.mu.Unlock()
			f := frames[0]
			if len(frames) > 1 { // the events of one message: one write
				f = make([]byte, 0, size)
				for _, x := range frames {
					f = append(f, x...)
				}
			}
			return c.writeDirect(f)
		}
	}
	c.queue = append(c.queue, frames...)
	c.queued += size
	c.wakeWriterLocked()
	c.mu.Unlock()
	return true
}

// writeDirect writes f with one non-blocking write and queues what the socket did not
// take, ahead of whatever was queued meanwhile. c.writing was set by the caller.
func (c *conn) writeDirect(f []byte) bool {
	nc := c.nc
	c.keepWriteDeadline(nc, time.Now())
	n, err := writeNonBlocking(nc, f)
	c.srv.metrics.socketWrites.Add(1)
	c.mu.Lock()
	c.writing = false
	if err != nil {
		c.closing, c.queue, c.queued = true, nil, 0
		c.mu.Unlock()
		c.finish(disconnect{Code: websocket.CloseAbnormalClosure})
		return false
	}
	if n < len(f) {
		c.queue = append(c.queue, nil)
		copy(c.queue[1:], c.queue)
		c.queue[0] = f[n:]
		c.queued += len(f) - n
	}
	if len(c.queue) > 0 || c.closing {
		c.wakeWriterLocked()
	}
	c.mu.Unlock()
	return true
}

// keepWriteDeadline moves the socket's write deadline to WriteTimeout from now when it
// was last moved more than deadlineSlack(WriteTimeout) ago (re-arming the poller's timer
// per write showed in profiles). The goroutine that owns the socket's writes (c.writing)
// calls it before writing: a deadline left from an earlier writer would otherwise fail a
// later write, the non-blocking ones too.
func (c *conn) keepWriteDeadline(nc net.Conn, now time.Time) {
	if ns := now.UnixNano(); ns-c.deadlineSet >= int64(deadlineSlack(c.srv.cfg.WriteTimeout)) {
		c.deadlineSet = ns
		_ = nc.SetWriteDeadline(now.Add(c.srv.cfg.WriteTimeout))
	}
}

// writeNonBlocking writes what the socket takes of b now: n < len(b) when its buffer is
// full (the rest must follow), an error when the connection is broken.
func writeNonBlocking(nc net.Conn, b []byte) (int, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return 0, nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var werr error
	err = rc.Write(func(fd uintptr) bool {
		n, werr = syscall.Write(int(fd), b)
		return true // never wait: what is left goes through the writer
	})
	switch {
	case err != nil:
		return 0, err
	case werr == syscall.EAGAIN || werr == syscall.EINTR:
		return 0, nil
	case werr != nil:
		return 0, werr
	}
	return n, nil
}

// wakeWriterLocked starts the writer, or wakes a lingering one. c.mu is held.
func (c *conn) wakeWriterLocked() {
	if !c.writing {
		c.writing = true
		go c.writeLoop()
		return
	}
	if c.wake != nil {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// closeWith writes what is queued, then a close frame with d, then closes the socket.
func (c *conn) closeWith(d disconnect) {
	if c.sink != nil {
		c.closeLocal(d, true)
		return
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	c.closing = true
	c.closeReason = d
	if d == disconnectSlow { // nothing more goes to a consumer that cannot keep up
		c.queue, c.queued = nil, 0
	}
	c.wakeWriterLocked()
	c.mu.Unlock()
}

func (c *conn) writeLoop() {
	nc := c.nc
	var spare [][]byte
	var linger *time.Timer
	defer func() {
		if linger != nil {
			linger.Stop()
		}
	}()
	for {
		// Let whatever else is runnable go first: the other frames of the same moment (the
		// sender's reply and its conversationChanged come from two goroutines) then join
		// this batch instead of costing a write of their own.
		runtime.Gosched()
		c.mu.Lock()
		batch := c.queue
		if len(batch) == 0 {
			if c.closing {
				reason := c.closeReason
				c.writing = false
				c.mu.Unlock()
				c.finish(reason)
				return
			}
			// Linger a little for more before giving the goroutine back.
			if c.wake == nil {
				c.wake = make(chan struct{}, 1)
			}
			wake := c.wake
			c.mu.Unlock()
			if linger == nil {
				linger = time.NewTimer(writerLinger)
			} else {
				linger.Reset(writerLinger)
			}
			select {
			case <-wake:
				linger.Stop()
				continue
			case <-linger.C:
			}
			c.mu.Lock()
			if len(c.queue) == 0 && !c.closing {
				c.writing = false
				c.wake = nil
				c.mu.Unlock()
				return
			}
			c.mu.Unlock()
			continue
		}
		// Swap in the spare array: enqueue appends to it while batch is written.
		now := time.Now()
		c.queue, c.queued, c.lastWrite = spare[:0], 0, now.UnixNano()
		c.mu.Unlock()
		c.keepWriteDeadline(nc, now)
		bufs := net.Buffers(batch)
		c.srv.metrics.socketWrites.Add(1)
		if _, err := bufs.WriteTo(nc); err != nil {
			c.mu.Lock()
			c.closing, c.writing, c.queue, c.queued = true, false, nil, 0
			c.mu.Unlock()
			c.finish(disconnect{Code: websocket.CloseAbnormalClosure})
			return
		}
		clear(batch)
		spare = batch
	}
}

// finish sends the close frame (when it can) and closes the socket; the reader then
// returns and cleans the connection up. A close frame is written by the writer only,
// after the queue: it is the last frame, and nothing else writes by then (closing).
func (c *conn) finish(d disconnect) {
	c.finishOnce.Do(func() {
		if d.Code != websocket.CloseAbnormalClosure {
			_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = c.nc.Write(frame(opClose, websocket.FormatCloseMessage(d.Code, d.Reason)))
		}
		_ = c.nc.Close()
		c.mu.Lock()
		c.finished = true
		if c.finishedCh != nil {
			close(c.finishedCh)
		}
		c.mu.Unlock()
		c.closedForParking()
	})
}

// closeAndWait closes the connection with d — what is queued, then the close frame,
// then the socket — and waits until it is done (bounded by the write timeout). The
// reader calls it when it ends the connection itself (the client's close echoed, a
// protocol violation refused): its return would otherwise close the socket at once
// (cleanup), before the close frame.
func (c *conn) closeAndWait(d disconnect) {
	c.mu.Lock()
	if c.finished {
		c.mu.Unlock()
		return
	}
	if c.finishedCh == nil {
		c.finishedCh = make(chan struct{})
	}
	done := c.finishedCh
	c.mu.Unlock()
	c.closeWith(d)
	t := time.NewTimer(c.srv.cfg.WriteTimeout + time.Second)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// enqueuePriority queues a push carrying a room message's priority. A low (medium)
// priority frame is dropped, and counted, when the queue is already half (three
// quarters) full: a connection falling behind loses barrage before it is disconnected.
// High priority and unprioritised (0) frames go through enqueue: never dropped silently,
// a queue that cannot take them disconnects the connection as a slow consumer.
func (c *conn) enqueuePriority(f []byte, priority int32) bool {
	num, den := priorityShare(priority)
	if den == 0 {
		return c.enqueue(f)
	}
	cfg := &c.srv.cfg
	c.mu.Lock()
	lagging := len(c.queue)*den >= cfg.MaxQueueFrames*num || (c.queued+len(f))*den > cfg.MaxQueueBytes*num
	c.mu.Unlock()
	if lagging {
		c.srv.metrics.droppedPushes.Add(1)
		return false
	}
	return c.enqueue(f)
}
