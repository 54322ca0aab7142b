# Proton Playground. Every target sets up what it needs on a fresh machine, idempotently.
SHELL := /bin/bash
CARGO ?= cargo
PORT ?= 8080
WASM := target/wasm32-unknown-unknown/wasm/proton_playground.wasm
PKG := target/wasm-pkg

.PHONY: test lint unit oracle wasm-tools wasm wasm-test www-deps dist serve browser e2e bench fuzz package vsix

## Run every test (what CI runs).
test: lint unit wasm-test e2e vsix

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

# The hostile-input tests bound time, so they run optimized (an unoptimized build skips them).
unit: oracle
	$(CARGO) test --locked
	$(CARGO) test --locked --release --test hostile

# The differential test's oracle is CPython Jinja2; the test skips with a message without it.
oracle:
	@python3 -c "import jinja2" 2>/dev/null || python3 -m pip install --quiet jinja2 || echo "jinja2 unavailable: the differential test will skip"
	@./scripts/jinja2-suite.sh

wasm-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@./scripts/install-wasm-bindgen.sh

## The WebAssembly facade's tests, in wasm-bindgen-test-runner (Node).
wasm-test: wasm-tools
	$(CARGO) test --locked --target wasm32-unknown-unknown --no-default-features --test web

## The core as WebAssembly (size-oriented build with LTO) + its JS bindings.
wasm: wasm-tools
	$(CARGO) rustc --locked --lib --crate-type cdylib --profile wasm --target wasm32-unknown-unknown --no-default-features
	wasm-bindgen --target web --no-typescript --remove-name-section --out-dir $(PKG) $(WASM)

www-deps:
	@cd www && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

## The static site, self-contained, in dist/ (works from any static host, also under a subpath).
dist: wasm www-deps
	cd www && node build.mjs

## Build and serve the playground on http://127.0.0.1:$(PORT) (PORT overrides).
serve: dist
	@echo "Proton Playground: http://127.0.0.1:$(PORT)/"
	python3 -m http.server --bind 127.0.0.1 $(PORT) --directory dist

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else echo "install chromium and chromium-driver (Debian packages) to run the browser tests"; exit 1; fi; }

## Playwright tests of the user flows, in Chromium, against the built site.
e2e: dist browser
	cd www && npx playwright test

## The VS Code extension (editors/vscode, launching `proton-playground lsp`) as
## target/proton-playground.vsix, packaged with the registry's @vscode/vsce.
vsix:
	cd editors/vscode && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	cd editors/vscode && npm run package
	python3 -c "import zipfile, json; z = zipfile.ZipFile('target/proton-playground.vsix'); \
	  assert 'extension/dist/extension.js' in z.namelist(); \
	  assert json.loads(z.read('extension/package.json'))['main'] == './dist/extension.js'"

## Benchmarks (results in BENCHMARKS.md).
## The embed's npm package (target/proton-playground-embed-<version>.tgz); publishing is a
## release step outside the tests.
package: dist
	node scripts/embed-package.mjs
	cd target/npm && npm pack --pack-destination ..

bench: dist browser
	$(CARGO) bench --locked
	cd www && node bench/page-bench.mjs && node bench/share-links.mjs

## Fuzz each target briefly (FUZZ_SECONDS each, default 60) from seeds built out of examples/.
## Crashes land in fuzz/artifacts/<target>/; copy each into fuzz/regressions/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := archive tar schema inputs render cfn_checks
## The CPython Jinja2 differential, longer than in `make test` (needs python3 with jinja2).
DIFFERENTIAL_CASES ?= 100000
fuzz:
	DIFFERENTIAL_CASES=$(DIFFERENTIAL_CASES) $(CARGO) test --locked --release --test jinja2_differential -- generated
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	./scripts/fuzz-seeds.sh $(CURDIR)/target/fuzz-seeds
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p ../target/fuzz-corpus/$$t && \
	  cargo +nightly fuzz run -O -s none $$t ../target/fuzz-corpus/$$t ../target/fuzz-seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 || exit 1; \
	done
