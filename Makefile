# triage — returns-inspection station.
#
#   make run     build, seed a demo station into ./var on first start, open it
#                (CONFIG=FILE to use a configuration, ARGS=--fullscreen, ARGS=--lang zh)
#   make test    build and run every test (installs what it lacks)
#   make check   the tests again under AddressSanitizer + UBSan
#   make bench   speed figures: lines "bench <name> <value> <unit>"
#   make fuzz    libFuzzer targets, a short run each (clang)
#   make install the binary, udev rules and systemd unit under $(PREFIX)

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
VAR     ?= var

PKGS    := sdl2 SDL2_ttf SDL2_image sqlite3 libsodium inih libcjson libusb-1.0 libpq
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP -Iapp -Idrivers -Iui -Isync
LDLIBS  :=
ifneq ($(SAN),)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# pkg-config answers once the packages are there (packaging/deps.sh puts them there).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lzint -lcsv -lcups -lpthread -lm

LIB_SRC  := $(sort $(filter-out app/main.c,$(wildcard app/*.c)) $(wildcard drivers/*.c) \
            $(wildcard ui/*.c) $(wildcard sync/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ  := $(BUILD)/gen/builtin_rules.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER_OBJ := $(BUILD)/tests/harness.o
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test check bench fuzz install deps deps-test clean format

# Keep object files of tests: they are not throwaway intermediates.
.SECONDARY:

all: deps $(BUILD)/triage

deps:
	@sh packaging/deps.sh run

deps-test:
	@sh packaging/deps.sh test

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# The demo rules, compiled in: the station runs with no file at all.
$(BUILD)/gen/builtin_rules.c: demo/rules.json
	@mkdir -p $(dir $@)
	@{ printf '/* Generated from demo/rules.json. */\nconst char rules_builtin_json[] = {\n'; \
	   od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; printf '0};\n'; } > $@

$(BUILD)/gen/builtin_rules.o: $(BUILD)/gen/builtin_rules.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libtriage.a: $(LIB_OBJ) $(GEN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/triage: $(BUILD)/app/main.o $(BUILD)/libtriage.a
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -o $@
	@ln -sf $(BUILD)/triage triage 2>/dev/null || true

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_HELPER_OBJ) $(BUILD)/libtriage.a
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) $(shell pkg-config --libs umockdev-1.0 2>/dev/null) -o $@

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(PKG_CFLAGS) $(shell pkg-config --cflags umockdev-1.0 2>/dev/null) -c $< -o $@

$(BUILD)/bench/%: tests/bench/%.c $(TEST_HELPER_OBJ) $(BUILD)/libtriage.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(PKG_CFLAGS) $(LDFLAGS) $^ $(PKG_LIBS) -o $@

run: all
	@sh packaging/seed-demo.sh $(BUILD)/triage $(VAR)
	$(BUILD)/triage --data $(VAR) $(if $(CONFIG),--config $(CONFIG),--windowed 1280x800) $(ARGS)

test: deps-test $(BUILD)/triage $(TEST_BIN)
	@BUILD=$(BUILD) sh tests/run.sh $(TEST_BIN)

check:
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 CFLAGS="-O1 -g" test

bench: deps-test $(BUILD)/triage $(BENCH_BIN)
	@BUILD=$(BUILD) sh tests/bench/run.sh $(BENCH_BIN)

fuzz: deps-test
	@sh tests/fuzz/run.sh

install: all
	install -D -m 0755 $(BUILD)/triage $(DESTDIR)$(PREFIX)/bin/triage
	install -D -m 0644 packaging/70-triage-scanners.rules $(DESTDIR)/etc/udev/rules.d/70-triage-scanners.rules
	install -D -m 0644 packaging/71-triage-printers.rules $(DESTDIR)/etc/udev/rules.d/71-triage-printers.rules
	install -d $(DESTDIR)/etc/systemd/system
	sed 's|/usr/local/bin/triage|$(PREFIX)/bin/triage|' packaging/triage.service > $(DESTDIR)/etc/systemd/system/triage.service
	install -D -m 0644 packaging/triage.conf $(DESTDIR)/etc/triage/triage.conf.example

format:
	clang-format -i app/*.[ch] drivers/*.[ch] ui/*.[ch] sync/*.[ch] tests/*.[ch]

clean:
	rm -rf build triage

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
