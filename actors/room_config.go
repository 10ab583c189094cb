package actors

import (
	"fmt"
	"time"
)

// RoomLimits are the ZIM room limits, each with ZIM's number as default.
type RoomLimits struct {
	JoinedRooms        int // rooms one login session is in at once; 5 (6000325)
	IDBytes            int // roomID; 128
	NameBytes          int // roomName; 64
	DestroyDelayMax    int // roomDestroyDelayTime in seconds; 10800 (3 hours)
	QueryMembers       int // queryRoomMembers IDs per call; 10 (6000012)
	PageMax            int // queryRoomMemberList / queryRoomMemberAttributesList page; 100
	Attributes         int // room attributes per room; 20 (6000334)
	AttributeKeyBytes  int // 16 (6000335)
	AttributeValBytes  int // 1024 (6000336)
	AttributesBytes    int // keys + values of all room attributes; 5120 (6000337)
	MemberAttrMembers  int // members with member attributes per room; 500 (6000357)
	MemberAttrPairs    int // member attributes per member; 30 (6000357)
	MemberAttrKeyBytes int // 8 (6000352)
	MemberAttrValBytes int // 64 (6000353)
	MemberAttrBytes    int // keys + values of one member's attributes; 144 (6000351)
	MemberAttrUsers    int // user IDs per setRoomMembersAttributes / queryRoomMembersAttributes; 100
	BatchOps           int // set/delete calls inside one attribute batch; 64 (not published by ZIM)
}

func defaultRoomLimits() RoomLimits {
	return RoomLimits{
		JoinedRooms:        5,
		IDBytes:            128,
		NameBytes:          64,
		DestroyDelayMax:    3 * 60 * 60,
		QueryMembers:       10,
		PageMax:            100,
		Attributes:         20,
		AttributeKeyBytes:  16,
		AttributeValBytes:  1024,
		AttributesBytes:    5120,
		MemberAttrMembers:  500,
		MemberAttrPairs:    30,
		MemberAttrKeyBytes: 8,
		MemberAttrValBytes: 64,
		MemberAttrBytes:    144,
		MemberAttrUsers:    100,
		BatchOps:           64,
	}
}

func (l *RoomLimits) validate() error {
	d := defaultRoomLimits()
	for _, f := range []struct{ v, def *int }{
		{&l.JoinedRooms, &d.JoinedRooms}, {&l.IDBytes, &d.IDBytes}, {&l.NameBytes, &d.NameBytes},
		{&l.DestroyDelayMax, &d.DestroyDelayMax}, {&l.QueryMembers, &d.QueryMembers}, {&l.PageMax, &d.PageMax},
		{&l.Attributes, &d.Attributes}, {&l.AttributeKeyBytes, &d.AttributeKeyBytes},
		{&l.AttributeValBytes, &d.AttributeValBytes}, {&l.AttributesBytes, &d.AttributesBytes},
		{&l.MemberAttrMembers, &d.MemberAttrMembers}, {&l.MemberAttrPairs, &d.MemberAttrPairs},
		{&l.MemberAttrKeyBytes, &d.MemberAttrKeyBytes}, {&l.MemberAttrValBytes, &d.MemberAttrValBytes},
		{&l.MemberAttrBytes, &d.MemberAttrBytes}, {&l.MemberAttrUsers, &d.MemberAttrUsers}, {&l.BatchOps, &d.BatchOps},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.IDBytes > 128 {
		return fmt.Errorf("actors: room IDBytes %d above ZIM's maximum of 128", l.IDBytes)
	}
	return nil
}

// RoomConfig configures the room actors.
type RoomConfig struct {
	// History stores room messages (text and custom; command and barrage messages are
	// never stored) so that queryHistoryMessage works for rooms. Off by default, as in ZIM.
	History bool
	// Grace is how long a member whose connections all dropped stays in the room, waiting
	// for the user to join again from a new connection. Default 30s.
	Grace time.Duration
	// DestroyDelayUnit is the unit of a room's roomDestroyDelayTime. Default 1s (ZIM's);
	// tests shorten it.
	DestroyDelayUnit time.Duration
	// NoticeInterval is how long the room gathers member joins (or leaves) into one
	// roomMemberJoined (roomMemberLeft) after it sent one: a join storm of n members costs
	// O(n) pushes per interval, not n²/2 (room_notices.go). Default 100ms.
	NoticeInterval time.Duration
	// NoticeUsers caps the users of one member notice. Default 500.
	NoticeUsers int
}

func (c *RoomConfig) validate() error {
	if c.Grace <= 0 {
		c.Grace = 30 * time.Second
	}
	if c.DestroyDelayUnit <= 0 {
		c.DestroyDelayUnit = time.Second
	}
	if c.NoticeInterval <= 0 {
		c.NoticeInterval = 100 * time.Millisecond
	}
	if c.NoticeUsers <= 0 {
		c.NoticeUsers = 500
	}
	return nil
}

// ValidRoomID checks a room ID: 1..maxLen bytes of ZIM's room ID alphabet (letters,
// digits and !#$%&()+-:;<=.>?@[]^_{}|~).
func ValidRoomID(id string, maxLen int) bool {
	if id == "" || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c < 128 && roomIDSymbols[c]:
		default:
			return false
		}
	}
	return true
}

var roomIDSymbols = func() (t [128]bool) {
	for _, c := range "!#$%&()+-:;<=.>?@[]^_{}|~" {
		t[c] = true
	}
	return t
}()
