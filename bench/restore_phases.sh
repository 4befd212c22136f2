#!/usr/bin/env bash
# Where a restore's time goes, on the >= 1 GB bench database of bench/backup_restore.sh:
#   before   launch to the start of the first pg_restore that restores (JVM, configuration, stamp, lock, scratch
#            database, and the SHA-256 of the backup, which is waited for before the first byte reaches pg_restore)
#   restore  the first pg_restore's start to the last one's end
#   end      the last pg_restore's end to the process's (the counts still running, the swap, the exit)
# each from timestamps written by wrapper scripts around the pg tools (MANAGE_DB_PG_BIN), and what the row counts
# cost: the same backup restored with its manifest as written and with its rowCounts left out (a copy of the
# manifest beside a hard link of the file), in turns. The target database does not exist before each run (dropped,
# not timed).
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432).
# Usage: bench/restore_phases.sh   (RUNS=5 rounds; JOBS=2 restores with --jobs 2; SRC=NAME and KEEP=1 as in
# bench/backup_restore.sh; PG_BIN=DIR names the directory of the real pg tools, else the newest
# /usr/lib/postgresql/*/bin, else the one pg_restore is found in)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
src=${SRC:-mdb_bench_src}
dst=${DST:-mdb_bench_dst}
. bench/lib.sh
bench_start "$dst"
ensure_source "$base" "$src"

real=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
real=${real:-$(dirname "$(command -v pg_restore)")}
wrappers="$work/pgbin"
mkdir "$wrappers"
for tool in pg_restore pg_dump psql; do
    cat >"$wrappers/$tool" <<EOF
#!/bin/sh
echo "\$(date +%s.%N) start \$*" >>"$work/log"
"$real/$tool" "\$@"
rc=\$?
echo "\$(date +%s.%N) end" >>"$work/log"
exit \$rc
EOF
    chmod +x "$wrappers/$tool"
done

export BENCH_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst"
mdb=bin/manage-db
MANAGE_DB_BACKUP_DIR="$work/counted" $mdb backup -e bench -q
dump=$(ls "$work"/counted/*.dump | head -1)
mkdir "$work/uncounted"
ln "$dump" "$work/uncounted/"
python3 - "$dump.json" "$work/uncounted/$(basename "$dump").json" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
manifest["rowCounts"] = None
json.dump(manifest, open(sys.argv[2], "w"), indent=2)
PY

variants=(counted uncounted)
for round in $(seq "$runs"); do
    for v in 0 1; do
        dir="$work/${variants[$v]}"
        psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)"
        settle
        : >"$work/log"
        start=$(date +%s.%N)
        MANAGE_DB_PG_BIN="$wrappers" MANAGE_DB_BACKUP_DIR="$dir" \
            $mdb restore "$dir/$(basename "$dump")" -e dst -y --no-safety-backup -q --jobs "${JOBS:-1}"
        end=$(date +%s.%N)
        first=$(grep ' start ' "$work/log" | grep -v -- ' --list' | head -1 | cut -d' ' -f1)
        last=$(grep ' end$' "$work/log" | tail -1 | cut -d' ' -f1)
        {
            echo "$v $(echo "$end - $start" | bc)"
            echo "$((v + 2)) $(echo "$first - $start" | bc)"
            echo "$((v + 4)) $(echo "$last - $first" | bc)"
            echo "$((v + 6)) $(echo "$end - $last" | bc)"
        } >>"$work/times"
        echo "round $round: ${variants[$v]}: $(echo "$end - $start" | bc | cut -c1-6) s" >&2
    done
done
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
medians "$work/times" "total, row counts in the manifest" "total, none" "before, counted" "before, none" \
    "restore, counted" "restore, none" "end, counted" "end, none" -- \
    'what the row counts cost (s)|med[0] - med[1]' \
    'before the first pg_restore (s)|med[2]'
