// Package messages holds parley's protobuf definitions and the generated Go code: the
// wire protocol, actor commands and events, and stored records. Regenerate with
// `make generate`.
package messages

//go:generate sh -c "protoc --proto_path=. --go_out=. --go_opt=paths=source_relative *.proto"
