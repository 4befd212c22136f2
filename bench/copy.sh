#!/usr/bin/env bash
# Copy speed, in one run on one machine, on a >= 1 GB database that does not compress to nothing:
#   manage-db copy --jobs 1   vs  pg_dump -Fc SRC | pg_restore -d DST      target: <= 1.10x
#   manage-db copy --jobs 2   and pgcopydb clone --table-jobs 2 --index-jobs 2 (Debian package pgcopydb)
#                                                                          target: best manage-db faster than pgcopydb
# The commands take turns, round after round, so that a machine whose speed drifts (shared CPUs) slows all of them
# alike; each run starts from a freshly created, empty target database (not timed). Medians are compared.
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432),
# pgbench and pgcopydb (apt-get install pgcopydb).
# Then the same onto a target that already holds data (the previous run's copy): manage-db copy replaces it through a
# scratch database and a swap; pgcopydb needs an empty target, so its figure includes the dropdb and createdb it needs
# first.                                                                  target: best manage-db faster than pgcopydb
# Usage: bench/copy.sh   (RUNS=5 rounds by default; PARTS=held runs only the second part; KEEP=1 keeps the source database for reruns; DST=NAME names the
# target, mdb_bench_copy by default; SRC=NAME copies
# another existing database instead, e.g. SRC=mdb_bench_objects after bench/objects.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-5}
src=${SRC:-mdb_bench_src}
dst=${DST:-mdb_bench_copy}
command -v pgcopydb >/dev/null || { echo "pgcopydb not found: apt-get install pgcopydb" >&2; exit 3; }
. bench/lib.sh
bench_start "$dst"

[ -n "${SRC:-}" ] || ensure_source "$base" "$src"

export SRC_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups"
names=("pg_dump | pg_restore" "manage-db copy --jobs 1" "manage-db copy --jobs 2" "java -jar manage-db.jar copy --jobs 2"
       "pgcopydb clone")
run() {
    case $1 in
        0) pg_dump -Fc -d "$base/$src" | pg_restore --no-owner --no-acl --exit-on-error -d "$base/$dst" ;;
        1) bin/manage-db copy --from src --to dst -y --no-safety-backup -q --jobs 1 ;;
        2) bin/manage-db copy --from src --to dst -y --no-safety-backup -q --jobs 2 ;;
        3) java -jar "${MANAGE_DB_JAR:-$root/target/manage-db.jar}" copy --from src --to dst -y --no-safety-backup -q --jobs 2 ;;
        4) rm -rf "$work/pgcopydb"
           pgcopydb clone --no-owner --no-acl --dir "$work/pgcopydb" --source "$base/$src" --target "$base/$dst" \
               --table-jobs 2 --index-jobs 2 --notice >"$work/pgcopydb.log" 2>&1 ;;
        5) dropdb --maintenance-db="$base/postgres" --force "$dst" && createdb --maintenance-db="$base/postgres" "$dst" \
               && run 4 ;;
    esac
}
[ "${PARTS:-all}" = held ] || turns "$runs" "$base" "$dst" "$work/times" "${names[@]}"

echo "== onto a target that already holds data" >&2
held=("manage-db copy --jobs 1" "manage-db copy --jobs 2" "dropdb + createdb + pgcopydb clone")
held_case=(1 2 5)
psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" -c "CREATE DATABASE $dst"
run 1 >/dev/null # the target now holds a full copy, and does again after every run below
for round in $(seq "$runs"); do
    for i in "${!held[@]}"; do
        settle
        echo "round $round: ${held[$i]} (target holds data): $(timed "$i" "$work/held" run "${held_case[$i]}" \
            | cut -c1-6) s" >&2
    done
done

medians "$work/held" "${held[@]}" -- \
    'target holds data: best manage-db / (dropdb + createdb + pgcopydb) (target < 1)|min(med[0], med[1]) / med[2]'
[ "${PARTS:-all}" = held ] || medians "$work/times" "${names[@]}" -- \
    'manage-db --jobs 1 / pipe (target <= 1.10)|med[1] / med[0]' \
    'best manage-db / pgcopydb (target < 1)|min(med[1], med[2], med[3]) / med[4]'
[ -n "${KEEP:-}${SRC:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
