# Unmask — developer tasks. `make help` lists them.
GO        ?= go
PKGS      ?= ./...
TESTFLAGS ?=

.PHONY: help check test test-short fmt-check vet lint fix-check tidy-check build run update-golden fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

check: fmt-check vet lint fix-check tidy-check test ## everything CI runs

test: ## the test suite, with the race detector, in random order
	$(GO) test -race -shuffle=on -timeout 20m $(TESTFLAGS) $(PKGS)

test-short: ## the test suite without the race detector
	$(GO) test -timeout 20m $(TESTFLAGS) $(PKGS)

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: ## go vet
	$(GO) vet $(PKGS)

lint: ## staticcheck, pinned as a go.mod tool
	$(GO) tool staticcheck $(PKGS)

fix-check: ## fail if go fix (Go 1.26 modernizers) would change a file
	@out=$$($(GO) fix -diff $(PKGS)); if [ -n "$$out" ]; then echo "$$out"; echo "go fix would change the files above: run go fix ./..."; exit 1; fi

tidy-check: ## fail if go mod tidy would change go.mod or go.sum
	$(GO) mod tidy -diff

build: ## build the binary into ./unmask
	CGO_ENABLED=0 $(GO) build -o unmask ./cmd/unmask

run: ## run the server on the embedded default
	$(GO) run ./cmd/unmask serve

update-golden: ## rewrite golden files from current output
	UNMASK_UPDATE_GOLDEN=1 $(GO) test $(PKGS)

fuzz: ## run every fuzz target for FUZZTIME (default 20s) each
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$${FUZZTIME:-20s} $$pkg || exit 1; \
	  done; done
