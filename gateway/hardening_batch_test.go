package gateway_test

import (
	"fmt"
	"strings"
	"testing"
)

// A list of more than 1,000 elements anywhere in params is refused (6000001) before the
// params are decoded; a list within that bound reaches the method, whose own ZIM limit
// answers (addUsersToBlacklist: 20 IDs a call, 6000021). The offender stays served.
func TestBatchCapBeforeDecoding(t *testing.T) {
	e := startEnv(t)
	alice := e.login("alice", true, 0)
	frame := func(id uint32, n int) []byte {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf(`"u%d"`, i)
		}
		return []byte(fmt.Sprintf(`{"id":%d,"method":"addUsersToBlacklist","params":{"userIDs":[%s]}}`, id, strings.Join(ids, ",")))
	}
	if err := alice.CallRaw(ctx(t), 11, frame(11, 1000)); codeOf(err) != 6000021 {
		t.Fatalf("1,000 IDs: want the method's own limit 6000021, got %v", err)
	}
	if err := alice.CallRaw(ctx(t), 12, frame(12, 1001)); codeOf(err) != 6000001 {
		t.Fatalf("1,001 IDs: want 6000001 before decoding, got %v", err)
	}
	if _, err := alice.QuerySelfUserInfo(ctx(t)); err != nil {
		t.Fatalf("the offender is not served after the refusal: %v", err)
	}
}
