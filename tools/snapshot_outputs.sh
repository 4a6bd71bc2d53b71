#!/usr/bin/env bash
# Regenerate every output a refactor must keep byte-identical, into OUT (default
# ./snapshot): suggest --json and inspect over sample_cables/, rules test over the
# bundled rules, suggest --json over every 10th corpus cable,
# apply --accept-all over sample_cables/ (release copies, audit logs, reports), and a
# batch --mode draft over 500 corpus cables. Compare two runs (say, before and after a
# refactor) with `python tools/compare_snapshots.py A B`. Timestamps are pinned where the
# CLI allows (--date, --on, a fixed reviewer); the comparison masks the rest. File modes
# are listed in modes.txt.
set -euo pipefail
OUT=$(realpath -m "${1:-snapshot}")
HERE=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$HERE/../shared/corpus/cables}
rm -rf "$OUT"; mkdir -p "$OUT"
export REVIEWTOOL_REVIEWER=snapshot PYTHONHASHSEED=0
cd "$HERE"
RT="python -m reviewtool"
$RT suggest --json --rules rules sample_cables > "$OUT/suggest-samples.jsonl"
$RT inspect --json sample_cables > "$OUT/inspect-samples.jsonl" 2> "$OUT/inspect.stderr" || true
$RT inspect sample_cables > "$OUT/inspect-samples.txt" 2>> "$OUT/inspect.stderr" || true
$RT rules test rules > "$OUT/rules-test.txt" 2>&1 || true
mkdir -p "$OUT/tenth" "$OUT/c500"
ls "$CORPUS" | sort | awk 'NR % 10 == 1' | while read -r f; do ln -s "$CORPUS/$f" "$OUT/tenth/$f"; done
ls "$CORPUS" | sort | awk 'NR % 10 == 1' | head -500 | while read -r f; do ln -s "$CORPUS/$f" "$OUT/c500/$f"; done
$RT suggest --json --rules rules "$OUT/tenth" > "$OUT/suggest-tenth.jsonl"
$RT apply --rules rules --accept-all --date 2026-01-01 --reviewer snapshot \
    --out "$OUT/apply" sample_cables > "$OUT/apply.stdout" 2> "$OUT/apply.stderr" || echo "apply exit $?" >> "$OUT/apply.stderr"
$RT batch --rules rules --mode draft --on 2026-01-01 --reviewer snapshot --quiet --workers 2 \
    --out "$OUT/batch" "$OUT/c500" > "$OUT/batch.stdout" 2> "$OUT/batch.stderr" || echo "batch exit $?" >> "$OUT/batch.stderr"
rm -rf "$OUT/tenth" "$OUT/c500"
# The output folder named in messages is the run's own: compare runs made elsewhere.
sed -i "s#$OUT#<OUT>#g" "$OUT"/*.stdout "$OUT"/*.stderr
(cd "$OUT" && find . -type f -printf '%m %p\n' | sort > modes.txt)
# SQLite stores are compared by their dumps, not their bytes (page layout varies).
find "$OUT" -name '*.sqlite' | while read -r db; do
    python - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
with open(sys.argv[1] + ".dump", "w") as fh:
    for line in con.iterdump():
        fh.write(line + "\n")
PY
    rm "$db"
done
find "$OUT" \( -name '*-wal' -o -name '*-shm' \) -delete
