#!/usr/bin/env bash
# Per-object costs, on the many-objects database: 2,000 tables with 3 rows each plus 20 tables of 100,000 rows.
#   manage-db backup            vs  pg_dump -Fc -f FILE                              target: <= 1.5x
#   manage-db restore           vs  pg_restore -d EMPTY                              target: <= 1.5x
#   manage-db copy --jobs 1     vs  pg_dump -Fc | pg_restore -d EMPTY                target: <= 1.5x
#   manage-db copy --jobs 2     vs  manage-db copy --jobs 1                          target: <= 1
# The commands take turns, round after round (A B C ... A B C ...), so that a machine whose speed drifts (shared
# CPUs) slows all of them alike; medians are compared. Every restore or copy starts from a freshly created, empty
# target database (not timed; manage-db replaces it through a scratch database and a swap, which is timed: dropping
# the replaced database forces a checkpoint), and once more into an environment whose database does not exist.
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432).
# Usage: bench/objects.sh   (RUNS=5 rounds; KEEP=1 keeps the source database; SRC=NAME and DST=NAME name the
# databases, mdb_bench_objects and mdb_bench_objects_dst by default; MANAGE_DB_JAR picks another jar)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
src=${SRC:-mdb_bench_objects}
dst=${DST:-mdb_bench_objects_dst}
. bench/lib.sh
bench_start "$dst"

ensure_objects "$base" "$src"
export OBJ_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups"
mdb=bin/manage-db
bin/manage-db backup -e obj -q
dump=$(ls "$work"/backups/*.dump | head -1)
fresh() {
    psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" -c "CREATE DATABASE $dst"
    settle
}
names=("pg_dump -Fc" "manage-db backup" "pg_restore" "manage-db restore" "manage-db restore --jobs 2"
       "pg_dump -Fc piped to pg_restore" "manage-db copy --jobs 1" "manage-db copy --jobs 2"
       "manage-db restore (no target database)")
run() {
    case $1 in
        0) pg_dump -Fc -f "$work/pg.dump" -d "$base/$src" ;;
        1) $mdb backup -e obj -q -o "$work/mdb.dump" ;;
        2) pg_restore --no-owner --no-acl --exit-on-error -d "$base/$dst" "$dump" ;;
        3) $mdb restore "$dump" -e dst -y --no-safety-backup -q ;;
        4) $mdb restore "$dump" -e dst -y --no-safety-backup -q --jobs 2 ;;
        5) pg_dump -Fc -d "$base/$src" | pg_restore --no-owner --no-acl --exit-on-error -d "$base/$dst" ;;
        6) $mdb copy --from obj --to dst -y --no-safety-backup -q --jobs 1 ;;
        7) $mdb copy --from obj --to dst -y --no-safety-backup -q --jobs 2 ;;
        8) $mdb restore "$dump" -e dst -y --no-safety-backup -q ;;
    esac
}
for round in $(seq "$runs"); do
    for i in "${!names[@]}"; do
        rm -f "$work/pg.dump" "$work/mdb.dump" "$work/mdb.dump.json"
        [ "$i" -lt 2 ] || fresh
        [ "$i" != 8 ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE $dst"
        settle
        echo "round $round: ${names[$i]}: $(timed "$i" "$work/times" run "$i" | cut -c1-6) s" >&2
    done
done
medians "$work/times" "${names[@]}" -- \
    'backup / pg_dump -Fc (target <= 1.5)|med[1] / med[0]' \
    'restore / pg_restore (target <= 1.5)|med[3] / med[2]' \
    'restore --jobs 2 / pg_restore|med[4] / med[2]' \
    'restore with no target database / pg_restore|med[8] / med[2]' \
    'copy --jobs 1 / pg_dump piped to pg_restore (target <= 1.5)|med[6] / med[5]' \
    'copy --jobs 2 / copy --jobs 1 (target <= 1)|med[7] / med[6]'
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
