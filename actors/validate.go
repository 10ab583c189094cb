package actors

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/parley-chat/parley/messages"
)

// ZIM message types parley accepts in sendMessage.
const (
	MsgText    = 1
	MsgCommand = 2
	MsgImage   = 11
	MsgFile    = 12
	MsgAudio   = 13
	MsgVideo   = 14
	MsgBarrage = 20
	MsgCustom  = 200
)

// zimMessageType reports whether t is a message type ZIM declares (ZIMMessageType in
// zego-zim-web's ZIMDefines.d.ts), Unknown 0 aside. Anything else is a bad parameter
// (6000001: ZIMErrorCode has no code of its own for a message type); a declared type
// parley does not take in the conversation is an unsupported request (6000013).
func zimMessageType(t int32) bool {
	switch t {
	case MsgText, MsgCommand, 10 /* multiple */, 11, 12, 13, 14 /* image, file, audio, video */, MsgBarrage,
		30, 31, 32 /* system, revoke, tips */, 100 /* combine */, MsgCustom:
		return true
	}
	return false
}

// ZIM conversation types.
const (
	ConvPeer    = 0
	ConvRoom    = 1
	ConvGroup   = 2
	ConvChannel = 3
)

// Notification status.
const (
	NotifyOn  = 1
	NotifyDND = 2
)

// ValidID checks a user/room/group ID: 1..maxLen bytes of printable ASCII without
// spaces (ZIM's ID alphabet is a subset of it).
func ValidID(id string, maxLen int) bool {
	if id == "" || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

func validText(s string, maxLen int) bool { return len(s) <= maxLen && utf8.ValidString(s) }

// outgoing validates a message a client sends and builds the server's copy of it (every
// field but the sequence numbers). allowed lists the message types this conversation
// type accepts.
func (r *Runtime) outgoing(m *messages.Message, sender, convID string, ctype int32, allowed ...int32) (*messages.Message, error) {
	if m == nil {
		return nil, ErrParamInvalid
	}
	ok := false
	for _, t := range allowed {
		ok = ok || m.Type == t
	}
	if !ok {
		if !zimMessageType(m.Type) {
			return nil, ErrMessageTypeInvalid
		}
		return nil, ErrMessageTypeUnsupported
	}
	lim := r.cfg.Limits
	media := m.Type >= MsgImage && m.Type <= MsgVideo
	switch {
	case media:
		if r.cfg.Media == nil {
			return nil, ErrMessageTypeUnsupported
		}
		if len(m.Message) > lim.TextMessageBytes {
			return nil, ErrMessageTooLong
		}
	case m.Type == MsgCommand:
		raw, err := base64.StdEncoding.DecodeString(m.Message)
		if err != nil || len(raw) == 0 {
			return nil, ErrParamInvalid
		}
		if len(raw) > lim.CommandMessageBytes {
			return nil, ErrMessageTooLong
		}
	default:
		if m.Message == "" {
			return nil, ErrParamInvalid
		}
		if len(m.Message) > lim.TextMessageBytes {
			return nil, ErrMessageTooLong
		}
	}
	if len(m.ExtendedData) > lim.MessageExtendedData || len(m.SearchedContent) > lim.TextMessageBytes {
		return nil, ErrMessageTooLong
	}
	if len(m.LocalMessageID) > 64 || len(m.MentionedUserIDs) > 50 {
		return nil, ErrParamInvalid
	}
	out := &messages.Message{
		Type:             m.Type,
		MessageID:        strconv.FormatUint(r.NewMessageID(), 10),
		LocalMessageID:   m.LocalMessageID,
		SenderUserID:     sender,
		ConversationID:   convID,
		ConversationType: ctype,
		SentStatus:       1,
		Timestamp:        r.now().UnixMilli(),
		ExtendedData:     m.ExtendedData,
		Message:          m.Message,
		SubType:          m.SubType,
		SearchedContent:  m.SearchedContent,
		MentionedUserIDs: m.MentionedUserIDs,
		IsMentionAll:     m.IsMentionAll,
	}
	if media {
		if err := r.resolveMedia(sender, m, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}
