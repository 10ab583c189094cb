package actors

import (
	"time"

	"github.com/parley-chat/parley/messages"
)

// Mute modes (ZIMGroupMuteMode), reused by every kind with members and roles.
const (
	MuteNone   = 0
	MuteNormal = 1 // ordinary members (members and custom roles)
	MuteAll    = 2 // everyone
	MuteCustom = 3 // the listed roles
)

// Mute durations are seconds: 1..muteMaxSeconds, or mutePermanent. Stored expiries are
// absolute milliseconds, -1 for permanent, 0 for none, so that they hold across restarts.
const (
	mutePermanent  = -1
	muteMaxSeconds = 30 * 24 * 3600
)

// muteExpiry turns a mute duration into an absolute expiry; ok is false for a duration
// out of range.
func muteExpiry(now time.Time, seconds int64) (int64, bool) {
	switch {
	case seconds == mutePermanent:
		return mutePermanent, true
	case seconds >= 1 && seconds <= muteMaxSeconds:
		return now.Add(time.Duration(seconds) * time.Second).UnixMilli(), true
	}
	return 0, false
}

// muteActive reports whether an expiry is in force at now.
func muteActive(expiry int64, now time.Time) bool {
	return expiry == mutePermanent || expiry > now.UnixMilli()
}

// shownExpiry is an expiry as clients see it: 0 once it has passed.
func shownExpiry(expiry int64, now time.Time) int64 {
	if muteActive(expiry, now) {
		return expiry
	}
	return 0
}

// muteCovers reports whether a whole-group mute covers a member with role at now.
func muteCovers(m *messages.GroupMuteInfo, role int32, now time.Time) bool {
	if m == nil || m.Mode == MuteNone || !muteActive(m.ExpiredTime, now) {
		return false
	}
	switch m.Mode {
	case MuteAll:
		return true
	case MuteNormal:
		return isOrdinary(role)
	case MuteCustom:
		for _, r := range m.Roles {
			if r == role {
				return true
			}
		}
	}
	return false
}

// muteView is the whole-group mute as clients see it (mode none once it expired).
func muteView(m *messages.GroupMuteInfo, now time.Time) *messages.GroupMuteInfo {
	if m == nil || m.Mode == MuteNone || !muteActive(m.ExpiredTime, now) {
		return &messages.GroupMuteInfo{Mode: MuteNone}
	}
	return &messages.GroupMuteInfo{Mode: m.Mode, ExpiredTime: m.ExpiredTime, Roles: append([]int32(nil), m.Roles...)}
}
