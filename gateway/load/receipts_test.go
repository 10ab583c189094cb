package load

import "testing"

// TestInprocWithReceiptsAccountsExactly: the peer and group scenarios with every message
// sent with a receipt (parley bench --receipts) deliver everything exactly once.
func TestInprocWithReceiptsAccountsExactly(t *testing.T) {
	res := runInprocOK(t, Config{Scenario: "peer", Conns: 20, Count: 1000, Warmup: true, Receipts: true})
	if !res.OK() || res.Delivered != 1000 || res.Acked != 1000 {
		t.Fatalf("inproc peer with receipts: %+v", res)
	}
	res = runInprocOK(t, Config{Scenario: "group", Conns: 150, Senders: 3, Count: 60, Warmup: true, Receipts: true})
	if !res.OK() || res.Delivered != 60*149 || res.Acked != 60 {
		t.Fatalf("inproc group with receipts: %+v", res)
	}
}
