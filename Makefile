# wirepad: `make serve` runs the playground, `make test` runs every test.
# Both build what they need first, installing missing tools.

WASM_TARGET := wasm32-unknown-unknown
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
WASM_FILE := target/$(WASM_TARGET)/release/wirepad.wasm
PKG := www/pkg
# Debian's binaryen (version 108) breaks wasm-bindgen's externref table, so
# wasm-opt comes from npm's binaryen package, pinned in tests/package.json.
WASM_OPT := tests/node_modules/.bin/wasm-opt

.PHONY: build native wasm tools setup test test-rust test-wasm test-servers test-page lint bench serve clean

build: wasm native

native:
	cargo build --release

tests/node_modules: tests/package.json tests/package-lock.json
	npm --prefix tests ci --no-audit --no-fund
	@touch $@

tools: tests/node_modules
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@# ring (TLS in the page) builds its C and assembly parts for wasm32 with clang.
	@if ! command -v clang >/dev/null || ! command -v wasm-ld >/dev/null; then \
		echo "installing Debian packages: clang lld"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends clang lld; \
	fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# Four builds of the same crate: www/pkg without the `decode` feature (what
# the page loads first), www/pkg-decode with it (loaded only to show a
# decoded body), www/pkg-tls with `tls` (loaded only for an https target)
# and www/pkg-check with `check` (loaded only when the Check panel runs).
# They are rebuilt only when the Rust sources change.
RUST_SOURCES := $(shell find src -name '*.rs' -o -name '*.js') Cargo.toml Cargo.lock

wasm: $(PKG)/wirepad_bg.wasm $(PKG)-decode/wirepad_bg.wasm $(PKG)-tls/wirepad_bg.wasm $(PKG)-check/wirepad_bg.wasm

$(PKG)/wirepad_bg.wasm: $(RUST_SOURCES) | tools
	cargo build --release --lib --target $(WASM_TARGET) --no-default-features
	wasm-bindgen --target web --out-dir $(PKG) $(WASM_FILE)
	$(WASM_OPT) -O3 $@ -o $@

$(PKG)-decode/wirepad_bg.wasm: $(RUST_SOURCES) | tools
	cargo build --release --lib --target $(WASM_TARGET)
	wasm-bindgen --target web --out-dir $(PKG)-decode $(WASM_FILE)
	$(WASM_OPT) -O3 $@ -o $@

$(PKG)-tls/wirepad_bg.wasm: $(RUST_SOURCES) | tools
	cargo build --release --lib --target $(WASM_TARGET) --no-default-features --features tls
	wasm-bindgen --target web --out-dir $(PKG)-tls $(WASM_FILE)
	$(WASM_OPT) -O3 $@ -o $@

$(PKG)-check/wirepad_bg.wasm: $(RUST_SOURCES) | tools
	cargo build --release --lib --target $(WASM_TARGET) --no-default-features --features check
	wasm-bindgen --target web --out-dir $(PKG)-check $(WASM_FILE)
	$(WASM_OPT) -O3 $@ -o $@

serve: build
	./target/release/wirepad serve

# Everything the tests need beyond Rust and Node: Debian packages (when
# missing and we may install them), Python packages, cargo-nextest.
setup: tests/node_modules
	@missing=""; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v systemd-analyze >/dev/null || [ -x /usr/bin/systemd-analyze ] || missing="$$missing systemd"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi
	python3 -m pip install -q --disable-pip-version-check -r tests/servers/requirements.txt
	@command -v cargo-nextest >/dev/null || cargo install cargo-nextest

test: setup build lint test-rust test-wasm test-servers test-page

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features tls -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features --features check -- -D warnings

test-rust:
	cargo nextest run --release
	cargo test --release --doc

test-wasm:
	node --test tests/wasm/

test-page:
	node --test tests/page/

test-servers:
	python3 -m pytest -q tests/servers

bench: build
	cargo bench --bench parse
	node benches/wasm.mjs
	python3 benches/process.py
	python3 benches/relay.py
	python3 benches/room.py
	node benches/page.mjs
	node benches/roster.mjs
	node benches/https.mjs
	python3 benches/check.py

clean:
	cargo clean
	rm -rf $(PKG) $(PKG)-decode $(PKG)-tls $(PKG)-check
