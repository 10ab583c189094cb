package gateway

import (
	"time"

	"github.com/gorilla/websocket"
)

// The writer side of a connection: a bounded queue of encoded frames and a writer
// goroutine that exists only while there is something to write. An idle connection holds
// no writer goroutine and no write buffer (the upgrader's write buffer pool lends one per
// write). A full queue never blocks the enqueuer: the connection is closed as a slow
// consumer, and the client resyncs by sequence number after reconnecting.

// enqueue queues one frame. It reports false when the frame was not queued (closing, or
// the queue overflowed and the connection is being dropped).
func (c *conn) enqueue(frame []byte) bool {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return false
	}
	if len(c.queue) >= c.srv.cfg.MaxQueueFrames || c.queued+len(frame) > c.srv.cfg.MaxQueueBytes {
		c.mu.Unlock()
		c.srv.metrics.slowDisconnects.Add(1)
		c.srv.log.Warn("slow consumer disconnected", "conn", c.id, "user", c.userID())
		c.closeWith(disconnectSlow)
		return false
	}
	c.queue = append(c.queue, frame)
	c.queued += len(frame)
	start := !c.writing
	c.writing = true
	c.mu.Unlock()
	if start {
		go c.writeLoop()
	}
	return true
}

// closeWith writes what is queued, then a close frame with d, then closes the socket.
func (c *conn) closeWith(d disconnect) {
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
	start := !c.writing
	c.writing = true
	c.mu.Unlock()
	if start {
		go c.writeLoop()
	}
}

func (c *conn) writeLoop() {
	var spare [][]byte
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue, c.queued = spare[:0], 0
		if len(batch) == 0 {
			closing, reason := c.closing, c.closeReason
			c.writing = false
			c.mu.Unlock()
			if closing {
				c.finish(reason)
			}
			return
		}
		c.mu.Unlock()
		for i, f := range batch {
			_ = c.ws.SetWriteDeadline(time.Now().Add(c.srv.cfg.WriteTimeout))
			if err := c.ws.WriteMessage(c.msgType, f); err != nil {
				c.finish(disconnect{Code: websocket.CloseAbnormalClosure})
				c.mu.Lock()
				c.closing, c.writing, c.queue, c.queued = true, false, nil, 0
				c.mu.Unlock()
				return
			}
			batch[i] = nil
		}
		spare = batch
	}
}

// finish sends the close frame (when it can) and closes the socket; the reader then
// returns and cleans the connection up.
func (c *conn) finish(d disconnect) {
	c.finishOnce.Do(func() {
		if d.Code != websocket.CloseAbnormalClosure {
			msg := websocket.FormatCloseMessage(d.Code, d.Reason)
			_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		}
		_ = c.ws.Close()
	})
}
