package actors

import "time"

// Message types of the message features (ZIMMessageType).
const (
	MsgRevoke  = 31
	MsgTips    = 32
	MsgCombine = 100
)

// MessageLimits are the limits of the message features (revoke, edit, pins, combine),
// each with ZIM's number as default.
type MessageLimits struct {
	// RevokeWindow: a sender revokes its own message within this time of sending it; 2
	// minutes (ZIM: "only allows recalling messages within 2 minutes", configurable in
	// ZEGOCLOUD's console). Group and channel owners and admins revoke others' messages
	// at any time.
	RevokeWindow time.Duration
	// EditWindow: a sender edits its own message within this time of sending it; 24
	// hours (ZIM's documented default).
	EditWindow time.Duration
	// PinnedMax: pinned messages per conversation; 10 (ZIM). Pinning one more replaces
	// the earliest pinned unless the call disables it (6000287).
	PinnedMax int
	// CombineMessagesMax: sub-messages of one combine message; 100 (not published by ZIM).
	CombineMessagesMax int
	// CombineBytes: the encoded size of a combine message's sub-messages; 256 KB (not
	// published by ZIM).
	CombineBytes int
	// Tips: groups write tips messages (type 32) into their histories when members
	// or the profile change, communities into their GENERAL channel (tips.go). Off by
	// default, as in ZIM, where ZEGOCLOUD enables them per app on request.
	Tips bool
}

func defaultMessageLimits() MessageLimits {
	return MessageLimits{
		RevokeWindow:       2 * time.Minute,
		EditWindow:         24 * time.Hour,
		PinnedMax:          10,
		CombineMessagesMax: 100,
		CombineBytes:       256 * 1024,
	}
}

func (l *MessageLimits) validate() {
	d := defaultMessageLimits()
	if l.RevokeWindow <= 0 {
		l.RevokeWindow = d.RevokeWindow
	}
	if l.EditWindow <= 0 {
		l.EditWindow = d.EditWindow
	}
	for _, f := range []struct {
		v   *int
		def int
	}{
		{&l.PinnedMax, d.PinnedMax}, {&l.CombineMessagesMax, d.CombineMessagesMax}, {&l.CombineBytes, d.CombineBytes},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
}
