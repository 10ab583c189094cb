package actors

import "unicode/utf8"

// attrRules are the limits (and the refusals) of a key-value attribute set: group
// attributes now, other kinds with their own numbers and codes later.
type attrRules struct {
	maxCount, keyBytes, valueBytes, totalBytes int
	errCount, errKey, errValue, errTotal       error
}

func groupAttrRules(l Limits) attrRules {
	return attrRules{
		maxCount: l.GroupAttributesMax, keyBytes: l.GroupAttributeKeyBytes,
		valueBytes: l.GroupAttributeValueBytes, totalBytes: l.GroupAttributesTotalBytes,
		errCount: ErrGroupAttrCount, errKey: ErrGroupAttrKey, errValue: ErrGroupAttrValue, errTotal: ErrGroupAttrTotal,
	}
}

// set returns cur with set applied (a new map; cur is not changed), or the refusal.
func (r attrRules) set(cur, set map[string]string) (map[string]string, error) {
	if len(set) == 0 {
		return nil, ErrParamInvalid
	}
	out := make(map[string]string, len(cur)+len(set))
	for k, v := range cur {
		out[k] = v
	}
	for k, v := range set {
		if k == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, ErrParamInvalid
		}
		if len(k) > r.keyBytes {
			return nil, r.errKey
		}
		if len(v) > r.valueBytes {
			return nil, r.errValue
		}
		out[k] = v
	}
	if len(out) > r.maxCount {
		return nil, r.errCount
	}
	total := 0
	for k, v := range out {
		total += len(k) + len(v)
	}
	if total > r.totalBytes {
		return nil, r.errTotal
	}
	return out, nil
}

// remove returns cur without keys (a new map), the removed pairs, and the keys that were
// not there.
func (r attrRules) remove(cur map[string]string, keys []string) (out, removed map[string]string, missing []string) {
	out = make(map[string]string, len(cur))
	for k, v := range cur {
		out[k] = v
	}
	removed = map[string]string{}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		v, ok := out[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		removed[k] = v
		delete(out, k)
	}
	return out, removed, missing
}
