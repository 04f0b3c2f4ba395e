# Hramada — build, run and test.
#
#   make            build build/hramada (optimised)
#   make run        install what is missing, build, create the demo database on
#                   first start, serve http://127.0.0.1:8080
#   make test       build with AddressSanitizer + UBSan and run every test
#   make fuzz SECONDS=N   run each libFuzzer harness (tests/fuzz) N seconds
#   make soak       500 SIGKILLs and a 10-minute mixed load (tests/crash)
#
# Plain make, no generator: the whole tree is a few dozen C files, and a
# sanitizer build is just another BUILD directory with other flags.

BUILD   ?= build
CC      ?= cc
PKGS     = libmicrohttpd sqlite3 libsodium jansson libcmark libqrencode liboath libical libcurl vips
TESTPKGS = cmocka libcurl
DB      ?= var/hramada.db
LISTEN  ?= 127.0.0.1:8080

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALLCFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(XCFLAGS) -Isrc -I$(BUILD) \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Snowball's libstemmer (Debian's libstemmer-dev) has no pkg-config file.
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
# The server's allocator: jemalloc (Debian's libjemalloc-dev) served 10-22 %
# more requests a second than glibc's malloc on the main pages, for 2 MB
# more memory (docs/performance.md). Sanitizer builds keep the allocator
# that AddressSanitizer replaces; MALLOC= builds without it.
MALLOC  ?= -ljemalloc

SRC      = $(sort $(wildcard src/core/*.c src/areas/*.c src/areas/*/*.c))
OBJ      = $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
EMBED    = $(sort $(wildcard src/core/*.html src/areas/*/*.html src/sql/*.sql static/* po/*.po))

UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
HTTP_SRC = $(sort $(wildcard tests/http/test_*.c))
BROW_SRC = $(sort $(wildcard tests/browser/test_*.c))
TESTLIB  = $(sort $(wildcard tests/lib/*.c tests/browser/webdriver.c))
TESTBINS = $(UNIT_SRC:%.c=$(BUILD)/%) $(HTTP_SRC:%.c=$(BUILD)/%) $(BROW_SRC:%.c=$(BUILD)/%)

.PHONY: all run test test-bins check format lint clean bootstrap fuzz fuzz-bins fuzz-build soak FORCE
FORCE:
all: $(BUILD)/hramada

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

# The list of embedded files as a file of its own, rewritten only when the
# list changes: a migration or template removed (or renamed) must rebuild
# embedded.c too, and no file's date says so.
$(BUILD)/embed.list: FORCE
	@mkdir -p $(@D)
	@echo '$(EMBED)' | cmp -s - $@ || echo '$(EMBED)' > $@

$(BUILD)/embedded.c: $(BUILD)/embed $(EMBED) $(BUILD)/embed.list
	$(BUILD)/embed $@ "" $(EMBED)

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(ALLCFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libhramada.a: $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/hramada: $(BUILD)/src/main.o $(BUILD)/libhramada.a
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LDLIBS) $(MALLOC)

# Test programs link the whole library; they need cmocka and libcurl too.
$(BUILD)/tests/%: tests/%.c $(BUILD)/libhramada.a $(TESTLIB) $(wildcard tests/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Itests $(shell pkg-config --cflags $(TESTPKGS)) -o $@ $< $(TESTLIB) \
	    $(BUILD)/libhramada.a $(LDLIBS) $(shell pkg-config --libs $(TESTPKGS))

bootstrap:
	@scripts/bootstrap

run: bootstrap
	@$(MAKE) --no-print-directory all
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then \
	    $(BUILD)/hramada init --db $(DB) && $(BUILD)/hramada demo --db $(DB); fi
	$(BUILD)/hramada serve --db $(DB) --listen $(LISTEN)

SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# The browser tests run axe-core and the Nu HTML Checker on every page:
# scripts/checks-install puts them (npm, from tests/checks' lock file) in place.
test: bootstrap
	@scripts/checks-install
	@$(MAKE) --no-print-directory BUILD=build-test CFLAGS="$(SANFLAGS)" MALLOC= test-bins
	@$(MAKE) --no-print-directory fuzz-build
	@BUILD=build-test tests/run

# Fuzzing: the parsers built with clang, libFuzzer, ASan and UBSan into
# build-fuzz/. make test replays each harness's corpus (tests/fuzz/corpus/
# NAME) and fuzzes it a few seconds; make fuzz runs each SECONDS seconds.
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
SECONDS  ?= 60

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZFLAGS)" MALLOC= fuzz-bins

fuzz-bins: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libhramada.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libhramada.a $(LDLIBS)

fuzz: bootstrap fuzz-build
	@tests/fuzz/run fuzz $(SECONDS)

# The long run: 500 kills with a check after each, then ten minutes of mixed
# reads and writes in which no request may fail and memory must stay flat.
# The server is the optimised build (AddressSanitizer's quarantine would
# make its memory grow by design); the driver is the sanitized test program.
soak: bootstrap
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=build-test CFLAGS="$(SANFLAGS)" MALLOC= test-bins
	HRAMADA_BIN=build/hramada HRAMADA_KILLS=500 HRAMADA_SOAK_SECONDS=600 \
	    build-test/tests/http/test_crash

test-bins: $(BUILD)/hramada $(TESTBINS)

format:
	clang-format -i $(SRC) src/main.c $(wildcard src/*/*.h src/areas/*/*.h) tests/*/*.c tests/*/*.h

# jansson's header is read so that its foreach macros are understood. The
# NULL sentinel of variadic test helpers is fine on every platform we build
# for (NULL is a pointer constant in glibc).
lint:
	cppcheck --quiet --enable=warning,style,performance,portability --std=c11 \
	    --suppress=missingIncludeSystem --suppress=varFuncNullUB --inline-suppr \
	    --error-exitcode=1 -Isrc -Itests --include=/usr/include/jansson.h src tests

# The static checks: cppcheck and a clang build with the same warnings.
check: lint
	@$(MAKE) --no-print-directory BUILD=build-clang CC=clang all

clean:
	rm -rf build build-test build-clang build-fuzz

-include $(OBJ:.o=.d) $(BUILD)/src/main.d
