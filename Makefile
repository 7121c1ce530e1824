# Tafel: `make run` to start it, `make test` to test everything (what CI runs).
SHELL := /bin/bash
GO ?= go
BIN := bin/tafel
TAFEL_DATA_DIR ?= ./data

.PHONY: run build frontend dev test test-go test-frontend test-e2e lint bench bench-load soak demo docker clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

frontend: node_modules/.installed
	npm run build

build: frontend
	$(GO) build -tags embedfrontend -o $(BIN) ./server/cmd/tafel

## run: build everything and serve Tafel on the embedded SQLite database
run: build
	TAFEL_DATA_DIR=$(TAFEL_DATA_DIR) ./$(BIN) serve

## dev: the Go server without the embedded app, and Vite's dev server beside it
dev: node_modules/.installed
	( TAFEL_DATA_DIR=$(TAFEL_DATA_DIR) $(GO) run ./server/cmd/tafel serve & npm run dev; kill %1 )

## test: every test: Go (race detector, SQLite and Postgres), Vitest, and the browser tests
test: lint test-go test-frontend test-e2e

test-go:
	$(GO) test -race -count=1 ./...

test-frontend: node_modules/.installed
	npm run test:unit

test-e2e: build
	TAFEL_BIN=$(CURDIR)/$(BIN) npm run test:e2e

lint: node_modules/.installed
	@unformatted=$$(gofmt -l server schema tools frontend/*.go); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	npm run check

## demo: a demo organisation and meeting that simulated phones join; prints the URLs to open
demo: build
	TAFEL_DATA_DIR=./data-demo ./$(BIN) demo

## bench: Go benchmarks on SQLite and Postgres, written to docs/BENCHMARKS.md
bench:
	tools/bench.sh

## bench-load: many meetings over real websockets (SQLite, Postgres, bare baseline), into docs/BENCHMARKS.md; not part of test
bench-load:
	tools/bench-load.sh

## soak: meetings with random joins, drops, reconnects and commands for SOAK_DURATION (not in make test)
SOAK_DURATION ?= 30m
SOAK_MEETINGS ?= 6
SOAK_DB ?= postgres
soak:
	TAFEL_SOAK_DURATION=$(SOAK_DURATION) TAFEL_SOAK_MEETINGS=$(SOAK_MEETINGS) TAFEL_SOAK_DB=$(SOAK_DB) \
		$(GO) test -tags soak -run '^TestSoak$$' -count=1 -timeout 0 -v ./server/cmd/tafel

## docker: the container image, reproducibly (timestamps from the last commit)
docker:
	docker buildx build -f deploy/Dockerfile -t tafel --build-arg SOURCE_DATE_EPOCH=$$(git log -1 --pretty=%ct) \
		--output type=docker,rewrite-timestamp=true .

clean:
	rm -rf bin frontend/dist test-results data-demo
