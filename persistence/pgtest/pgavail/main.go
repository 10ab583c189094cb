// Command pgavail prints one line naming the Postgres tests that go test skipped on
// this machine and why, or nothing when PostgreSQL is available to them. make test
// runs it because go test shows a passing package's output only with -v.
package main

import (
	"fmt"

	"github.com/parley-chat/parley/persistence/pgtest"
)

func main() {
	if ok, reason := pgtest.Available(); !ok {
		fmt.Println("SKIPPED: tests that need PostgreSQL (the Postgres store; serve on PostgreSQL and the three-node cluster in cmd/parley): " + reason)
	}
}
