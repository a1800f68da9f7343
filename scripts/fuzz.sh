#!/usr/bin/env bash
# Long fuzzing run (RELIABILITY.md, area 2). Three parts, each bounded, all on this machine only:
#  1. libFuzzer (-sanitize=fuzzer,address) over the framing decoders + dispatcher + every method on an
#     in-memory store (Tests/Fuzz/FuzzEntry.swift + Tests/ReliabilityTests/FuzzHarness.swift), built
#     in its own folder .build-fuzz, seeded from Tests/Fuzz/corpus; new inputs go to .build-fuzz/corpus,
#     crashes to .build-fuzz/artifacts.
#  2. the same harness replaying the corpus + a large seeded batch of mutations (no sanitizer).
#  3. the stream fuzzer over the real socket, both framings.
#   scripts/fuzz.sh [SECONDS]    libFuzzer time, default 300; FUZZ_REPLAY (200000) and
#                                FUZZ_STREAM (20000) size parts 2 and 3; SKIP_LIBFUZZER=1 skips part 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
fuzz=.build-fuzz
status=0

if [ "${SKIP_LIBFUZZER:-0}" != 1 ]; then
    echo "== libFuzzer: building in $fuzz"
    swift build --scratch-path "$fuzz" --sanitize fuzzer --sanitize address --target ReliabilityTests >/dev/null
    bin="$(swift build --scratch-path "$fuzz" --show-bin-path)"
    # Every compiled library module the harness needs (the test target's own objects excluded).
    mapfile -t objects < <(find "$bin" -path '*.build/*.o' ! -path '*/ReliabilityTests.build/*' | sort)
    flags=()
    while IFS= read -r map; do flags+=(-Xcc "-fmodule-map-file=$map"); done < <(
        { find "$bin" -maxdepth 2 -name module.modulemap; find "$fuzz/checkouts" -path '*/include/module.modulemap' -o -path '*/GRDBSQLite/module.modulemap'; } | sort -u)
    while IFS= read -r inc; do flags+=(-Xcc "-I$inc"); done < <(find "$fuzz/checkouts" -type d -name include | sort -u)
    swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -g -module-name WorkbookFuzz \
        -I "$bin/Modules" "${flags[@]}" \
        Tests/Fuzz/FuzzEntry.swift Tests/ReliabilityTests/FuzzHarness.swift "${objects[@]}" -lsqlite3 \
        -o "$fuzz/workbook-fuzz" > "$fuzz/link.log" 2>&1 || { grep -v "Cannot export local symbol" "$fuzz/link.log"; exit 1; }
    mkdir -p "$fuzz/corpus" "$fuzz/artifacts"
    echo "== libFuzzer: running for ${seconds}s"
    set +e
    "$fuzz/workbook-fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -dict=Tests/Fuzz/rpc.dict -artifact_prefix="$fuzz/artifacts/" -print_final_stats=1 \
        "$fuzz/corpus" Tests/Fuzz/corpus Tests/Fuzz/regressions > "$fuzz/libfuzzer.log" 2>&1
    rc=$?
    set -e
    runs=$(grep -E "stat::number_of_executed_units" "$fuzz/libfuzzer.log" | grep -oE "[0-9]+$" || echo "?")
    found=$(find "$fuzz/artifacts" -type f | wc -l)
    echo "RELIABILITY libfuzzer: seconds=$seconds inputs=$runs corpus=$(ls "$fuzz/corpus" | wc -l) artifacts=$found exit=$rc"
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then tail -40 "$fuzz/libfuzzer.log"; status=1; fi
fi

build="${BUILD:-.build-rel}"
swift build --build-tests --scratch-path "$build" >/dev/null
echo "== replay + seeded mutations, stream fuzzing over the socket"
WORKBOOK_FUZZ_INPUTS="${FUZZ_REPLAY:-200000}" WORKBOOK_STREAM_INPUTS="${FUZZ_STREAM:-20000}" timeout 3600 \
    swift test --skip-build --scratch-path "$build" --filter 'ReliabilityTests\.(FuzzReplayTests|StreamFuzzTests)' 2>&1 \
    | grep -E "RELIABILITY|error:|Executed [0-9]+ test" | head -50
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
exit "$status"
