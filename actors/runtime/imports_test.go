package runtime

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyThisPackageImportsProtoactor: the actor library stays behind this package's
// API, in every package of the module and its tests.
func TestOnlyThisPackageImportsProtoactor(t *testing.T) {
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}}: {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`,
		"github.com/parley-chat/parley/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const self = "github.com/parley-chat/parley/actors/runtime"
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		seen++
		for _, imp := range strings.Fields(imports) {
			if strings.HasPrefix(imp, "github.com/asynkron/") && pkg != self {
				t.Errorf("%s imports %s: only %s may", pkg, imp, self)
			}
		}
	}
	if seen < 8 {
		t.Fatalf("go list listed %d packages: %s", seen, out)
	}
}
