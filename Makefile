# Megaphone: the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/debug/megaphone
# Debian's python3-* packages install for /usr/bin/python3, which may not be the python3 on PATH.
PYTHON := /usr/bin/python3

.PHONY: all build demo test test-deps clean

all: build

build:
	$(SWIFT) build

# Check the sample embassy campaign, render it into a Maildir, and show its first letter.
demo: build
	$(BIN) check campaigns/embassy-protest.json
	rm -rf out/demo-maildir
	$(BIN) render campaigns/embassy-protest.json --maildir out/demo-maildir
	@echo "The letters are in out/demo-maildir/new (open it with any mail client, e.g. mutt -f out/demo-maildir)."
	@echo "The first one, as it would be sent:"
	$(BIN) preview campaigns/embassy-protest.json --number 1

# Install what the tests need (only what is missing), then run the whole suite.
# --verbose on the test run (not the build) reports each Mustache spec case by name.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --verbose 2>&1 | grep -v '^\[' ; exit $${PIPESTATUS[0]}

test-deps:
	@missing=""; \
	for pkg in python3; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing test dependencies:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .build
