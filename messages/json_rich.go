package messages

import "google.golang.org/protobuf/reflect/protoreflect"

// The message features' lists on Message belong to one message type each (messageList
// to combine messages, targetUserList to tips), as in ZIM's message objects: the JSON
// encoding leaves them out of other messages when empty, so that a plain message's
// frame does not grow (their scalars are proto3 optional, which leaves them out when
// unset).
const (
	richMessageList    = 46 // Message field numbers (zim.proto)
	richTargetUserList = 48
	richMessageType    = 1
)

// omitJSONField reports whether the encoder leaves list field fd of m out.
func omitJSONField(m protoreflect.Message, fd protoreflect.FieldDescriptor) bool {
	n := fd.Number()
	if (n != richMessageList && n != richTargetUserList) || fd.ContainingMessage().FullName() != "parley.Message" {
		return false
	}
	if m.Has(fd) { // a non-empty list
		return false
	}
	t := m.Get(m.Descriptor().Fields().ByNumber(richMessageType)).Int()
	return !(n == richMessageList && t == 100) && !(n == richTargetUserList && t == 32)
}
