package gateway_test

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/gateway/client"
	m "github.com/parley-chat/parley/messages"
)

func codeOf(err error) int32 { return client.Code(err) }

func texts(list []*m.Message) string {
	var out []string
	for _, x := range list {
		out = append(out, x.Message)
	}
	return strings.Join(out, ",")
}

func itoa(i int) string { return strconv.Itoa(i) }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
