# Qingling - build, test and run.  See README.md.
#
#   make            build build/qingling (and the web UI when web/ has one)
#   make test       every test: unit, API on SQLite and PostgreSQL, ASan+UBSan
#   make demo       build, create data/demo.db with demo data, serve it
#   make asan       build build-asan/qingling with AddressSanitizer + UBSan

PKGS     := libmicrohttpd jansson sqlite3 libpq libsodium libcrypto libzip expat xlsxwriter \
            cairo pangocairo gdk-pixbuf-2.0
CC       ?= cc
OPT      ?= -O2 -g
# SAN: sanitizer flags for the ASan + UBSan build (see `asan`).
SAN      ?=
CFLAGS   := $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Isrc \
            $(shell pkg-config --cflags $(PKGS))
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lpthread -lm
LDFLAGS  += $(SAN)

BUILD    ?= build
SRC      := $(wildcard src/lib/*.c src/core/*.c src/store/*.c src/api/*.c src/io/*.c src/cli/*.c)
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
OBJ      := $(SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o
LIB_OBJ  := $(filter-out $(BUILD)/obj/main.o,$(OBJ))

.PHONY: all test unit unit-pg api-sqlite api-pg asan asan-test asan-test-pg demo clean bootstrap format web web-test bench
all: $(BUILD)/qingling web

$(BUILD)/qingling: $(BUILD)/obj/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-migrations
	@mkdir -p $(dir $@)
	scripts/embed-migrations $@ $(MIGRATIONS)

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# --- the web interface (web/: Vue 3 + Element Plus + ECharts, built by Vite) --
# `npm ci` installs exactly the committed lock file from the npm registry.
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js

web: web/dist/index.html

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	cd web && npm run build

# The browser tests: headless Chromium driven by playwright-core against a
# real server on a fresh demo database.
web-test: $(BUILD)/qingling web
	node web/tests/e2e.mjs --bin $(BUILD)/qingling

# --- unit tests (cmocka) ----------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

# pg_*.c: the PostgreSQL side, run by `unit-pg` with QL_TEST_PG (a URI).
PG_UNIT_SRC := $(wildcard tests/unit/pg_*.c)
PG_UNIT_BIN := $(PG_UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

unit: $(UNIT_BIN) $(PG_UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do $$t; done

unit-pg: $(PG_UNIT_BIN)
	@set -e; for t in $(PG_UNIT_BIN); do $$t; done

# --- API tests through real HTTP --------------------------------------------
api-sqlite: $(BUILD)/qingling
	python3 tests/api/suite.py --bin $(BUILD)/qingling --backend sqlite

api-pg: $(BUILD)/qingling
	python3 tests/api/suite.py --bin $(BUILD)/qingling --backend pg

# --- AddressSanitizer + UBSan build running the suite -------------------------
ASAN_MAKE := $(MAKE) BUILD=build-asan OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

asan:
	$(ASAN_MAKE) build-asan/qingling

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

asan-test: asan
	$(ASAN_MAKE) unit
	$(ASAN_ENV) python3 tests/api/suite.py --bin build-asan/qingling --backend sqlite

# The same suite on PostgreSQL (its own throwaway cluster), for pg.c.
asan-test-pg: asan
	$(ASAN_ENV) python3 tests/api/suite.py --bin build-asan/qingling --backend pg

# The one command that runs every test (README).
test:
	scripts/bootstrap
	$(MAKE) all
	scripts/run-tests

bootstrap:
	scripts/bootstrap

# Benchmarks on a generated province (bench/run; not part of `make test`).
# BENCH_ENTERPRISES, BENCH_HAZARDS and BENCH_REQUESTS scale it down.
bench:
	scripts/bootstrap
	$(MAKE) $(BUILD)/qingling
	python3 bench/run

demo:
	scripts/bootstrap
	$(MAKE) all
	scripts/demo

format:
	clang-format -i src/*/*.c src/*/*.h src/*.c tests/unit/*.c

clean:
	rm -rf build build-asan web/dist
