//go:build linux

package gateway

import (
	"syscall"
)

// parker is the gateway's epoll set of parked sockets (park.go). An event carries the
// connection's ID; the connection is looked up in the registry, so a stale event (the
// connection unparked or gone meanwhile) finds nothing to do. Sockets are registered
// level-triggered and one-shot: a socket readable when it is registered fires at once,
// and each registration fires once (a parked connection is re-armed when it parks again).
type parker struct {
	epfd int
	wake [2]int // a pipe whose read end (event data 0) stops the loop
	reg  *registry
	done chan struct{}
}

func newParker(reg *registry) (*parker, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	p := &parker{epfd: epfd, reg: reg, done: make(chan struct{})}
	if err := syscall.Pipe2(p.wake[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		syscall.Close(epfd)
		return nil, err
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p.wake[0], &ev); err != nil {
		p.closeFDs()
		return nil, err
	}
	go p.loop()
	return p, nil
}

func (p *parker) loop() {
	defer close(p.done)
	events := make([]syscall.EpollEvent, 256)
	for {
		n, err := syscall.EpollWait(p.epfd, events, -1)
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			return
		}
		for _, ev := range events[:n] {
			id := uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32
			if id == 0 {
				return // close
			}
			if c := p.reg.get(id); c != nil {
				c.unpark()
			}
		}
	}
}

// watch registers (or re-arms) c's socket. Called with c.parkMu held.
func (p *parker) watch(c *conn) error {
	ev := syscall.EpollEvent{
		Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT,
		Fd:     int32(uint32(c.id)),
		Pad:    int32(uint32(c.id >> 32)),
	}
	op := syscall.EPOLL_CTL_ADD
	if c.registered {
		op = syscall.EPOLL_CTL_MOD
	}
	sc, ok := c.nc.(syscall.Conn)
	if !ok {
		return errParkingUnsupported
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	// Control holds the socket open while it runs: its descriptor cannot be another
	// socket's by then.
	if cerr := rc.Control(func(fd uintptr) { err = syscall.EpollCtl(p.epfd, op, int(fd), &ev) }); cerr != nil {
		return cerr
	}
	return err
}

func (p *parker) close() {
	_, _ = syscall.Write(p.wake[1], []byte{0})
	<-p.done
	p.closeFDs()
}

func (p *parker) closeFDs() {
	syscall.Close(p.epfd)
	syscall.Close(p.wake[0])
	syscall.Close(p.wake[1])
}
