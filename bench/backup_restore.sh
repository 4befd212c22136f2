#!/usr/bin/env bash
# Backup and restore speed against the PostgreSQL tools themselves, in one run on one machine.
#   manage-db backup            vs  pg_dump -Fc -f FILE                    target: <= 1.10x
#   manage-db restore           vs  pg_restore -d EMPTY (single job)       target: <= 1.05x
#   manage-db restore --jobs 2  vs  pg_restore -d EMPTY (single job)       target: <= 0.85x
#   and, for reference, what pg_restore --jobs 2 itself reaches against its single job on this machine (on 2 cores
#   the load is CPU-bound: two jobs share the cores with their own decompression), and manage-db --jobs 2 against it
#   peak RSS of the manage-db JVM                                          target: <= 256 MB
# Builds a >= 1 GB database that does not compress to nothing: pgbench at scale 50 plus a table of random text.
# The commands take turns, round after round, so that a drifting machine slows all of them alike; medians are
# compared. pg_restore gets a freshly created empty database; manage-db restores into an environment whose database
# does not exist (dropped before each run, not timed), as a restore onto a new server does.
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432),
# pgbench and GNU time (apt-get install time).
# Usage: bench/backup_restore.sh   (RUNS=3 rounds; KEEP=1 keeps the source database for reruns; SRC=NAME names it,
# mdb_bench_src by default; MANAGE_DB_JAR picks another jar)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
src=${SRC:-mdb_bench_src}
dst=${DST:-mdb_bench_dst}
. bench/lib.sh
bench_start "$dst"

ensure_source "$base" "$src"

export BENCH_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups"
mdb=bin/manage-db
$mdb backup -e bench -q
dump=$(ls "$work"/backups/*.dump | head -1)
drop() {
    psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)"
}
names=("pg_dump -Fc" "manage-db backup" "pg_restore" "manage-db restore" "manage-db restore --jobs 2"
    "pg_restore --jobs 2")
run() {
    case $1 in
        0) pg_dump -Fc -f "$work/pg.dump" -d "$base/$src" ;;
        1) $mdb backup -e bench -q -o "$work/mdb.dump" ;;
        2) pg_restore --no-owner --no-acl --exit-on-error -d "$base/$dst" "$dump" ;;
        3) $mdb restore "$dump" -e dst -y --no-safety-backup -q ;;
        4) $mdb restore "$dump" -e dst -y --no-safety-backup -q --jobs 2 ;;
        5) pg_restore --no-owner --no-acl --exit-on-error --jobs 2 -d "$base/$dst" "$dump" ;;
    esac
}
for round in $(seq "$runs"); do
    for i in "${!names[@]}"; do
        rm -f "$work/pg.dump" "$work/mdb.dump" "$work/mdb.dump.json"
        if [ "$i" -ge 2 ]; then
            drop
            [ "$i" != 2 ] && [ "$i" != 5 ] || psql -X -q -d "$base/postgres" -c "CREATE DATABASE $dst"
        fi
        settle
        echo "round $round: ${names[$i]}: $(timed "$i" "$work/times" run "$i" | cut -c1-6) s" >&2
    done
done

echo "== peak RSS of the manage-db JVM" >&2
rm -f "$work/mdb.dump" "$work/mdb.dump.json"
/usr/bin/time -f "%M" -o "$work/rss-backup" $mdb backup -e bench -q -o "$work/mdb.dump"
drop
/usr/bin/time -f "%M" -o "$work/rss-restore" $mdb restore "$dump" -e dst -y --no-safety-backup -q

medians "$work/times" "${names[@]}" -- \
    'backup / pg_dump -Fc (target <= 1.10)|med[1] / med[0]' \
    'restore / pg_restore (target <= 1.05)|med[3] / med[2]' \
    'restore --jobs 2 / pg_restore (target <= 0.85)|med[4] / med[2]' \
    'pg_restore --jobs 2 / pg_restore (the tool itself, for reference)|med[5] / med[2]' \
    'restore --jobs 2 / pg_restore --jobs 2|med[4] / med[5]'
for k in backup restore; do
    echo "peak RSS $k: $(( $(tail -1 "$work/rss-$k") / 1024 )) MB (target <= 256)"
done
echo "backup size: $(( $(stat -c %s "$dump") / 1048576 )) MB"
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
