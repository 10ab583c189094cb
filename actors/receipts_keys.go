package actors

import (
	"time"

	"github.com/parley-chat/parley/persistence"
)

// Keys of receipts, reactions and mentions (issue 13 part B):
//
//	rp ctype convID userID              ReceiptPosition (receipts read up to a seq)
//	rm ctype convID seq userID          time (ms) a user read one message's receipt
//	rs ctype convID seq                 StoredReactions (one message's summary)
//	ry ctype convID seq type userID     ReactionUserRecord (one user's reaction)
//	mu userID ctype convID seq          MessageMentionedInfo (a message mentioning the user)
//	ma ctype convID seq                 MessageMentionedInfo (a message mentioning everyone)
func keyReceiptPos(ct int32, conv, user string) []byte {
	return persistence.NewKey("rp").Str(ctypeStr(ct)).Str(conv).Str(user).Bytes()
}
func keyReceiptPosPrefix(ct int32, conv string) []byte {
	return persistence.NewKey("rp").Str(ctypeStr(ct)).Str(conv).Bytes()
}
func keyReceiptMark(ct int32, conv string, seq int64, user string) []byte {
	return persistence.NewKey("rm").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Str(user).Bytes()
}
func keyReceiptMarkPrefix(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("rm").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyReactions(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("rs").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyReactionUser(ct int32, conv string, seq int64, typ, user string) []byte {
	return persistence.NewKey("ry").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Str(typ).Str(user).Bytes()
}
func keyReactionUserPrefix(ct int32, conv string, seq int64, typ string) []byte {
	return persistence.NewKey("ry").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Str(typ).Bytes()
}
func keyMentionUser(user string, ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("mu").Str(user).Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyMentionUserPrefix(user string, ct int32, conv string) []byte {
	return persistence.NewKey("mu").Str(user).Str(ctypeStr(ct)).Str(conv).Bytes()
}
func keyMentionAll(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("ma").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyMentionAllPrefix(ct int32, conv string) []byte {
	return persistence.NewKey("ma").Str(ctypeStr(ct)).Str(conv).Bytes()
}

// RichLimits are the limits of receipts and reactions.
type RichLimits struct {
	ReceiptsPerCall         int           // messages per sendMessageReceiptsRead; 10 (ZIM: 6000282)
	ReceiptQueryMax         int           // messages per queryMessageReceiptsInfo; 100 (not published by ZIM)
	ReceiptTTL              time.Duration // a receipt not completed by then is expired; 7 days (not published by ZIM)
	ReactionTypeBytes       int           // reactionType; 32 bytes (ZIM)
	ReactionTypesPerMessage int           // distinct reaction types on one message; 20 (not published by ZIM)
	ReactionUsersInView     int           // users listed in a MessageReaction's userList; 5 (not published by ZIM)
	ReactionIncreaseMax     int           // increaseCount per call; 100 (not published by ZIM)
}

func defaultRichLimits() RichLimits {
	return RichLimits{
		ReceiptsPerCall:         10,
		ReceiptQueryMax:         100,
		ReceiptTTL:              7 * 24 * time.Hour,
		ReactionTypeBytes:       32,
		ReactionTypesPerMessage: 20,
		ReactionUsersInView:     5,
		ReactionIncreaseMax:     100,
	}
}

func (l *RichLimits) fill() {
	d := defaultRichLimits()
	for _, p := range []struct{ v, d *int }{
		{&l.ReceiptsPerCall, &d.ReceiptsPerCall}, {&l.ReceiptQueryMax, &d.ReceiptQueryMax},
		{&l.ReactionTypeBytes, &d.ReactionTypeBytes}, {&l.ReactionTypesPerMessage, &d.ReactionTypesPerMessage},
		{&l.ReactionUsersInView, &d.ReactionUsersInView}, {&l.ReactionIncreaseMax, &d.ReactionIncreaseMax},
	} {
		if *p.v <= 0 {
			*p.v = *p.d
		}
	}
	if l.ReceiptTTL <= 0 {
		l.ReceiptTTL = d.ReceiptTTL
	}
}
