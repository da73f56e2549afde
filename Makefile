# liveshop — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin/liveshop
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# PostgreSQL for the storage suite and end-to-end tests.
export LIVESHOP_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run build web deps test test-cluster screenshots vet staticcheck gotest e2e bench bench-cluster bench-firstframe clean

## run: build everything and start the platform with demo data on embedded defaults
run: build
	./$(BIN) demo --data ./data

## build: the front end, then the binary that embeds it
build: web
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/liveshop

web: web/node_modules/.installed
	cd web && npm run build && npm run budget

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

## deps: what the tests need beyond Go and Node (ffmpeg, chromium), installed when missing
deps:
	@bash scripts/install-deps.sh

## test: install test dependencies, then run every check and test
test: deps build vet staticcheck gotest

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l cmd internal bench e2e 2>/dev/null); if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi

bin/staticcheck: tools/go.mod tools/go.sum
	cd tools && $(GO) build -o ../bin/staticcheck honnef.co/go/tools/cmd/staticcheck

staticcheck: bin/staticcheck
	./bin/staticcheck ./...

## test-cluster: the multi-node scenarios alone (also part of gotest): three liveshop nodes, a three-server NATS
## cluster and a private PostgreSQL on loopback; a node, a NATS server and the database are killed in turn
test-cluster: build deps
	LIVESHOP_BIN=$(CURDIR)/$(BIN) $(GO) test -race -count=1 -timeout 10m -run 'TestCluster|TestPostgresCrashAndRestart' -v ./e2e ./internal/testcluster

## screenshots: the browser audit's key pages and every browser journey, step by step, at phone and desktop sizes, into docs/screenshots (gallery: docs/screenshots/JOURNEYS.md)
screenshots: build deps
	LIVESHOP_BIN=$(CURDIR)/$(BIN) GO=$(GO) bash scripts/screenshots.sh

## gotest: unit, storage (SQLite + PostgreSQL) and end-to-end tests, with the race detector
gotest:
	LIVESHOP_BIN=$(CURDIR)/$(BIN) $(GO) test -race -count=1 -timeout 14m ./...

## bench: checkout throughput on SQLite and PostgreSQL side by side, then live video (latency, WHEP and LL-HLS fan-out), the live room's WebSocket fan-out, and flash sales (the reservation engine alone, then over HTTP against a Redis + Lua gate, then a sell-out), the personal feed among 10,000 live rooms, and analytics ingestion through JetStream; results are copied into docs/BENCHMARKS.md
BENCH_RATES ?= 250 500 1000
bench: build
	@for r in $(BENCH_RATES); do $(GO) run ./bench/checkout -bin ./$(BIN) -db sqlite -db postgres -rate $$r -duration 5s -runs 3; echo; done
	$(GO) run ./bench/media -bin ./$(BIN) -mode all
	$(GO) run ./bench/roomfanout -bin ./$(BIN)
	$(GO) test ./bench/flashsale -run '^$$' -bench ReservationEngine -benchtime 100000x -count 3
	$(GO) run ./bench/flashsale -bin ./$(BIN) -db sqlite -buyers 200 -users 1000 -duration 5s -rounds 3 -warmup 1s
	$(GO) run ./bench/flashsale -bin ./$(BIN) -db postgres -buyers 200 -users 1000 -duration 5s -rounds 3 -warmup 1s
	$(GO) run ./bench/flashsale -bin ./$(BIN) -mode sellout -stock 100 -buyers 2000
	$(GO) run ./bench/feed -db sqlite -db postgres
	$(GO) test ./bench/analytics -run '^$$' -bench Pipeline -benchtime 3000000x -count 3
	LIVESHOP_SCALE_SOCIAL=1 $(GO) test ./internal/store -run TestSocialFanoutScale -count=1 -v
	$(GO) run ./bench/cluster -bin ./$(BIN)
	$(BENCH_FIRSTFRAME)

## bench-firstframe: the live room page's first video frame (issue 8): `liveshop demo`, then 15 fresh headless-Chromium loads of the demo room, median and p90 of each phase (script, WHEP offer/answer, ICE, DTLS, first RTP, first frame); the table goes into docs/BENCHMARKS.md
BENCH_FIRSTFRAME = $(GO) run ./bench/firstframe -bin ./$(BIN) -runs 15
bench-firstframe: build
	$(BENCH_FIRSTFRAME)

## bench-cluster: PostgreSQL, a three-server NATS cluster and three liveshop nodes on this machine, then the room, video and flash-sale benchmarks across them; the report goes into docs/BENCHMARKS.md
bench-cluster: build
	$(GO) run ./bench/cluster -bin ./$(BIN)

clean:
	rm -rf bin internal/web/dist/assets internal/web/dist/index.html
