//go:build !linux

package gateway

// Parking needs epoll: elsewhere every connection keeps its reader goroutine.
type parker struct{}

func newParker(*registry) (*parker, error) { return nil, errParkingUnsupported }

func (p *parker) watch(*conn) error { return errParkingUnsupported }

func (p *parker) close() {}
