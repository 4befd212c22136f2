#!/usr/bin/env bash
# Masking speed, in one run on one machine, on the >= 1 GB bench database (bench/lib.sh ensure_source):
#   manage-db copy --jobs 2 --masked, 3 masked columns on its largest table (pgbench_accounts, 5 M rows: bid hash,
#   abalance noise, filler name; all three JVM transformers, on every row)
#                                             vs   manage-db copy --jobs 2 (unmasked)        target: <= 1.5x
# pgbench's filler is the same blank text in every row, so its fake name comes from the transformers' memo after the
# first row; a third command masks random_text.payload (2.5 M distinct values) with name as well: a datafaker call
# per row, the worst case. BEFORE_JAR=PATH adds the masked copy of another build (e.g. an older one) as a fourth.
# The commands take turns, round after round, each onto a freshly created, empty target database (not timed);
# medians are compared. Needs a local server you may create databases on (BENCH_URL, default
# postgresql://postgres@127.0.0.1:5432) and pgbench.
# Usage: bench/mask.sh   (RUNS=3 rounds by default; SRC=NAME copies another database that has the two tables, e.g. one
# built by ensure_source with a smaller pgbench scale on a loaded machine)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
src=${SRC:-mdb_bench_src}
dst=mdb_bench_mask
. bench/lib.sh
bench_start "$dst"

[ -n "${SRC:-}" ] || ensure_source "$base" "$src"
psql -X -Atq -d "$base/$src" -c "SELECT 'largest table: ' || relname || ', ' || pg_size_pretty(pg_table_size(oid))
    FROM pg_class WHERE relkind = 'r' ORDER BY pg_table_size(oid) DESC LIMIT 1"

cat >"$work/masking.yml" <<'YAML'
public.pgbench_accounts:
  bid: hash
  abalance: {transformer: noise, percent: 5}
  filler: {transformer: name, part: last}
YAML
{ cat "$work/masking.yml"; printf 'public.random_text:\n  payload: {transformer: name, part: last}\n'; } \
    >"$work/distinct.yml"
export SRC_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups" \
    MANAGE_DB_MASKING_FILE="$work/masking.yml" MANAGE_DB_MASKING_SECRET="bench secret"
names=("manage-db copy --jobs 2" "manage-db copy --jobs 2 --masked" "--masked, + 2.5 M distinct names")
[ -z "${BEFORE_JAR:-}" ] || names+=("--masked, BEFORE_JAR")
copy() {
    bin/manage-db copy --from src --to dst -y --no-safety-backup -q --jobs 2 "$@"
}
run() {
    case $1 in
        0) copy ;;
        1) copy --masked ;;
        2) MANAGE_DB_MASKING_FILE="$work/distinct.yml" copy --masked ;;
        3) MANAGE_DB_JAR=$BEFORE_JAR copy --masked ;;
    esac
}
turns "$runs" "$base" "$dst" "$work/times" "${names[@]}"
medians "$work/times" "${names[@]}" -- 'masked / unmasked (target <= 1.5)|med[1] / med[0]' \
    'masked with 2.5 M distinct names / unmasked|med[2] / med[0]'
