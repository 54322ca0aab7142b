# Proton Playground: every command sets up what it needs on a fresh machine.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test lint unit

## Run every test (what CI runs).
test: lint unit

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

unit:
	$(CARGO) test --locked
