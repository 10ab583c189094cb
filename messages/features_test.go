package messages

import (
	"os"
	"regexp"
	"sort"
	"testing"
)

// TestFeatureTableMatchesTheMethodTable: docs/FEATURES.md marks a method or event
// **done** exactly when the method table (or event table) has it.
func TestFeatureTableMatchesTheMethodTable(t *testing.T) {
	raw, err := os.ReadFile("../docs/FEATURES.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Za-z]+)` \\| ([^|]+)\\|")
	doneMethods, doneEvents := map[string]bool{}, map[string]bool{}
	section := ""
	heading := regexp.MustCompile(`(?m)^## (.*)$`)
	headings := heading.FindAllStringSubmatchIndex(string(raw), -1)
	for _, m := range row.FindAllStringSubmatchIndex(string(raw), -1) {
		for _, h := range headings {
			if h[0] < m[0] {
				section = string(raw[h[2]:h[3]])
			}
		}
		name, state := string(raw[m[2]:m[3]]), string(raw[m[4]:m[5]])
		done := regexp.MustCompile(`\*\*done\*\*`).MatchString(state)
		if !done {
			continue
		}
		if regexp.MustCompile(`(?i)events`).MatchString(section) {
			doneEvents[name] = true
		} else {
			doneMethods[name] = true
		}
	}
	for _, m := range Methods() {
		if !doneMethods[m.Name] {
			t.Errorf("method %s is in the method table but not marked done in docs/FEATURES.md", m.Name)
		}
		delete(doneMethods, m.Name)
	}
	for _, name := range sorted(doneMethods) {
		t.Errorf("docs/FEATURES.md marks %s done, but the method table has no such method", name)
	}
	for _, e := range EventNames() {
		if !doneEvents[e] {
			t.Errorf("event %s is in the event table but not marked done in docs/FEATURES.md", e)
		}
		delete(doneEvents, e)
	}
	for _, name := range sorted(doneEvents) {
		t.Errorf("docs/FEATURES.md marks event %s done, but the event table has no such event", name)
	}
}

// TestMethodEventsAreEvents: every event a method may push is in the event table, and
// every event is pushed by some method.
func TestMethodEventsAreEvents(t *testing.T) {
	used := map[string]bool{}
	for _, m := range Methods() {
		if m.NewParams() == nil || m.NewResult() == nil {
			t.Errorf("%s: no params or result type", m.Name)
		}
		for _, e := range m.Events {
			if LookupEvent(e) == nil {
				t.Errorf("%s names an unknown event %s", m.Name, e)
			}
			used[e] = true
		}
	}
	for _, e := range EventNames() {
		if !used[e] {
			t.Errorf("no method pushes event %s", e)
		}
	}
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
