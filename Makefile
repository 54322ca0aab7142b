# Proton Playground: every command sets up what it needs on a fresh machine.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test lint unit oracle

## Run every test (what CI runs).
test: lint unit

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

unit: oracle
	$(CARGO) test --locked

# The differential test's oracle is CPython Jinja2; the test skips with a message without it.
oracle:
	@python3 -c "import jinja2" 2>/dev/null || python3 -m pip install --quiet jinja2 || echo "jinja2 unavailable: the differential test will skip"
