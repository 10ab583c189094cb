# parley — the project's verbs. Needs only Go (generated protobuf code is committed).
GO        ?= go
PKGS      := ./...
DATA      ?= ./parley-data

.PHONY: run test test-race bench fuzz lint generate build clean sdk

## run: start a development server on an embedded Badger directory
run:
	$(GO) run ./cmd/parley serve --dev --data $(DATA)

## build: build the parley binary into ./bin
build:
	$(GO) build -o bin/parley ./cmd/parley

## test: the whole test suite (Postgres tests skip, saying so, without PostgreSQL: see docs/DEVELOPING.md)
test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 8m $(PKGS)
	@$(GO) run ./persistence/pgtest/pgavail
	@$(GO) run ./gateway/webtest/avail

## test-race: everything under the race detector (multi-member cluster tests excluded: see docs/DEVELOPING.md)
test-race:
	$(GO) test -race -count=1 -timeout 12m $(PKGS)

## bench: the Go benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s $(PKGS)

## fuzz: each fuzz target for a short while
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzVerify -fuzztime 30s ./gateway/auth
	$(GO) test -run '^$$' -fuzz FuzzUnmarshalJSON -fuzztime 30s ./messages
	$(GO) test -run '^$$' -fuzz FuzzDecodeRequest -fuzztime 30s ./gateway
	$(GO) test -run '^$$' -fuzz FuzzFramesThroughServer -fuzztime 60s ./gateway
	$(GO) test -run '^$$' -fuzz FuzzFrameReader -fuzztime 30s ./gateway

## lint: formatting and vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)

## generate: regenerate messages/*.pb.go (needs protoc and protoc-gen-go v1.36.12)
generate:
	@command -v protoc >/dev/null || (echo "protoc missing: apt-get install protobuf-compiler"; exit 1)
	@command -v protoc-gen-go >/dev/null || (echo "protoc-gen-go missing: go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12"; exit 1)
	cd messages && $(GO) generate ./...

## sdk: rebuild the TypeScript SDK's committed bundles (gateway/sdk/dist, gateway/web/static/parley-zim.js); needs node and npm
sdk:
	@command -v node >/dev/null || (echo "node missing: the SDK build needs node 20+ and npm"; exit 1)
	cd gateway/sdk && npm ci --no-audit --no-fund && node scripts/gen-api.mjs && node build.mjs

clean:
	rm -rf bin $(DATA)
