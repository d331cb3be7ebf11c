#!/usr/bin/env bash
# Builds the libFuzzer targets in bench/fuzz and runs each for FUZZ_SECONDS (600), two at a time, with a
# seed corpus from Tests/Fixtures. Findings (crashes, timeouts, out-of-memory) land in
# bench/fuzz/findings/TARGET/; keep each one as a regression input under Tests/Fixtures/fuzz/TARGET/.
# Usage: bench/fuzz.sh [TARGET…]   (default: all six)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-600}"
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(fuzz-meta fuzz-twilio fuzz-email fuzz-html fuzz-widget fuzz-feed)

scripts/install-system-deps.sh
swift build -c release --package-path bench/fuzz --scratch-path bench/fuzz/.build \
    -Xswiftc -sanitize=fuzzer,address
bin=bench/fuzz/.build/release

seed() {
    local target=$1 corpus=bench/fuzz/corpus/$1
    mkdir -p "$corpus"
    case $target in
        fuzz-meta)
            for file in Tests/Fixtures/messenger/*.json Tests/Fixtures/whatsapp/*.json; do
                cp "$file" "$corpus/$(basename "$(dirname "$file")")-$(basename "$file")"
            done ;;
        fuzz-twilio) cp Tests/Fixtures/twilio/*.form "$corpus"/ ;;
        fuzz-email)
            # The first line of each input is its boundary (the fixture's first line without the leading --).
            for file in Tests/Fixtures/sendgrid/*.multipart; do
                { head -n1 "$file" | tr -d '\r' | sed 's/^--//'; cat "$file"; } > "$corpus/$(basename "$file")"
            done ;;
        fuzz-html) printf '<p>Szia,</p><div class="gmail_quote"><blockquote>régi</blockquote></div>' > "$corpus/quote.html"
            printf '<p>Első</p><p>második&nbsp;&amp; <b>harmadik</b></p><script>x()</script>' > "$corpus/description.html" ;;
        fuzz-widget) printf '{"type":"chat_message","content":"Szia","session_id":"s1"}' > "$corpus/message.json"
            printf '{"type":"ping"}' > "$corpus/ping.json"; printf '{"type":"session_info"}' > "$corpus/info.json" ;;
        fuzz-feed) cp Tests/Fixtures/unas/*.xml "$corpus"/ ;;
    esac
    if [[ -d Tests/Fixtures/fuzz/$target ]]; then cp Tests/Fixtures/fuzz/"$target"/* "$corpus"/ 2>/dev/null || true; fi
}

run() {
    local target=$1 findings=bench/fuzz/findings/$1
    mkdir -p "$findings"
    seed "$target"
    # -timeout: an input that takes a second is a finding (every parser must be linear); -rss_limit_mb bounds memory.
    "$bin/$target" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=262144 \
        -artifact_prefix="$findings/" -print_final_stats=1 "bench/fuzz/corpus/$target" \
        > "$findings/run.log" 2>&1 || true
    echo "$target: $(grep -E '^stat::number_of_executed_units' "$findings/run.log" | awk '{print $2}') runs," \
        "$(ls "$findings" | grep -cv run.log) findings (log: $findings/run.log)"
}

for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    [[ -n "${targets[i + 1]:-}" ]] && run "${targets[i + 1]}" &
    wait
done
