package gateway_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/parley-chat/parley/actors"
	m "github.com/parley-chat/parley/messages"
)

// The authorization matrix: every method that touches a conversation, group, room,
// community or channel is called by an outsider, a plain member, an admin and the
// owner of a fresh entity, and the outcome (allowed, or the refusal's code) must be the
// one in authzTable. The same table is rendered into docs/RELIABILITY.md (a test keeps
// the two equal; PARLEY_UPDATE_DOCS=1 rewrites the page's table). A method of the table
// that names such an entity in its params but has no row fails the test.
//
// Params are made from the params' field names (entityParams): groupID is the group,
// userIDs/userID/forUserID/toUserID the target (a plain member), or a user outside the
// entity for the invite methods; names, keys and attributes get plain values. The
// owner of a room is its creator; rooms have no admins, so "admin" is another member.

// entity kinds of the matrix.
const (
	entGroup       = "group"
	entGroupConv   = "group conversation"
	entCommunity   = "community"
	entChannel     = "channel"
	entChannelConv = "channel conversation"
	entRoom        = "room"
	entRoomConv    = "room conversation"
)

type authzRow struct {
	method string
	entity string
	// want is the outcome for the outsider, a member, an admin and the owner: 0 allowed,
	// else the ZIM code of the refusal.
	want [4]int32
}

var authzRoles = [4]string{"outsider", "member", "admin", "owner"}

// authzTable is the matrix. Codes: 6000001 invalid parameter (e.g. a member joining
// again), 6000603 conversation does not exist (for this user), 6000xxx as in PROTOCOL.md.
var authzTable = []authzRow{
	{"acceptGroupInviteApplication", entGroup, [4]int32{6000501, 6000501, 6000501, 6000501}},
	{"acceptGroupJoinApplication", entGroup, [4]int32{6000521, 6000541, 6000501, 6000501}},
	{"addMessageReaction", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"addMessageReaction", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"addMessageReaction", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"beginRoomAttributesBatchOperation", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"clearConversationUnreadMessageCount", entGroupConv, [4]int32{6000603, 0, 0, 0}},
	{"createCommunity", entCommunity, [4]int32{0, 0, 0, 0}},
	{"createCommunityChannel", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"createGroup", entGroup, [4]int32{0, 0, 0, 0}},
	{"createRoom", entRoom, [4]int32{0, 0, 0, 0}},
	{"deleteAllMessage", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"deleteAllMessage", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"deleteAllMessage", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"deleteCommunityAttributes", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"deleteCommunityChannelAttributes", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"deleteConversation", entGroupConv, [4]int32{6000603, 0, 0, 0}},
	{"deleteGroupAttributes", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"deleteMessageAllReactions", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"deleteMessageAllReactions", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"deleteMessageAllReactions", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"deleteMessageReaction", entChannelConv, [4]int32{6001005, 6000201, 6000201, 6000201}},
	{"deleteMessageReaction", entGroupConv, [4]int32{6000521, 6000201, 6000201, 6000201}},
	{"deleteMessageReaction", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"deleteMessages", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"deleteMessages", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"deleteMessages", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"deleteRoomAttributes", entRoom, [4]int32{6000321, 6000331, 6000331, 6000331}},
	{"dismissCommunity", entCommunity, [4]int32{6001005, 6001007, 6001007, 0}},
	{"dismissCommunityChannel", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"dismissGroup", entGroup, [4]int32{6000521, 6000541, 6000541, 0}},
	{"editMessage", entChannelConv, [4]int32{6001005, 0, 6000285, 6000285}},
	{"editMessage", entGroupConv, [4]int32{6000521, 0, 6000285, 6000285}},
	{"editMessage", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"endRoomAttributesBatchOperation", entRoom, [4]int32{6000321, 6000330, 6000330, 6000330}},
	{"enterRoom", entRoom, [4]int32{0, 6000320, 6000320, 6000320}},
	{"inviteUsersIntoCommunity", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"inviteUsersIntoCommunityChannel", entChannel, [4]int32{6001005, 6001007, 6000001, 6000001}},
	{"inviteUsersIntoGroup", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"joinCommunity", entCommunity, [4]int32{0, 6001012, 6001012, 6001012}},
	{"joinGroup", entGroup, [4]int32{0, 0, 0, 0}},
	{"joinRoom", entRoom, [4]int32{0, 6000320, 6000320, 6000320}},
	{"kickCommunityChannelMembers", entChannel, [4]int32{6001005, 6001007, 6000001, 6000001}},
	{"kickCommunityMembers", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"kickGroupMembers", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"leaveCommunity", entCommunity, [4]int32{6001005, 0, 0, 6001007}},
	{"leaveGroup", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"leaveRoom", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"muteCommunityChannels", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"muteCommunityMembers", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"muteGroup", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"muteGroupMembers", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"pinMessage", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"pinMessage", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"pinMessage", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryCombineMessageDetail", entChannelConv, [4]int32{6001005, 6000001, 6000001, 6000001}},
	{"queryCombineMessageDetail", entGroupConv, [4]int32{6000521, 6000001, 6000001, 6000001}},
	{"queryCombineMessageDetail", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryCommunityChannelInfo", entChannel, [4]int32{6001005, 0, 0, 0}},
	{"queryCommunityChannelList", entChannel, [4]int32{6001005, 0, 0, 0}},
	{"queryCommunityChannelMemberList", entChannel, [4]int32{6001005, 0, 0, 0}},
	{"queryCommunityInfo", entCommunity, [4]int32{0, 0, 0, 0}},
	{"queryCommunityMemberInfo", entCommunity, [4]int32{6001005, 0, 0, 0}},
	{"queryCommunityMemberList", entCommunity, [4]int32{6001005, 0, 0, 0}},
	{"queryConversation", entGroupConv, [4]int32{6000603, 0, 0, 0}},
	{"queryGroupAllAttributes", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"queryGroupAttributes", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"queryGroupInfo", entGroup, [4]int32{0, 0, 0, 0}},
	{"queryGroupMemberCount", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"queryGroupMemberInfo", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"queryGroupMemberList", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"queryGroupMemberMutedList", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"queryGroupMessageReceiptReadMemberList", entGroup, [4]int32{6000521, 6000201, 6000201, 6000201}},
	{"queryGroupMessageReceiptUnreadMemberList", entGroup, [4]int32{6000521, 6000201, 6000201, 6000201}},
	{"queryHistoryMessage", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"queryHistoryMessage", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"queryHistoryMessage", entRoomConv, [4]int32{6000321, 0, 0, 0}},
	{"queryMessageReactionUserList", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"queryMessageReactionUserList", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"queryMessageReactionUserList", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryMessageReceiptsInfo", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"queryMessageReceiptsInfo", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"queryMessageReceiptsInfo", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryMessageRepliedList", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"queryMessageRepliedList", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"queryMessageRepliedList", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryMessages", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"queryMessages", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"queryMessages", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryPinnedMessageList", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"queryPinnedMessageList", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"queryPinnedMessageList", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"queryRoomAllAttributes", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"queryRoomMemberAttributesList", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"queryRoomMemberList", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"queryRoomMembers", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"queryRoomMembersAttributes", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"queryRoomOnlineMemberCount", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"rejectGroupInviteApplication", entGroup, [4]int32{6000501, 6000501, 6000501, 6000501}},
	{"rejectGroupJoinApplication", entGroup, [4]int32{6000521, 6000541, 6000501, 6000501}},
	{"replyMessage", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"replyMessage", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"replyMessage", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"revokeMessage", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"revokeMessage", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"revokeMessage", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"sendConversationMessageReceiptRead", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"sendConversationMessageReceiptRead", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"sendConversationMessageReceiptRead", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"sendGroupInviteApplications", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"sendGroupJoinApplication", entGroup, [4]int32{0, 6000522, 6000522, 6000522}},
	{"sendMessage", entChannelConv, [4]int32{6001005, 0, 0, 0}},
	{"sendMessage", entGroupConv, [4]int32{6000521, 0, 0, 0}},
	{"sendMessage", entRoomConv, [4]int32{6000321, 0, 0, 0}},
	{"sendMessageReceiptsRead", entChannelConv, [4]int32{6001005, 6000277, 6000277, 6000277}},
	{"sendMessageReceiptsRead", entGroupConv, [4]int32{6000521, 6000277, 6000277, 6000277}},
	{"sendMessageReceiptsRead", entRoomConv, [4]int32{6000013, 6000013, 6000013, 6000013}},
	{"setCommunityAttributes", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"setCommunityChannelAttributes", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"setCommunityMemberRole", entCommunity, [4]int32{6001005, 6001007, 6001007, 0}},
	{"setCommunityNotificationStatus", entCommunity, [4]int32{6001005, 0, 0, 0}},
	{"setConversationDraft", entGroupConv, [4]int32{6000603, 0, 0, 0}},
	{"setConversationNotificationStatus", entGroupConv, [4]int32{6000603, 0, 0, 0}},
	{"setGroupAttributes", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"setGroupMemberNickname", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"setGroupMemberRole", entGroup, [4]int32{6000521, 6000541, 6000541, 0}},
	{"setRoomAttributes", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"setRoomMembersAttributes", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"switchRoom", entRoom, [4]int32{6000321, 0, 0, 0}},
	{"transferCommunityOwner", entCommunity, [4]int32{6001005, 6001007, 6001007, 0}},
	{"transferGroupOwner", entGroup, [4]int32{6000521, 6000541, 6000541, 0}},
	{"updateCommunityAvatarUrl", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"updateCommunityChannelAvatarUrl", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"updateCommunityChannelName", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"updateCommunityChannelNotice", entChannel, [4]int32{6001005, 6001007, 0, 0}},
	{"updateCommunityName", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"updateCommunityNotice", entCommunity, [4]int32{6001005, 6001007, 0, 0}},
	{"updateConversationPinnedState", entGroupConv, [4]int32{6000603, 0, 0, 0}},
	{"updateGroupAlias", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"updateGroupAvatarUrl", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"updateGroupBeInviteMode", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"updateGroupInviteMode", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"updateGroupJoinMode", entGroup, [4]int32{6000521, 6000541, 0, 0}},
	{"updateGroupName", entGroup, [4]int32{6000521, 0, 0, 0}},
	{"updateGroupNotice", entGroup, [4]int32{6000521, 0, 0, 0}},
}

// fixture is one fresh entity with its people.
type fixture struct {
	n                       int
	group, community, chan_ string
	room                    string
	msg                     *m.Message // a message a plain member sent into the entity's conversation
	fresh                   string     // an ID nothing has
}

// authz users: owner, admin, member, target (a second member), outsider, newcomer.
const (
	uOwner, uAdmin, uMember, uTarget, uOutsider, uNew = "az-owner", "az-admin", "az-member", "az-target", "az-outsider", "az-new"
)

func TestAuthorizationMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("hundreds of entities")
	}
	e := startEnv(t, withMemoryStore(), withActors(func(c *actors.Config) {
		c.Limits = actors.DefaultLimits()
		c.Limits.Community.PerUser = 1 << 20 // the owner makes hundreds
	}))
	sess := map[string]*session{}
	for _, u := range []string{uOwner, uAdmin, uMember, uTarget, uOutsider, uNew} {
		sess[u] = e.login(u, false, 0)
	}
	rows := map[string]bool{}
	for _, r := range authzTable {
		rows[r.method] = true
	}
	var missing []string
	for _, spec := range m.Methods() {
		if !rows[spec.Name] && touchesEntity(spec) {
			missing = append(missing, spec.Name)
		}
	}
	if len(missing) > 0 && os.Getenv("PARLEY_AUTHZ_PRINT") == "" {
		t.Errorf("methods touching a conversation, group, room, community or channel without a row in authzTable (gateway/hardening_authz_test.go): add a row for %s", strings.Join(missing, ", "))
	}
	n := 0
	run := func(method, entity string) [4]int32 {
		var got [4]int32
		spec := m.LookupMethod(method)
		for i, role := range []string{uOutsider, uMember, uAdmin, uOwner} {
			n++
			f := makeFixture(t, sess, entity, n)
			p := spec.NewParams()
			entityParams(p.ProtoReflect(), method, entity, f)
			err := sess[role].Call(ctx(t), method, p, spec.NewResult())
			got[i] = codeOf(err)
			if err != nil && got[i] == 0 {
				t.Fatalf("%s as %s: %v", method, authzRoles[i], err)
			}
			if strings.HasPrefix(entity, "room") {
				for _, s := range sess {
					_, _ = s.LeaveAllRoom(ctx(t))
				}
			}
		}
		return got
	}
	if os.Getenv("PARLEY_AUTHZ_PRINT") != "" { // rows for the missing methods, as they behave now
		for _, name := range missing {
			ents := []string{guessEntity(m.LookupMethod(name))}
			if m.LookupMethod(name).Owner == m.OwnerConversation {
				ents = append(ents, entChannelConv, entRoomConv)
			}
			for _, ent := range ents {
				got := run(name, ent)
				fmt.Printf("\t{%q, %s, [4]int32{%d, %d, %d, %d}},\n", name, entConst(ent), got[0], got[1], got[2], got[3])
			}
		}
		return
	}
	for _, r := range authzTable {
		if m.LookupMethod(r.method) == nil {
			t.Errorf("authzTable has a row for %s, which is not a method", r.method)
			continue
		}
		if got := run(r.method, r.entity); got != r.want {
			t.Errorf("%s on a %s: outsider/member/admin/owner got %v, the table says %v", r.method, r.entity, got, r.want)
		}
	}
	checkAuthzDoc(t)
}

// touchesEntity reports whether a method's params name a group, community, channel,
// room or conversation (at the top level or one message down).
func touchesEntity(spec *m.MethodSpec) bool {
	var walk func(d protoreflect.MessageDescriptor, depth int) bool
	walk = func(d protoreflect.MessageDescriptor, depth int) bool {
		for i := 0; i < d.Fields().Len(); i++ {
			f := d.Fields().Get(i)
			switch f.JSONName() {
			case "groupID", "communityID", "channelID", "roomID", "fromRoomID", "conversationID", "toConversationID":
				return true
			}
			if f.Kind() == protoreflect.MessageKind && !f.IsList() && !f.IsMap() && depth == 0 && walk(f.Message(), 1) {
				return true
			}
		}
		return false
	}
	return walk(spec.NewParams().ProtoReflect().Descriptor(), 0)
}

// guessEntity is the entity a method's row most likely names (for PARLEY_AUTHZ_PRINT).
func guessEntity(spec *m.MethodSpec) string {
	d := spec.NewParams().ProtoReflect().Descriptor()
	has := func(name string) bool { return d.Fields().ByJSONName(name) != nil }
	switch {
	case has("conversationID") || has("toConversationID") || spec.Owner == m.OwnerConversation:
		return entGroupConv
	case has("channelID") || strings.Contains(spec.Name, "Channel"):
		return entChannel
	case has("communityID") || strings.Contains(spec.Name, "Community"):
		return entCommunity
	case spec.Owner == m.OwnerRoom || strings.Contains(spec.Name, "Room"):
		return entRoom
	}
	return entGroup
}

func entConst(ent string) string {
	return map[string]string{entGroup: "entGroup", entGroupConv: "entGroupConv", entCommunity: "entCommunity", entChannel: "entChannel",
		entChannelConv: "entChannelConv", entRoom: "entRoom", entRoomConv: "entRoomConv"}[ent]
}

// makeFixture makes a fresh entity of the kind with the owner, an admin, a member and
// the target in it.
func makeFixture(t *testing.T, sess map[string]*session, entity string, n int) *fixture {
	t.Helper()
	f := &fixture{n: n, fresh: fmt.Sprintf("az-fresh-%d", n)}
	owner := sess[uOwner]
	call := func(s *session, method string, p proto.Message) proto.Message {
		t.Helper()
		res := m.LookupMethod(method).NewResult()
		if err := s.Call(ctx(t), method, p, res); err != nil {
			t.Fatalf("fixture %s: %s: %v", entity, method, err)
		}
		return res
	}
	switch entity {
	case entGroup, entGroupConv:
		f.group = fmt.Sprintf("az-g%d", n)
		if _, err := owner.CreateGroup(ctx(t), &m.GroupInfo{GroupID: f.group, GroupName: "g"}, []string{uAdmin, uMember, uTarget}, nil); err != nil {
			t.Fatal(err)
		}
		call(owner, "setGroupMemberRole", &m.GroupSetMemberRoleParams{Role: actors.RoleAdmin, ForUserID: uAdmin, GroupID: f.group})
		f.msg = sendInto(t, sess[uMember], f.group, actors.ConvGroup)
	case entCommunity, entChannel, entChannelConv:
		f.community, f.chan_ = fmt.Sprintf("az-c%d", n), "az-ch"
		if _, err := owner.CreateCommunity(ctx(t), &m.CommunityInfo{CommunityID: f.community, CommunityName: "c"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.InviteUsersIntoCommunity(ctx(t), []string{uAdmin, uMember, uTarget}, f.community); err != nil {
			t.Fatal(err)
		}
		if err := owner.SetCommunityMemberRole(ctx(t), actors.RoleAdmin, uAdmin, f.community); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.CreateCommunityChannel(ctx(t), &m.CommunityChannelInfo{ChannelID: f.chan_, ChannelName: "ch"}, nil, f.community); err != nil {
			t.Fatal(err)
		}
		f.msg = sendInto(t, sess[uMember], f.community+"/"+f.chan_, actors.ConvChannel)
	case entRoom, entRoomConv:
		f.room = fmt.Sprintf("az-r%d", n)
		if _, err := owner.CreateRoom(ctx(t), &m.RoomInfo{RoomID: f.room, RoomName: "r"}, nil); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{uAdmin, uMember, uTarget} {
			if _, err := sess[u].EnterRoom(ctx(t), &m.RoomInfo{RoomID: f.room}, nil); err != nil {
				t.Fatal(err)
			}
		}
		f.msg = sendInto(t, sess[uMember], f.room, actors.ConvRoom)
	default:
		t.Fatalf("unknown entity %q", entity)
	}
	return f
}

func sendInto(t *testing.T, s *session, conv string, ctype int32) *m.Message {
	t.Helper()
	msg, err := s.SendText(ctx(t), "hello", conv, ctype)
	if err != nil {
		t.Fatalf("send into %s: %v", conv, err)
	}
	return msg
}

// entityParams fills p from its field names for the fixture.
func entityParams(p protoreflect.Message, method, entity string, f *fixture) {
	convID, convType := f.group, int32(actors.ConvGroup)
	switch entity {
	case entChannelConv:
		convID, convType = f.community+"/"+f.chan_, actors.ConvChannel
	case entRoomConv:
		convID, convType = f.room, actors.ConvRoom
	}
	creates := strings.HasPrefix(method, "create")
	target := uTarget
	if strings.Contains(strings.ToLower(method), "invite") || strings.Contains(method, "JoinApplication") {
		target = uNew
	}
	var fillMsg func(p protoreflect.Message, depth int)
	fillMsg = func(p protoreflect.Message, depth int) {
		fields := p.Descriptor().Fields()
		for i := 0; i < fields.Len(); i++ {
			fd := fields.Get(i)
			name := fd.JSONName()
			switch {
			case fd.IsMap():
				mp := p.Mutable(fd).Map()
				mp.Set(protoreflect.ValueOfString("k").MapKey(), protoreflect.ValueOfString("v"))
			case fd.IsList():
				l := p.Mutable(fd).List()
				switch {
				case name == "userIDs":
					l.Append(protoreflect.ValueOfString(target))
				case name == "messageList" && f.msg != nil:
					l.Append(protoreflect.ValueOfMessage(proto.Clone(f.msg).ProtoReflect()))
				case name == "messageSeqs" && f.msg != nil:
					l.Append(protoreflect.ValueOfInt64(f.msg.MessageSeq))
				case name == "channelIDs":
					l.Append(protoreflect.ValueOfString(f.chan_))
				case fd.Kind() == protoreflect.StringKind:
					l.Append(protoreflect.ValueOfString("k"))
				}
			case strings.HasPrefix(name, "next"): // paging cursors: the first page
			case fd.Kind() == protoreflect.MessageKind:
				switch {
				case name == "message" && (method == m.MethodSendMessage.Name || method == "replyMessage") || f.msg == nil && name == "message":
					p.Set(fd, protoreflect.ValueOfMessage((&m.Message{Type: actors.MsgText, Message: "hi"}).ProtoReflect()))
				case name == "message" || name == "toOriginalMessage": // the method addresses the fixture's message
					msg := proto.Clone(f.msg).(*m.Message)
					if method == "editMessage" {
						msg.Message = "edited"
					}
					p.Set(fd, protoreflect.ValueOfMessage(msg.ProtoReflect()))
				case depth < 2:
					fillMsg(p.Mutable(fd).Message(), depth+1)
				}
			case fd.Kind() == protoreflect.StringKind:
				v := "v"
				switch name {
				case "groupID":
					v = f.group
					if creates {
						v = f.fresh
					}
				case "communityID":
					v = f.community
					if creates && method == "createCommunity" {
						v = f.fresh
					}
				case "channelID":
					v = f.chan_
					if creates {
						v = "az-newch"
					}
				case "roomID", "fromRoomID":
					v = f.room
					if method == "createRoom" || (name == "roomID" && method == "switchRoom") {
						v = f.fresh
					}
				case "conversationID", "toConversationID":
					v = convID
				case "userID", "forUserID", "toUserID", "inviterUserID":
					v = target
				}
				p.Set(fd, protoreflect.ValueOfString(v))
			case fd.Kind() == protoreflect.BoolKind:
				p.Set(fd, protoreflect.ValueOfBool(true))
			case fd.Kind() == protoreflect.Int32Kind || fd.Kind() == protoreflect.Int64Kind:
				var v int64
				switch name {
				case "conversationType":
					v = int64(convType)
				case "count":
					v = 10
				case "role":
					v = actors.RoleAdmin
				case "duration":
					v = 60
				case "mode":
					v = 1
				case "status":
					v = 2
				case "type":
					v = int64(actors.MsgText)
				case "channelType":
					v = 2
				}
				if fd.Kind() == protoreflect.Int32Kind {
					p.Set(fd, protoreflect.ValueOfInt32(int32(v)))
				} else {
					p.Set(fd, protoreflect.ValueOfInt64(v))
				}
			}
		}
	}
	fillMsg(p, 0)
}

// renderAuthz is the matrix as a Markdown table.
func renderAuthz() string {
	rows := append([]authzRow(nil), authzTable...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].entity != rows[j].entity {
			return rows[i].entity < rows[j].entity
		}
		return rows[i].method < rows[j].method
	})
	var b strings.Builder
	b.WriteString("| method | on a | outsider | member | admin | owner |\n|---|---|---|---|---|---|\n")
	cell := func(c int32) string {
		if c == 0 {
			return "yes"
		}
		return fmt.Sprintf("no (%d)", c)
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.method, r.entity, cell(r.want[0]), cell(r.want[1]), cell(r.want[2]), cell(r.want[3]))
	}
	return b.String()
}

const (
	authzBegin = "<!-- authorization matrix: generated from gateway/hardening_authz_test.go -->\n"
	authzEnd   = "<!-- end of the authorization matrix -->"
)

// checkAuthzDoc keeps the table in docs/RELIABILITY.md equal to authzTable.
func checkAuthzDoc(t *testing.T) {
	t.Helper()
	const path = "../docs/RELIABILITY.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, authzBegin), strings.Index(doc, authzEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the authorization matrix markers", path)
	}
	want := authzBegin + renderAuthz()
	if doc[i:j] == want {
		return
	}
	if os.Getenv("PARLEY_UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, []byte(doc[:i]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the authorization matrix in %s differs from authzTable: run with PARLEY_UPDATE_DOCS=1", path)
}
