package actors

import "fmt"

// Limits are the ZIM limits parley enforces, each with ZIM's number as default.
type Limits struct {
	TextMessageBytes    int // text/custom/barrage content; ZIM default 2 KB, at most 32 KB
	CommandMessageBytes int // command payload; 5 KB
	MessageExtendedData int // message extendedData; 1 KB
	UserNameBytes       int // 256
	UserAvatarURLBytes  int // 500
	UserExtendedData    int // user extendedData; 4 KB (not published by ZIM)
	QueryUsersMax       int // queryUsersInfo IDs per call; 10
	PageMax             int // history / conversation page size; 100
	UserIDBytes         int // 32
	DraftBytes          int // conversation draft; 1 KB (not published by ZIM)
}

// DefaultLimits returns ZIM's defaults.
func DefaultLimits() Limits {
	return Limits{
		TextMessageBytes:    2048,
		CommandMessageBytes: 5120,
		MessageExtendedData: 1024,
		UserNameBytes:       256,
		UserAvatarURLBytes:  500,
		UserExtendedData:    4096,
		QueryUsersMax:       10,
		PageMax:             100,
		UserIDBytes:         32,
		DraftBytes:          1024,
	}
}

func (l *Limits) validate() error {
	d := DefaultLimits()
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&l.TextMessageBytes, d.TextMessageBytes)
	fill(&l.CommandMessageBytes, d.CommandMessageBytes)
	fill(&l.MessageExtendedData, d.MessageExtendedData)
	fill(&l.UserNameBytes, d.UserNameBytes)
	fill(&l.UserAvatarURLBytes, d.UserAvatarURLBytes)
	fill(&l.UserExtendedData, d.UserExtendedData)
	fill(&l.QueryUsersMax, d.QueryUsersMax)
	fill(&l.PageMax, d.PageMax)
	fill(&l.UserIDBytes, d.UserIDBytes)
	fill(&l.DraftBytes, d.DraftBytes)
	if l.TextMessageBytes > 32*1024 {
		return fmt.Errorf("actors: TextMessageBytes %d above ZIM's maximum of 32 KB", l.TextMessageBytes)
	}
	return nil
}
