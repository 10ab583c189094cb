package persistence

import (
	"bytes"
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Interesting components: empty, prefixes of one another, bytes around the 0x00
// terminator, high bytes, multi-byte UTF-8.
var (
	keyStrs = []string{"", "a", "a\x01", "ab", "abc", "b", "ba", "z", "\x01", "\x7f", "\xff", "\xff\xff", "é", "conv", "conv-1", "conv1", "conv10", "conv2"}
	keyU64s = []uint64{0, 1, 2, 255, 256, 257, 1 << 16, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
)

type keyTuple struct {
	a, b string
	n, m uint64
}

func (k keyTuple) key(prefix string) Key {
	return NewKey(prefix).Str(k.a).U64(k.n).Str(k.b).U64(k.m)
}

func compareTuples(x, y keyTuple) int {
	return cmp.Or(strings.Compare(x.a, y.a), cmp.Compare(x.n, y.n), strings.Compare(x.b, y.b), cmp.Compare(x.m, y.m))
}

// TestKeyOrdering: byte order of built keys == component-wise order of the
// components (strings as strings, integers numerically).
func TestKeyOrdering(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	pick := func() keyTuple {
		return keyTuple{
			a: keyStrs[rng.IntN(len(keyStrs))],
			b: keyStrs[rng.IntN(len(keyStrs))],
			n: keyU64s[rng.IntN(len(keyU64s))],
			m: rng.Uint64() >> rng.IntN(64),
		}
	}
	tuples := make([]keyTuple, 5000)
	for i := range tuples {
		tuples[i] = pick()
	}
	// Pairwise on a sample, exhaustively on the sign of the comparison.
	for i := range 20000 {
		x, y := tuples[rng.IntN(len(tuples))], tuples[rng.IntN(len(tuples))]
		if i%7 == 0 {
			y = x
		}
		want := compareTuples(x, y)
		got := bytes.Compare(x.key("m"), y.key("m"))
		if got != want {
			t.Fatalf("compare(%+v, %+v): bytes %d, components %d", x, y, got, want)
		}
	}
	// Sorting by bytes sorts by components.
	byBytes := slices.Clone(tuples)
	slices.SortStableFunc(byBytes, func(x, y keyTuple) int { return bytes.Compare(x.key("x"), y.key("x")) })
	byComponents := slices.Clone(tuples)
	slices.SortStableFunc(byComponents, compareTuples)
	if !slices.Equal(byBytes, byComponents) {
		t.Fatal("byte order differs from component order")
	}
}

func TestKeyU64Numeric(t *testing.T) {
	base := NewKey("m").Str("conv")
	for i := 1; i < len(keyU64s); i++ {
		a, b := base.U64(keyU64s[i-1]), base.U64(keyU64s[i])
		if bytes.Compare(a, b) >= 0 {
			t.Fatalf("%d does not sort before %d", keyU64s[i-1], keyU64s[i])
		}
		if SeqFromKey(b) != keyU64s[i] {
			t.Fatalf("SeqFromKey(%x) = %d, want %d", b, SeqFromKey(b), keyU64s[i])
		}
	}
	if SeqFromKey([]byte{1, 2, 3}) != 0 {
		t.Fatal("SeqFromKey of a short key")
	}
}

// TestKeyPrefixIsolation: a Str component, and the prefix itself, delimit a range
// that contains no key of a longer component sharing its bytes.
func TestKeyPrefixIsolation(t *testing.T) {
	for _, a := range keyStrs {
		r := PrefixRange(NewKey("m").Str(a))
		for _, b := range keyStrs {
			for _, n := range keyU64s {
				k := NewKey("m").Str(b).U64(n)
				in := bytes.Compare(k, r.Start) >= 0 && (r.End == nil || bytes.Compare(k, r.End) < 0)
				if in != (a == b) {
					t.Fatalf("key of %q/%d in range of %q: %v", b, n, a, in)
				}
			}
		}
	}
	// Prefixes: "m" and "ms" are distinct namespaces.
	r := PrefixRange(NewKey("m"))
	k := NewKey("ms").Str("x").U64(1)
	if bytes.Compare(k, r.Start) >= 0 && bytes.Compare(k, r.End) < 0 {
		t.Fatal(`a key of prefix "ms" is in the range of prefix "m"`)
	}
}

// TestKeyNoAliasing: keys derived from a common base never share memory.
func TestKeyNoAliasing(t *testing.T) {
	base := NewKey("m").Str("conv")
	a := base.U64(1)
	b := base.U64(2)
	c := base.Str("x")
	if SeqFromKey(a) != 1 || SeqFromKey(b) != 2 {
		t.Fatalf("a=%x b=%x", a, b)
	}
	if !bytes.Equal(c, []byte("m\x00conv\x00x\x00")) {
		t.Fatalf("c = %q", c)
	}
	a[0] = 'X'
	if base[0] != 'm' || b[0] != 'm' {
		t.Fatal("derived keys share memory")
	}
	if !bytes.Equal(b.Bytes(), []byte(b)) || &b.Bytes()[0] != &b[0] {
		t.Fatal("Bytes must return the key itself")
	}
	if got := NewKey("m").Str("conv").U64(0x0102030405060708).Bytes(); !bytes.Equal(got, []byte("m\x00conv\x00\x01\x02\x03\x04\x05\x06\x07\x08")) {
		t.Fatalf("layout: %q", got)
	}
}
