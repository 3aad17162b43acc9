# Megaphone: the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/debug/megaphone
# Debian's python3-* packages install for /usr/bin/python3, which may not be the python3 on PATH.
PYTHON := /usr/bin/python3

# What building needs (libcurl's and SQLite's headers), and what the tests need besides:
# Python's email package (stdlib), aiosmtpd, Postfix and openssl for real servers,
# Dovecot (IMAP) for reading bounces, SpamAssassin for the deliverability gate,
# and headless Chromium driven by Selenium for the pages.
BUILD_DEPS := libcurl4-openssl-dev libsqlite3-dev pkg-config
TEST_DEPS := $(BUILD_DEPS) python3 python3-aiosmtpd postfix openssl chromium chromium-driver python3-selenium \
	dovecot-imapd spamassassin

.PHONY: all build demo serve test deps test-deps install-packages bench man clean

all: build

build: deps
	$(SWIFT) build

# Check the sample embassy campaign, send it into an outbox of the demo's own (nothing
# leaves this machine: no --smtp), and show the send log's summary. Each run starts
# afresh: it removes only what the demo itself wrote (never campaigns/outbox, where
# `make serve` leaves signer mail).
DEMO_OUTBOX := campaigns/demo-outbox
demo: build
	$(BIN) check campaigns/embassy-protest-csv.json
	rm -rf $(DEMO_OUTBOX) campaigns/embassy-protest-csv.sendlog.jsonl
	$(BIN) send campaigns/embassy-protest-csv.json --outbox $(DEMO_OUTBOX)
	$(BIN) log campaigns/embassy-protest-csv.json
	@echo "The letters are in $(DEMO_OUTBOX)/new (a Maildir: open it with any mail client, e.g. mutt -f $(DEMO_OUTBOX))."

# The sample petition and letter pages on 127.0.0.1:8080, and the unsubscribe links
# of the supporters' update; signer mail goes to the outbox Maildir campaigns/outbox
# (nothing leaves this machine). It prints every address, /admin included; the
# organiser's page needs a token: MEGAPHONE_ADMIN_TOKEN=$$(openssl rand -hex 24) make serve.
# Ctrl-C stops it.
serve: build
	$(BIN) serve campaigns/petition.json campaigns/embassy-protest.json campaigns/supporters-update.json --listen 127.0.0.1:8080

# Install what the tests need (only what is missing), then run the whole suite.
# --verbose on the test run (not the build) reports each Mustache spec case by name.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --verbose 2>&1 | grep -v '^\[' ; exit $${PIPESTATUS[0]}

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(BUILD_DEPS)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_DEPS)"

# Installs (with apt-get, as root or through sudo) whichever of $(PACKAGES) are missing.
# Postfix is installed unconfigured, and Dovecot's own service is not used: the tests
# run their own instances on loopback.
install-packages:
	@missing=""; \
	for pkg in $(PACKAGES); do \
	  dpkg -s $$pkg 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "postfix postfix/main_mailer_type select No configuration" | $$sudo debconf-set-selections 2>/dev/null || true; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Benchmarks against the tools people would use instead (run on demand, never in make test).
bench:
	bash bench/run.sh

# The man page, from the command definitions (swift-argument-parser's generate-manual
# plugin): read it with `man -l .build/man/megaphone.1`.
man: deps
	$(SWIFT) package plugin generate-manual
	mkdir -p .build/man
	cp .build/plugins/GenerateManual/outputs/megaphone/megaphone.1 .build/man/megaphone.1
	@echo "Written .build/man/megaphone.1 (man -l .build/man/megaphone.1)"

clean:
	rm -rf .build
