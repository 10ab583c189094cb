package actors

import (
	"slices"
	"unicode/utf8"
)

// CommunityLimits are the community limits of seeds 000/001, each with the seed's
// number as default. Lengths the seed gives in characters are counted in characters.
type CommunityLimits struct {
	PerUser          int // communities one user is in; 100 (expandable to 500) (6001001)
	Members          int // members per community; 100,000 (6001002)
	Channels         int // channels per community, GENERAL included; 100 (up to 1,000) (6001006)
	UsersPerCall     int // userIDs per invite/kick/mute call; 100
	PageMax          int // items per page of every community list; 100
	IDBytes          int // communityID / channelID; 32 (unconfirmed by ZIM: the group limit)
	NameChars        int // community and channel name; 300
	AvatarURLChars   int // community and channel avatar URL; 100
	NoticeChars      int // community and channel notice; 500
	Attributes       int // attribute pairs per community or channel; 10 (6001008)
	AttributeKeyLen  int // 16 characters (the key is refused in errorKeys)
	AttributeValLen  int // 1024 characters (the key is refused in errorKeys)
	MuteRoles        int // roles per channel mute (custom mode); 20 (the group limit)
	ChannelUsersCall int // userIDs per private-channel member call; 100
}

func defaultCommunityLimits() CommunityLimits {
	return CommunityLimits{
		PerUser: 100, Members: 100_000, Channels: 100, UsersPerCall: 100, PageMax: 100, IDBytes: 32,
		NameChars: 300, AvatarURLChars: 100, NoticeChars: 500,
		Attributes: 10, AttributeKeyLen: 16, AttributeValLen: 1024, MuteRoles: 20, ChannelUsersCall: 100,
	}
}

func (l *CommunityLimits) validate() {
	d := defaultCommunityLimits()
	for _, f := range []struct{ v, def *int }{
		{&l.PerUser, &d.PerUser}, {&l.Members, &d.Members}, {&l.Channels, &d.Channels},
		{&l.UsersPerCall, &d.UsersPerCall}, {&l.PageMax, &d.PageMax}, {&l.IDBytes, &d.IDBytes},
		{&l.NameChars, &d.NameChars}, {&l.AvatarURLChars, &d.AvatarURLChars}, {&l.NoticeChars, &d.NoticeChars},
		{&l.Attributes, &d.Attributes}, {&l.AttributeKeyLen, &d.AttributeKeyLen},
		{&l.AttributeValLen, &d.AttributeValLen}, {&l.MuteRoles, &d.MuteRoles},
		{&l.ChannelUsersCall, &d.ChannelUsersCall},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
}

// communityIDChars is the alphabet of community and channel IDs (seed 000): digits,
// ASCII letters and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~.
const communityIDSpecials = "!#$%&()+-:;<=.>?@[]^_{}|~"

// ValidCommunityID checks a community or channel ID against seed 000's alphabet and the
// length limit. Whether it may start with '#' (server-made IDs only) is checked where
// clients create one.
func ValidCommunityID(id string, maxLen int) bool {
	if id == "" || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		default:
			if !containsByte(communityIDSpecials, c) {
				return false
			}
		}
	}
	return true
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// validChars checks text of at most max characters (valid UTF-8).
func validChars(s string, max int) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= max
}

// communityAttrs applies attribute changes the community way (seed 000): more than the
// allowed number of pairs refuses the whole call (6001008); a key that is empty or too
// long, or a value too long, fails alone and is listed in errorKeys.
func communityAttrs(l CommunityLimits, cur, set map[string]string) (map[string]string, []string, error) {
	if len(set) == 0 {
		return nil, nil, ErrParamInvalid
	}
	out := make(map[string]string, len(cur)+len(set))
	for k, v := range cur {
		out[k] = v
	}
	var errorKeys []string
	for k, v := range set {
		if k == "" || !validChars(k, l.AttributeKeyLen) || !validChars(v, l.AttributeValLen) {
			errorKeys = append(errorKeys, k)
			continue
		}
		out[k] = v
	}
	if len(out) > l.Attributes {
		return nil, nil, ErrCommunityAttrCount
	}
	slices.Sort(errorKeys)
	return out, errorKeys, nil
}

// communityAttrsDelete removes keys; keys that were not set are listed in errorKeys.
func communityAttrsDelete(cur map[string]string, keys []string) (map[string]string, []string, error) {
	if len(keys) == 0 {
		return nil, nil, ErrParamInvalid
	}
	out := make(map[string]string, len(cur))
	for k, v := range cur {
		out[k] = v
	}
	var errorKeys []string
	for _, k := range keys {
		if _, ok := out[k]; !ok {
			errorKeys = append(errorKeys, k)
			continue
		}
		delete(out, k)
	}
	return out, errorKeys, nil
}
