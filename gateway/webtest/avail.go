// Package webtest tests the SDK (gateway/sdk) with node and the web chat (gateway/web)
// in headless Chromium. Without node or Chromium the tests skip, saying why (make test
// prints one line: go run ./gateway/webtest/avail); with CI=true they fail instead.
package webtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// SDKDir is the SDK's directory (gateway/sdk).
func SDKDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "sdk")
}

// Node finds node and the SDK's installed devDependencies (npm ci in gateway/sdk).
func Node() (path, reason string) {
	p, err := exec.LookPath("node")
	if err != nil {
		return "", "node not found"
	}
	if _, err := os.Stat(filepath.Join(SDKDir(), "node_modules", "esbuild")); err != nil {
		return "", "the SDK's npm packages are not installed (cd gateway/sdk && npm ci)"
	}
	return p, ""
}

// Chromium finds a Chromium or Chrome binary ($CHROMIUM first).
func Chromium() (path, reason string) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, ""
		}
	}
	return "", "no chromium found (apt-get install chromium)"
}
