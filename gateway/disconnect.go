package gateway

import "github.com/parley-chat/parley/actors"

// Disconnect codes (WebSocket close codes) and what a client should do on each.
type disconnect struct {
	Code      int
	Reason    string
	Reconnect bool
}

var (
	// The server is stopping: reconnect (to another node) and resync by sequence number.
	disconnectShutdown = disconnect{4000, "server shutdown, reconnect", true}
	// The same user logged in on the same platform elsewhere: do not reconnect on your own.
	disconnectKicked = disconnect{actors.CloseKicked, "kicked out by another login", false}
	// The token expired: get a new token, then reconnect.
	disconnectTokenExpired = disconnect{4002, "token expired", false}
	// The connection could not keep up with its pushes: reconnect and resync.
	disconnectSlow = disconnect{4003, "slow consumer, reconnect", true}
	// The client broke the protocol (oversize frame, wrong frame type).
	disconnectProtocol = disconnect{4004, "protocol error", false}
	// The connection did not log in within the login deadline (Config.LoginTimeout) after
	// it opened or after its logout: the client may reconnect, and must then log in at once.
	disconnectLoginTimeout = disconnect{4005, "login timeout", true}
)

func disconnectFor(code int) disconnect {
	for _, d := range []disconnect{disconnectShutdown, disconnectKicked, disconnectTokenExpired, disconnectSlow, disconnectProtocol, disconnectLoginTimeout} {
		if d.Code == code {
			return d
		}
	}
	return disconnect{code, "closed", true}
}
