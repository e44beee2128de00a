# triage — returns-inspection station.
#
#   make run     build, seed a demo station into ./var on first start, open it
#                (CONFIG=FILE to use a configuration, ARGS=--fullscreen, ARGS=--lang zh)
#   make test    build and run every test (installs what it lacks)
#   make check   the tests again under AddressSanitizer + UBSan
#   make bench   speed figures: lines "bench <name> <value> <unit>"
#   make fuzz    libFuzzer targets, a short run each (clang)
#   make install the station as a service: binary, systemd unit, user, udev rules, config
#                (PREFIX=/usr/local, DESTDIR=)
#   make deb     the same as a Debian package in $(BUILD)/

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
VAR     ?= var

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP
ifneq ($(SAN),)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# ---- layers ---------------------------------------------------------------
# One static library per layer. Each layer compiles with the include paths of
# the layers it may use and the packages it may use, and nothing else, so a
# wrong tie fails the build; tests/layers.sh also refuses system headers that
# sit in /usr/include for everybody (sqlite3.h, zint.h, pthread.h, …).
#
#   base     app/base       libc and pthread: text, log, buffers, files, workers
#   core     app/core       base + cJSON: the station's decisions, pure C
#   store    app/store      core + SQLite, libsodium, libcsv: the only SQL
#   drivers  drivers/*      core + libusb, zint, SDL2_ttf, CUPS, GStreamer: scanners,
#                           printers, labels, the camera
#   ui       ui             core + SDL2: screens drawn from the core's view model
#   sync     sync           store + libpq, libsodium: outcomes to head office
#   app      app            everything: command line, main loop, config, workers
pc = $(shell pkg-config --$(1) $(2) 2>/dev/null)

INC_base    := -Iapp/base
INC_core    := $(INC_base) -Iapp/core
INC_store   := $(INC_core) -Iapp/store
INC_drivers := $(INC_core) -Idrivers/scanner -Idrivers/printer -Idrivers/label -Idrivers/camera
INC_ui      := $(INC_core) -Iui
INC_sync    := $(INC_store) -Isync
INC_app     := $(INC_store) -Idrivers/scanner -Idrivers/printer -Idrivers/label -Idrivers/camera -Iui -Isync -Iapp

PKG_base    :=
PKG_core    := libcjson
PKG_store   := $(PKG_core) sqlite3 libsodium
PKG_drivers := $(PKG_core) libusb-1.0 sdl2 SDL2_ttf SDL2_image gstreamer-1.0 gstreamer-app-1.0
PKG_ui      := $(PKG_core) sdl2 SDL2_ttf SDL2_image
PKG_sync    := $(PKG_core) libsodium libpq
PKG_app     := $(sort $(PKG_store) $(PKG_drivers) $(PKG_ui) $(PKG_sync) inih libsystemd)

LIBS_base    := -lpthread
LIBS_core    := $(call pc,libs,$(PKG_core)) -lm $(LIBS_base)
LIBS_app     := $(call pc,libs,$(PKG_app)) -lzint -lcsv -lcups -lpthread -lm

LAYERS := base core store drivers ui sync
SRC_base    := $(wildcard app/base/*.c)
SRC_core    := $(wildcard app/core/*.c)
SRC_store   := $(wildcard app/store/*.c)
SRC_drivers := $(wildcard drivers/*/*.c)
SRC_ui      := $(wildcard ui/*.c)
SRC_sync    := $(wildcard sync/*.c)
SRC_app     := $(filter-out app/main.c,$(wildcard app/*.c))

layer_of = $(firstword $(foreach l,$(LAYERS) app,$(if $(filter $(1),$(SRC_$(l)) app/main.c),$(l))))

# Libraries in link order: a layer before the ones it uses.
LIB_ORDER := app sync ui drivers store core base
LIB_A = $(foreach l,$(LIB_ORDER),$(BUILD)/lib/libtriage_$(l).a)
CORE_A = $(BUILD)/lib/libtriage_core.a $(BUILD)/lib/libtriage_base.a

TEST_SRC  := $(wildcard tests/test_*.c)
# The core's table tests link the core alone: no SQLite, no SDL, no drivers.
CORE_TESTS := test_codes test_rules test_station test_station_states test_station_truth \
              test_station_photo \
              test_stats_core test_utf8 \
              test_atomic_file test_buf test_tz
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER_OBJ := $(BUILD)/tests/harness.o
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test check bench fuzz install deb deps deps-test clean format layers \
        build-station run-tests run-bench

# Keep object files of tests: they are not throwaway intermediates.
.SECONDARY:

# The packages come first, then a second make builds: the flags that pkg-config
# gives are read when a make starts, so the make that installed the packages
# would still link without them.
all: deps
	@$(MAKE) --no-print-directory build-station

build-station: layers $(BUILD)/triage

deps:
	@sh packaging/deps.sh run

deps-test:
	@sh packaging/deps.sh test

layers:
	@sh tests/layers.sh

define layer_rules
$(BUILD)/$(1)/%.o: $(1)/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$(INC_$(2)) $$(call pc,cflags,$$(PKG_$(2))) -c $$< -o $$@
endef
$(eval $(call layer_rules,app/base,base))
$(eval $(call layer_rules,app/core,core))
$(eval $(call layer_rules,app/store,store))
$(eval $(call layer_rules,drivers,drivers))
$(eval $(call layer_rules,ui,ui))
$(eval $(call layer_rules,sync,sync))
$(eval $(call layer_rules,app,app))

$(foreach l,$(LAYERS) app,$(eval OBJ_$(l) := $(SRC_$(l):%.c=$(BUILD)/%.o)))

# The demo rules, compiled in: the station runs with no file at all.
$(BUILD)/gen/builtin_rules.c: demo/rules.json
	@mkdir -p $(dir $@)
	@{ printf '/* Generated from demo/rules.json. */\nconst char rules_builtin_json[] = {\n'; \
	   od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; printf '0};\n'; } > $@

$(BUILD)/gen/builtin_rules.o: $(BUILD)/gen/builtin_rules.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/lib/libtriage_core.a: $(OBJ_core) $(BUILD)/gen/builtin_rules.o
$(foreach l,base store drivers ui sync app,$(eval $(BUILD)/lib/libtriage_$(l).a: $(OBJ_$(l))))
$(BUILD)/lib/%.a:
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

# --as-needed: libpq and libcups are opened when first used (app/base/libload.h),
# not loaded at every start; the binary does not name them.
$(BUILD)/triage: $(BUILD)/app/main.o $(LIB_A)
	$(CC) $(LDFLAGS) -Wl,--as-needed $^ $(LIBS_app) -o $@
	@ln -sf $(BUILD)/triage triage 2>/dev/null || true

TEST_INC := $(INC_app) -Itests
TEST_PKG := $(call pc,cflags,$(PKG_app) umockdev-1.0)

$(BUILD)/tests/harness.o: tests/harness.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -c $< -o $@

$(foreach t,$(CORE_TESTS),$(eval $(BUILD)/tests/$(t).o: CORE_ONLY := 1))
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(if $(CORE_ONLY),$(INC_core) -Itests $(call pc,cflags,$(PKG_core)),$(TEST_INC) $(TEST_PKG)) -c $< -o $@

$(foreach t,$(CORE_TESTS),$(eval $(BUILD)/tests/$(t): $(BUILD)/tests/$(t).o $(TEST_HELPER_OBJ) $(CORE_A) ; \
	$$(CC) $$(LDFLAGS) $$^ $$(LIBS_core) -o $$@))
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_HELPER_OBJ) $(LIB_A)
	$(CC) $(LDFLAGS) $^ $(LIBS_app) $(call pc,libs,umockdev-1.0) -o $@

# Programs that read the X server themselves (screenshots, pixels on screen,
# typing through XTest) link Xlib too.
X11_LIBS := $(call pc,libs,x11 xtst)
$(BUILD)/tests/test_display_x11 $(BUILD)/bench/bench_x11: LIBS_app += $(X11_LIBS)

$(BUILD)/bench/%: tests/bench/%.c $(TEST_HELPER_OBJ) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_INC) $(TEST_PKG) $(LDFLAGS) $^ $(LIBS_app) -o $@

run: all
	@sh packaging/seed-demo.sh $(BUILD)/triage $(VAR)
	$(BUILD)/triage --data $(VAR) $(if $(CONFIG),--config $(CONFIG),--windowed 1280x800 --rules demo/rules.json) $(ARGS)

test: deps-test
	@$(MAKE) --no-print-directory run-tests

run-tests: layers $(BUILD)/triage $(TEST_BIN)
	@BUILD=$(BUILD) sh tests/run.sh $(TEST_BIN)

check:
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 CFLAGS="-O1 -g" test

bench: deps-test
	@$(MAKE) --no-print-directory run-bench

run-bench: $(BUILD)/triage $(BENCH_BIN)
	@BUILD=$(BUILD) sh tests/bench/run.sh $(BENCH_BIN)

fuzz: deps-test
	@sh tests/fuzz/run.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: the station ready to run as a service.
# Directories that systemd and udev search under the prefix (PREFIX/lib/…); the
# configuration is installed only when absent, never over an edited one. Without DESTDIR
# (the live system) it then creates the triage user and /var/lib/triage and tells systemd
# and udev (packaging/postinst).
install: all
	install -D -m 0755 $(BUILD)/triage $(DESTDIR)$(PREFIX)/bin/triage
	install -d -m 0755 $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/udev/rules.d \
	    $(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d \
	    $(DESTDIR)$(PREFIX)/share/doc/triage $(DESTDIR)/etc/triage
	sed 's|/usr/local/bin/triage|$(PREFIX)/bin/triage|' packaging/triage.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/triage.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/triage.service
	install -m 0644 packaging/70-triage-scanners.rules packaging/71-triage-printers.rules \
	    $(DESTDIR)$(PREFIX)/lib/udev/rules.d/
	install -m 0644 packaging/triage.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/triage.conf
	install -m 0644 packaging/triage.tmpfiles $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/triage.conf
	install -m 0644 README.md ERRORS.md $(DESTDIR)$(PREFIX)/share/doc/triage/
	install -m 0644 packaging/triage.conf $(DESTDIR)/etc/triage/triage.conf.example
	@if [ -e $(DESTDIR)/etc/triage/triage.conf ]; then \
	    echo "kept $(DESTDIR)/etc/triage/triage.conf (the new example: triage.conf.example)"; \
	else \
	    echo "install -m 0644 packaging/triage.conf $(DESTDIR)/etc/triage/triage.conf"; \
	    install -m 0644 packaging/triage.conf $(DESTDIR)/etc/triage/triage.conf; \
	fi
ifeq ($(DESTDIR),)
	sh packaging/postinst configure
endif

# make deb: the same files as a Debian package, $(BUILD)/triage_VERSION_ARCH.deb.
deb: all
	@BUILD=$(BUILD) MAKE="$(MAKE)" sh packaging/mkdeb.sh

format:
	clang-format -i app/*.[ch] app/*/*.[ch] drivers/*/*.[ch] ui/*.[ch] sync/*.[ch] tests/*.[ch]

clean:
	rm -rf build triage

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
