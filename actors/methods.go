package actors

// methodTable maps client method names to one kind's handlers; each feature file adds
// its own (in init), and a name added twice is a programming error.
type methodTable[F any] map[string]F

func (t methodTable[F]) add(kind string, m map[string]F) {
	for name, f := range m {
		if _, dup := t[name]; dup {
			panic("actors: " + kind + " method registered twice: " + name)
		}
		t[name] = f
	}
}
