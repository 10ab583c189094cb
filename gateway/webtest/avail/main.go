// Command avail prints one line naming the SDK and browser tests that go test skipped
// on this machine and why, or nothing when node and Chromium are there. make test runs it
// because go test shows a passing package's output only with -v.
package main

import (
	"fmt"
	"strings"

	"github.com/parley-chat/parley/gateway/webtest"
)

func main() {
	var skipped []string
	if _, why := webtest.Node(); why != "" {
		skipped = append(skipped, "the SDK tests with node (bundle freshness, tsc type test against zego-zim-web, runtime tests): "+why)
	}
	if _, why := webtest.Chromium(); why != "" {
		skipped = append(skipped, "the web chat tests in headless Chromium: "+why)
	}
	if len(skipped) > 0 {
		fmt.Println("SKIPPED: " + strings.Join(skipped, "; "))
	}
}
