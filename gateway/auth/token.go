// Package auth implements ZEGOCLOUD ZIM "token04"-compatible tokens.
//
// A token is the string "04" followed by the standard (padded) base64
// encoding of:
//
//	expire      int64,  big-endian, unix seconds
//	ivLen       uint16, big-endian (always 16)
//	iv          [ivLen]byte, random
//	cipherLen   uint16, big-endian
//	ciphertext  [cipherLen]byte
//
// The ciphertext is AES-256-CBC with PKCS#7 padding of a JSON object
//
//	{"app_id":<uint32>,"user_id":"<string>","nonce":<int32>,
//	 "ctime":<unix seconds>,"expire":<unix seconds>,"payload":"<string>"}
//
// keyed with the application's 32-byte server secret.
package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. Verify only ever returns these (possibly wrapped with %w).
var (
	ErrTokenInvalid = errors.New("auth: token invalid")             // bad base64/structure/decrypt/JSON, wrong user
	ErrTokenExpired = errors.New("auth: token expired")             // now >= ExpiresAt
	ErrTokenVersion = errors.New("auth: unsupported token version") // not starting with "04"
	ErrAppMismatch  = errors.New("auth: token issued for another app")
	ErrBadSecret    = errors.New("auth: server secret must be 32 bytes")
)

// Errors returned by Issue for bad arguments.
var (
	errEmptyUser     = errors.New("auth: user ID must not be empty")
	errBadTTL        = errors.New("auth: ttl must be at least one second")
	errInvalidUTF8   = errors.New("auth: user ID and payload must be valid UTF-8")
	errTokenTooLarge = errors.New("auth: token content too large")
	errBadIV         = errors.New("auth: iv must be 16 bytes")
)

const (
	versionPrefix = "04"
	secretLen     = 32 // AES-256
	ivLen         = aes.BlockSize

	// headerLen is expire(8) + ivLen(2) + iv(16) + cipherLen(2).
	headerLen = 8 + 2 + ivLen + 2
)

// Claims is the decoded content of a token.
type Claims struct {
	AppID     uint32
	UserID    string
	Nonce     int32
	IssuedAt  time.Time
	ExpiresAt time.Time
	Payload   string
}

// tokenBody is the JSON plaintext. Field order matches the reference
// implementation's serialization.
type tokenBody struct {
	AppID   uint32 `json:"app_id"`
	UserID  string `json:"user_id"`
	Nonce   int32  `json:"nonce"`
	CTime   int64  `json:"ctime"`
	Expire  int64  `json:"expire"`
	Payload string `json:"payload"`
}

// tokenBodyIn is used for decoding so that missing fields can be detected.
type tokenBodyIn struct {
	AppID   *uint32 `json:"app_id"`
	UserID  *string `json:"user_id"`
	Nonce   *int32  `json:"nonce"`
	CTime   *int64  `json:"ctime"`
	Expire  *int64  `json:"expire"`
	Payload *string `json:"payload"`
}

// Issue mints a token valid for ttl from now (now is injectable for tests).
// ttl is truncated to whole seconds and must be at least one second.
func Issue(appID uint32, secret, userID string, ttl time.Duration, payload string, now time.Time) (string, error) {
	iv := make([]byte, ivLen)
	if _, err := io.ReadFull(rand.Reader, iv); err != nil {
		return "", fmt.Errorf("auth: generating iv: %w", err)
	}
	var nb [4]byte
	if _, err := io.ReadFull(rand.Reader, nb[:]); err != nil {
		return "", fmt.Errorf("auth: generating nonce: %w", err)
	}
	nonce := int32(binary.BigEndian.Uint32(nb[:]))
	return issueWith(iv, nonce, appID, secret, userID, ttl, payload, now)
}

// issueWith is Issue with a caller-supplied iv and nonce (for known-answer
// tests).
func issueWith(iv []byte, nonce int32, appID uint32, secret, userID string, ttl time.Duration, payload string, now time.Time) (string, error) {
	if len(secret) != secretLen {
		return "", ErrBadSecret
	}
	if len(iv) != ivLen {
		return "", errBadIV
	}
	if userID == "" {
		return "", errEmptyUser
	}
	if !utf8.ValidString(userID) || !utf8.ValidString(payload) {
		// encoding/json would silently replace invalid bytes, so the
		// token would not round-trip.
		return "", errInvalidUTF8
	}
	secs := int64(ttl / time.Second)
	if secs < 1 {
		return "", errBadTTL
	}
	ctime := now.Unix()
	expire := ctime + secs
	if expire < ctime { // overflow
		return "", errBadTTL
	}

	plain, err := json.Marshal(tokenBody{
		AppID:   appID,
		UserID:  userID,
		Nonce:   nonce,
		CTime:   ctime,
		Expire:  expire,
		Payload: payload,
	})
	if err != nil {
		return "", fmt.Errorf("auth: encoding token: %w", err)
	}

	block, err := aes.NewCipher([]byte(secret))
	if err != nil {
		return "", ErrBadSecret
	}
	ct := pkcs7Pad(plain, aes.BlockSize)
	if len(ct) > 0xFFFF {
		return "", errTokenTooLarge
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, ct)

	buf := make([]byte, 0, headerLen+len(ct))
	buf = binary.BigEndian.AppendUint64(buf, uint64(expire))
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(iv)))
	buf = append(buf, iv...)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(ct)))
	buf = append(buf, ct...)

	return versionPrefix + base64.StdEncoding.EncodeToString(buf), nil
}

// Verify checks format, decrypts with secret, checks app ID and (when
// userID != "") that the token is for that user, and expiry against now
// (expired when now >= ExpiresAt). Returns the claims.
//
// Errors: ErrBadSecret if secret is not 32 bytes, ErrTokenVersion if the
// token does not start with "04", ErrTokenInvalid for anything malformed
// (including a token for another user), ErrAppMismatch for a token issued
// for another app, ErrTokenExpired for an expired token. App and user are
// checked before expiry.
func Verify(token string, appID uint32, secret, userID string, now time.Time) (Claims, error) {
	if len(secret) != secretLen {
		return Claims{}, ErrBadSecret
	}
	rest, ok := strings.CutPrefix(token, versionPrefix)
	if !ok {
		return Claims{}, ErrTokenVersion
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(rest)
	if err != nil {
		return Claims{}, ErrTokenInvalid
	}
	// The decoder silently skips '\r' and '\n'; accept only the canonical
	// encoding.
	if base64.StdEncoding.EncodedLen(len(raw)) != len(rest) {
		return Claims{}, ErrTokenInvalid
	}

	// Fixed header.
	if len(raw) < headerLen {
		return Claims{}, ErrTokenInvalid
	}
	expire := int64(binary.BigEndian.Uint64(raw[0:8]))
	if n := binary.BigEndian.Uint16(raw[8:10]); n != ivLen {
		return Claims{}, ErrTokenInvalid
	}
	iv := raw[10 : 10+ivLen]
	ctLen := int(binary.BigEndian.Uint16(raw[10+ivLen : headerLen]))
	ct := raw[headerLen:]
	if ctLen == 0 || ctLen%aes.BlockSize != 0 || len(ct) != ctLen {
		return Claims{}, ErrTokenInvalid
	}

	block, err := aes.NewCipher([]byte(secret))
	if err != nil {
		return Claims{}, ErrBadSecret
	}
	plain := make([]byte, ctLen)
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	plain, ok = pkcs7Unpad(plain, aes.BlockSize)
	if !ok {
		return Claims{}, ErrTokenInvalid
	}

	// Issue only produces valid UTF-8 (encoding/json output). The format
	// has no MAC, so this also makes it much less likely that a tampered
	// ciphertext (one garbled block) still decodes as acceptable JSON.
	if !utf8.Valid(plain) {
		return Claims{}, ErrTokenInvalid
	}

	var body tokenBodyIn
	dec := json.NewDecoder(bytes.NewReader(plain))
	if err := dec.Decode(&body); err != nil {
		return Claims{}, ErrTokenInvalid
	}
	if _, err := dec.Token(); err != io.EOF { // trailing data
		return Claims{}, ErrTokenInvalid
	}
	if body.AppID == nil || body.UserID == nil || body.Nonce == nil ||
		body.CTime == nil || body.Expire == nil || body.Payload == nil {
		return Claims{}, ErrTokenInvalid
	}
	if *body.Expire != expire { // header and encrypted body disagree
		return Claims{}, ErrTokenInvalid
	}

	if *body.AppID != appID {
		return Claims{}, ErrAppMismatch
	}
	if userID != "" && *body.UserID != userID {
		return Claims{}, ErrTokenInvalid
	}

	claims := Claims{
		AppID:     *body.AppID,
		UserID:    *body.UserID,
		Nonce:     *body.Nonce,
		IssuedAt:  time.Unix(*body.CTime, 0),
		ExpiresAt: time.Unix(expire, 0),
		Payload:   *body.Payload,
	}
	if !now.Before(claims.ExpiresAt) {
		return Claims{}, ErrTokenExpired
	}
	return claims, nil
}

// GenerateSecret returns a random 32-character secret of [0-9a-f] (for
// development mode).
func GenerateSecret() (string, error) {
	b := make([]byte, secretLen/2)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return "", fmt.Errorf("auth: generating secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func pkcs7Pad(b []byte, blockSize int) []byte {
	n := blockSize - len(b)%blockSize
	out := make([]byte, len(b)+n)
	copy(out, b)
	for i := len(b); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out
}

// pkcs7Unpad validates and strips PKCS#7 padding. len(b) must be a positive
// multiple of blockSize.
func pkcs7Unpad(b []byte, blockSize int) ([]byte, bool) {
	if len(b) == 0 || len(b)%blockSize != 0 {
		return nil, false
	}
	n := int(b[len(b)-1])
	if n == 0 || n > blockSize || n > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}
