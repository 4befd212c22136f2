#!/usr/bin/env bash
# What reading every data block costs `backup verify`, in one run on one machine:
#   pg_restore --list FILE          reads only the table of contents (what verify ran before; passes a cut file)
#   pg_restore -f /dev/null FILE    reads and decompresses every data block (what verify runs now)
# on a custom-format dump of a pgbench database (scale SCALE, default 10) and on the same dump as a directory
# archive. The commands take turns, round after round, so that a machine whose speed drifts slows all of them alike;
# medians are compared. Also prints `manage-db backup verify` on the custom dump (needs target/manage-db.jar).
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432) and
# pgbench. Usage: bench/verify.sh   (RUNS=7 rounds by default, SCALE=10; the database bench_verify is dropped after)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
scale=${SCALE:-10}
db=bench_verify
. bench/lib.sh
bench_start "$db"

psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
pgbench -q -i -s "$scale" "$base/$db" >/dev/null 2>&1
pg_dump -Fc -f "$work/db.dump" -d "$base/$db"
pg_dump -Fd -f "$work/db.dir" -d "$base/$db"
echo "custom dump: $(du -h "$work/db.dump" | cut -f1), directory: $(du -sh "$work/db.dir" | cut -f1)" >&2

names=("custom: pg_restore --list" "custom: pg_restore -f /dev/null"
       "directory: pg_restore --list" "directory: pg_restore -f /dev/null")
run() {
    case $1 in
        0) pg_restore --list "$work/db.dump" ;;
        1) pg_restore -f /dev/null "$work/db.dump" ;;
        2) pg_restore --list "$work/db.dir" ;;
        3) pg_restore -f /dev/null "$work/db.dir" ;;
    esac
}
for round in $(seq "$runs"); do
    for i in "${!names[@]}"; do
        timed "$i" "$work/times" run "$i" >/dev/null
    done
done
medians "$work/times" "${names[@]}" -- \
    'custom: -f /dev/null costs this many seconds more|med[1] - med[0]' \
    'custom: -f /dev/null / --list|med[1] / med[0]' \
    'directory: -f /dev/null costs this many seconds more|med[3] - med[2]' \
    'directory: -f /dev/null / --list|med[3] / med[2]'
if [ -f target/manage-db.jar ]; then
    start=$(date +%s.%N)
    java -jar target/manage-db.jar backup verify "$work/db.dump" -q >/dev/null 2>&1 || true
    echo "manage-db backup verify (custom, no manifest): $(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) s"
fi
