package webtest

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// needNode skips (or fails under CI=true) when node and the SDK's npm packages are missing.
func needNode(t *testing.T) string {
	t.Helper()
	p, why := Node()
	if why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s", why)
		}
		t.Skip(why)
	}
	return p
}

func run(t *testing.T, timeout time.Duration, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return out
}

// TestSDKBundleFresh rebuilds the SDK into a temp dir and compares it with the committed
// build (gateway/sdk/dist and gateway/web/static/parley-zim.js): run `make sdk` after
// changing gateway/sdk/src.
func TestSDKBundleFresh(t *testing.T) {
	node := needNode(t)
	tmp := t.TempDir()
	out, web := filepath.Join(tmp, "dist"), filepath.Join(tmp, "parley-zim.js")
	run(t, 2*time.Minute, SDKDir(), []string{"PARLEY_SDK_OUT=" + out, "PARLEY_SDK_WEB=" + web}, node, "build.mjs")
	committed := filepath.Join(SDKDir(), "dist")
	n := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		fresh, _ := os.ReadFile(p)
		old, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil || !bytes.Equal(fresh, old) {
			t.Errorf("gateway/sdk/dist/%s is stale or missing: run make sdk and commit", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Fatalf("the build made only %d files", n)
	}
	fresh, _ := os.ReadFile(web)
	old, _ := os.ReadFile(filepath.Join(SDKDir(), "..", "web", "static", "parley-zim.js"))
	if !bytes.Equal(fresh, old) {
		t.Error("gateway/web/static/parley-zim.js is stale: run make sdk and commit")
	}
}

// TestSDKTypeCompat compiles test/compat.ts: parley's SDK assigned to the ZIM type of the
// real zego-zim-web@2.29.0 declarations (and the SDK's own sources, strict).
func TestSDKTypeCompat(t *testing.T) {
	node := needNode(t)
	tsc := filepath.Join("node_modules", "typescript", "bin", "tsc")
	run(t, 3*time.Minute, SDKDir(), nil, node, tsc, "-p", "tsconfig.json", "--noEmit")
	run(t, 3*time.Minute, SDKDir(), nil, node, tsc, "-p", filepath.Join("test", "tsconfig.compat.json"))
}

// TestSDKRuntime runs the SDK's node tests (gateway/sdk/test/*.test.mjs) against a
// freshly built parley binary, which they start, kill and restart themselves.
func TestSDKRuntime(t *testing.T) {
	node := needNode(t)
	bin := filepath.Join(t.TempDir(), "parley")
	run(t, 5*time.Minute, filepath.Join(SDKDir(), "..", ".."), nil, "go", "build", "-o", bin, "./cmd/parley")
	out := run(t, 5*time.Minute, SDKDir(), []string{"PARLEY_BIN=" + bin}, node, "--experimental-websocket", "--test", "test/")
	if !bytes.Contains(out, []byte("# fail 0")) {
		t.Fatalf("node tests:\n%s", out)
	}
	t.Logf("node tests:\n%s", out)
}
