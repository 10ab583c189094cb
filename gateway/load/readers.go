package load

// frameHandler gets every data frame a session receives while the readers run.
type frameHandler func(s *session, f inFrame)

// startReaders runs one reader goroutine per session; they end with their connections.
// (A few epoll loops reading every socket were tried instead: no cheaper, because Go's
// own poller still gets every socket's events.)
func startReaders(sessions []*session, handle frameHandler) (stop func(), err error) {
	for _, s := range sessions {
		go func() {
			for {
				f, err := s.c.read()
				if err != nil {
					return
				}
				handle(s, f)
			}
		}()
	}
	return func() {}, nil
}
