#!/bin/sh
# fuzz/run.sh [SECONDS]: build every fuzz target with clang's libFuzzer,
# ASan and UBSan, and run each for SECONDS (default 60) on its corpus.
# Needs clang and libclang-rt-14-dev (Debian; ./bootstrap
# --install-test-deps installs them). FUZZ_ONLY=NAME runs fuzz_NAME*.
#
# Exits 0 when every target ran its time without a finding; 1 when one
# exited non-zero or left a crash-, leak-, timeout- or oom- file (saved in
# fuzz-build/artifacts-TARGET/: turn each into a unit test); 2 when a
# target does not build or clang is missing. A finding does not stop the
# run: every target runs, and each finding is named at the end.
secs=${1:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/fuzz-build
command -v clang >/dev/null ||
	{ echo "fuzz: clang is missing (./bootstrap --install-test-deps installs clang and libclang-rt-14-dev)"; exit 2; }
mkdir -p "$build"
cd "$build" || exit 2
# config.h: the configured tree's (make fuzz gives its own as
# FUZZ_CONFIG_H; it holds no compiler-specific result), else configure's
# here, in an unconfigured source tree
conf=${FUZZ_CONFIG_H:-$src/config.h}
if [ -f "$conf" ]; then
	cp "$conf" config.h
elif [ ! -f config.h ]; then
	"$src/configure" -q CC=clang --without-cmocka >configure.log 2>&1 ||
		{ cat configure.log; echo "fuzz: configure failed"; exit 2; }
fi
san="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all"
# shellcheck disable=SC2086
cflags="$san -I$build -I$src/lib $(pkg-config --cflags libproc2 json-c zlib yaml-0.1)"
libs=$(pkg-config --libs libproc2 json-c zlib yaml-0.1)

# the library once, instrumented for coverage, then each target linked to it
rm -rf lib
mkdir -p lib
for c in "$src"/lib/*.c "$src"/lib/*/*.c; do
	o=lib/$(basename "$c" .c).o
	# shellcheck disable=SC2086
	clang $cflags -fsanitize=fuzzer-no-link -c -o "$o" "$c" || { echo "fuzz: $c does not build"; exit 2; }
done
# the table a build makes from the man pages (lib/lint/Makemodule.am), when
# the source tree has not been built in place
if [ ! -f "$src/lib/lint/finding_docs.c" ]; then
	awk -f "$src/man/finding-docs.awk" "$src/man/dbpod-lint.1" >finding_docs.c &&
		# shellcheck disable=SC2086
		clang $cflags -fsanitize=fuzzer-no-link -c -o lib/finding_docs.o finding_docs.c ||
		{ echo "fuzz: lib/lint/finding_docs.c does not build"; exit 2; }
fi
rm -f libdbpod-fuzz.a
ar rc libdbpod-fuzz.a lib/*.o || exit 2

found=
for t in "$src"/fuzz/fuzz_${FUZZ_ONLY:-}*.c; do
	name=$(basename "$t" .c)
	# shellcheck disable=SC2086
	clang $cflags -fsanitize=fuzzer -o "$name" "$t" libdbpod-fuzz.a $libs ||
		{ echo "fuzz: $name does not build"; exit 2; }
	corpus=$src/fuzz/corpus/${name#fuzz_}
	art=$build/artifacts-$name
	rm -rf "$art"
	mkdir -p "$build/corpus-$name" "$art"
	./"$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/" "$build/corpus-$name" "$corpus" >"$build/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$name.log")
	echo "fuzz: $name: ${runs:-no} runs in ${secs}s, exit $rc"
	bad=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \))
	if [ "$rc" != 0 ] || [ -n "$bad" ] || [ -z "$runs" ]; then
		grep -E -A12 '^==[0-9]+==|^SUMMARY|ERROR: libFuzzer|runtime error' "$build/$name.log" | head -n 30
		found="$found
  $name (exit $rc; log $build/$name.log)${bad:+
    $(echo $bad)}"
	fi
done
if [ -n "$found" ]; then
	echo "fuzz: findings:$found"
	exit 1
fi
echo "fuzz: no finding"
