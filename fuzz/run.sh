#!/bin/sh
# fuzz/run.sh [SECONDS]: build every fuzz target with clang's libFuzzer,
# ASan and UBSan, and run each for SECONDS (default 60) on its corpus.
# Needs clang and libclang-rt-14-dev (Debian). A crash stops the run with
# the input saved as fuzz-build/crash-*; turn each into a unit test.
set -e
secs=${1:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/fuzz-build
command -v clang >/dev/null || { echo "fuzz: clang is missing (apt-get install clang libclang-rt-14-dev)"; exit 77; }
mkdir -p "$build"
cd "$build"
[ -f config.h ] || "$src/configure" -q CC=clang --without-cmocka >/dev/null
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$build -I$src/lib"
libs=$(pkg-config --cflags --libs libproc2 json-c zlib yaml-0.1)
for t in "$src"/fuzz/fuzz_${FUZZ_ONLY:-}*.c; do
	name=$(basename "$t" .c)
	# shellcheck disable=SC2086
	clang $flags -o "$name" "$t" "$src"/lib/*.c $libs
	corpus=$src/fuzz/corpus/${name#fuzz_}
	mkdir -p "$build/corpus-$name"
	echo "fuzz: $name for ${secs}s"
	./"$name" -max_total_time="$secs" -timeout=5 -print_final_stats=1 \
		"$build/corpus-$name" "$corpus" 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix)' || true
	for f in crash-* leak-* timeout-*; do
		[ -e "$f" ] || continue
		echo "fuzz: $name found a crash: $build/$f"
		exit 1
	done
done
echo "fuzz: no crash"
