package actors

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-chat/parley/messages"
	"github.com/parley-chat/parley/persistence"
)

// A dismissal cut short by a crash leaves users' sides of the membership behind; they
// must not count towards the user's community limit.
func TestCommunityLeftoversOfDismissedCommunitiesDoNotCount(t *testing.T) {
	r := startCommunityRig(t, false)
	limit := r.rt.Limits().Community.PerUser
	b := &persistence.Batch{}
	for i := 0; i < limit; i++ {
		id := fmt.Sprintf("ghost%d", i)
		putProto(b, keyCommunity(id), &messages.CommunityRecord{CommunityID: id, Dismissed: true})
		putProto(b, keyCommunityUser("x", id), &messages.CommunityUserRecord{CommunityID: id})
	}
	if err := r.st.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	r.must(KindCommunity, "real", "x", "createCommunity", &messages.CommunityCreateParams{CommunityInfo: &messages.CommunityInfo{CommunityID: "real"}}, nil)
	var list messages.CommunityListQueriedResult
	r.must(KindUser, "x", "x", "queryCommunityList", &messages.CommunityListQueryParams{Count: 100}, &list)
	if len(list.CommunityList) != 1 || list.CommunityList[0].BaseInfo.CommunityID != "real" {
		t.Fatalf("community list %v", list.CommunityList)
	}
}
