package actors

import (
	"bytes"
	"strconv"

	"github.com/parley-chat/parley/persistence"
)

// Store keyspace. Keys sort the way they are read: entity prefix, then IDs, then
// big-endian sequence numbers.
//
//	u  userID                          StoredUser
//	m  ctype convID seq                Message (the conversation log)
//	h  ctype convID                    LogHead (last seq + last message; appends CAS it)
//	l  ctype convID sender localMsgID  seq (idempotency of sends)
//	o  ctype convID userID             seq of the user's last own message (read position)
//	d  ctype convID userID seq         "deleted for this user" marker
//	x  ctype convID userID             deleteAllMessage watermark of the user
//	ci userID ctype convID             StoredConvIndex (written by the conversation owner)
//	cs userID ctype convID             StoredConvState (written by the user actor)
//	g  groupID                         GroupRecord (profile, settings, mute; kept when dismissed)
//	gm groupID userID                  GroupMemberRecord
//	gu userID groupID                  GroupUserRecord (the user's memberships: role, alias)
//	ga groupID type userID [inviter]   GroupApplicationRecord
//	gx userID groupID type [inviter]   key of a GroupApplicationRecord concerning userID
//	cm communityID                     CommunityRecord (kept when dismissed)
//	cmm communityID userID             GroupMemberRecord (a community member)
//	cu userID communityID              CommunityUserRecord (the user's communities)
//	cx userID communityID              CommunityUserState (written by the user actor)
//	cc communityID channelID           CommunityChannelRecord (written by the community)
//	cp communityID channelID userID    private channel member (empty value)
//	fm fo fi fao fai fbo fbi ur        friends, applications, blacklist, user rules (friends.go)
func ctypeStr(t int32) string { return strconv.Itoa(int(t)) }

func keyUser(userID string) []byte { return persistence.NewKey("u").Str(userID).Bytes() }

func keyMsg(ct int32, conv string, seq int64) []byte {
	return persistence.NewKey("m").Str(ctypeStr(ct)).Str(conv).U64(uint64(seq)).Bytes()
}
func keyHead(ct int32, conv string) []byte {
	return persistence.NewKey("h").Str(ctypeStr(ct)).Str(conv).Bytes()
}
func keyLocalID(ct int32, conv, sender, local string) []byte {
	return persistence.NewKey("l").Str(ctypeStr(ct)).Str(conv).Str(sender).Str(local).Bytes()
}
func keyOwnSeq(ct int32, conv, user string) []byte {
	return persistence.NewKey("o").Str(ctypeStr(ct)).Str(conv).Str(user).Bytes()
}
func keyDeleted(ct int32, conv, user string, seq int64) []byte {
	return persistence.NewKey("d").Str(ctypeStr(ct)).Str(conv).Str(user).U64(uint64(seq)).Bytes()
}
func keyDeletedPrefix(ct int32, conv, user string) []byte {
	return persistence.NewKey("d").Str(ctypeStr(ct)).Str(conv).Str(user).Bytes()
}
func keyCleared(ct int32, conv, user string) []byte {
	return persistence.NewKey("x").Str(ctypeStr(ct)).Str(conv).Str(user).Bytes()
}
func keyConvIndex(user string, ct int32, conv string) []byte {
	return persistence.NewKey("ci").Str(user).Str(ctypeStr(ct)).Str(conv).Bytes()
}
func keyConvIndexPrefix(user string) []byte { return persistence.NewKey("ci").Str(user).Bytes() }

// keyChannelConvIndexPrefix is the prefix of user's index entries of the channel
// conversations of community communityID (conversation IDs "communityID/channelID"):
// it ends inside the conversation ID, so lastKeyPart of an entry's key is channelID.
func keyChannelConvIndexPrefix(user, communityID string) []byte {
	k := keyConvIndex(user, ConvChannel, communityID+"/")
	return k[:len(k)-1]
}
func keyConvState(user string, ct int32, conv string) []byte {
	return persistence.NewKey("cs").Str(user).Str(ctypeStr(ct)).Str(conv).Bytes()
}
func keyConvStatePrefix(user string) []byte { return persistence.NewKey("cs").Str(user).Bytes() }

// keyStrs reads back the Str components that follow prefix in key, or false when
// the rest of key is not a sequence of 0x00-terminated strings. It is the one parser
// of keys: actors never split keys by hand.
func keyStrs(prefix, key []byte) ([]string, bool) {
	if len(key) < len(prefix) || !bytes.Equal(key[:len(prefix)], prefix) {
		return nil, false
	}
	rest := key[len(prefix):]
	var parts []string
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, false
		}
		parts = append(parts, string(rest[:i]))
		rest = rest[i+1:]
	}
	return parts, true
}

// splitConvKey reads (ctype, convID) back from a ci/cs key of user.
func splitConvKey(prefix, key []byte) (int32, string, bool) {
	parts, ok := keyStrs(prefix, key)
	if !ok || len(parts) != 2 {
		return 0, "", false
	}
	ct, err := strconv.Atoi(parts[0])
	if err != nil {
		return 0, "", false
	}
	return int32(ct), parts[1], true
}

func keyGroup(groupID string) []byte { return persistence.NewKey("g").Str(groupID).Bytes() }
func keyGroupMember(groupID, userID string) []byte {
	return persistence.NewKey("gm").Str(groupID).Str(userID).Bytes()
}
func keyGroupMemberPrefix(groupID string) []byte {
	return persistence.NewKey("gm").Str(groupID).Bytes()
}
func keyGroupUser(userID, groupID string) []byte {
	return persistence.NewKey("gu").Str(userID).Str(groupID).Bytes()
}
func keyGroupUserPrefix(userID string) []byte { return persistence.NewKey("gu").Str(userID).Bytes() }

// keyGroupApp is an application: type 1 (join) keyed by the applicant, type 2 (invite)
// by the invitee and the inviter.
func keyGroupApp(groupID string, typ int32, userID, inviter string) []byte {
	k := persistence.NewKey("ga").Str(groupID).Str(ctypeStr(typ)).Str(userID)
	if typ == GroupAppInvite {
		k = k.Str(inviter)
	}
	return k.Bytes()
}
func keyGroupAppPrefix(groupID string, typ int32) []byte {
	return persistence.NewKey("ga").Str(groupID).Str(ctypeStr(typ)).Bytes()
}

// keyGroupAppRef indexes an application under a user it concerns (applicant, invitee
// or inviter); the value is the application's key.
func keyGroupAppRef(userID, groupID string, typ int32, other string) []byte {
	return persistence.NewKey("gx").Str(userID).Str(groupID).Str(ctypeStr(typ)).Str(other).Bytes()
}
func keyGroupAppRefPrefix(userID string) []byte { return persistence.NewKey("gx").Str(userID).Bytes() }

// groupAppRef is what a gx key says: the application in groupID of type typ (join,
// invite: sent by the user, be-invite: received by the user) with the other user it
// concerns (the invitee or the inviter; "" for a join application).
type groupAppRef struct {
	groupID string
	typ     int32
	other   string
}

// parseGroupAppRef reads a keyGroupAppRef key of userID back.
func parseGroupAppRef(userID string, key []byte) (groupAppRef, bool) {
	parts, ok := keyStrs(keyGroupAppRefPrefix(userID), key)
	if !ok || len(parts) != 3 {
		return groupAppRef{}, false
	}
	typ, err := strconv.Atoi(parts[1])
	if err != nil {
		return groupAppRef{}, false
	}
	return groupAppRef{groupID: parts[0], typ: int32(typ), other: parts[2]}, true
}

func keyCommunity(id string) []byte { return persistence.NewKey("cm").Str(id).Bytes() }
func keyCommunityMember(id, userID string) []byte {
	return persistence.NewKey("cmm").Str(id).Str(userID).Bytes()
}
func keyCommunityMemberPrefix(id string) []byte { return persistence.NewKey("cmm").Str(id).Bytes() }
func keyCommunityUser(userID, id string) []byte {
	return persistence.NewKey("cu").Str(userID).Str(id).Bytes()
}
func keyCommunityUserPrefix(userID string) []byte {
	return persistence.NewKey("cu").Str(userID).Bytes()
}
func keyCommunityUserState(userID, id string) []byte {
	return persistence.NewKey("cx").Str(userID).Str(id).Bytes()
}
func keyChannel(id, channelID string) []byte {
	return persistence.NewKey("cc").Str(id).Str(channelID).Bytes()
}
func keyChannelPrefix(id string) []byte { return persistence.NewKey("cc").Str(id).Bytes() }
func keyChannelMember(id, channelID, userID string) []byte {
	return persistence.NewKey("cp").Str(id).Str(channelID).Str(userID).Bytes()
}
func keyChannelMemberPrefix(id, channelID string) []byte {
	return persistence.NewKey("cp").Str(id).Str(channelID).Bytes()
}
