# Quick start: `make demo` and `make test`. Both install missing system packages first (apt-get as root).
SHELL := /bin/bash
PREFIX ?= /usr/local
TOOLS := dcm-anon dcm-send dcm-compress rota-plan transfer-bench

.PHONY: all deps build test demo docs check-docs install bench fuzz sanitize sanitize-thread clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release

# The whole suite (Swift Testing; the tests start their own peers on loopback), the freshness check of the
# generated completions and man pages, ThreadSanitizer over the threaded code, then ASan/UBSan and a
# bounded fuzzing run (scripts/fuzz.sh).
test: deps
	swift build --build-tests
	swift test --skip-build
	scripts/generate-docs.sh --check
	scripts/sanitize-thread.sh
	scripts/fuzz.sh replay
	scripts/fuzz.sh smoke

# AddressSanitizer and UndefinedBehaviorSanitizer over the seeds and the mutation corpus, every parser.
sanitize: deps
	scripts/fuzz.sh replay

# ThreadSanitizer over the tests of the threaded code (shaper, sender, receiver, journal, solver chains).
sanitize-thread: deps
	scripts/sanitize-thread.sh

# Long fuzzing: FUZZ_SECONDS (default 600) per target; the corpus grows in .build-fuzz/corpus.
fuzz: deps
	scripts/fuzz.sh long

demo: build
	scripts/demo.sh

# Side-by-side benchmarks against the peer tools; results in bench/results/.
bench: deps
	python3 bench/compress.py --install-peers
	python3 bench/send.py
	python3 bench/receiver.py
	python3 bench/anon.py --install-peers
	python3 bench/ocr.py
	python3 bench/link.py
	python3 bench/stream.py
	python3 bench/rota.py --install-peers

docs: deps
	scripts/generate-docs.sh

check-docs: deps
	scripts/generate-docs.sh --check

install: build
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	    "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
	    "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	for tool in $(TOOLS); do \
	    install -m 755 "$$(swift build -c release --show-bin-path)/$$tool" "$(DESTDIR)$(PREFIX)/bin/$$tool"; \
	    install -m 644 "Man/$$tool.1" "$(DESTDIR)$(PREFIX)/share/man/man1/$$tool.1"; \
	    install -m 644 "Completions/bash/$$tool" "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$tool"; \
	    install -m 644 "Completions/zsh/_$$tool" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$tool"; \
	    install -m 644 "Completions/fish/$$tool.fish" "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$tool.fish"; \
	done

clean:
	rm -rf .build .build-fuzz .build-tsan demo-out
