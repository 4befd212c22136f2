#!/usr/bin/env bash
# Masking speed, in one run on one machine, on the >= 1 GB bench database (bench/lib.sh ensure_source):
#   manage-db copy --masked (3 masked columns on its largest table, pgbench_accounts: hash, noise and name, all three
#   JVM transformers on every one of its rows)   vs   manage-db copy --jobs 2 (unmasked)      target: <= 1.5x
# The masked copy runs with --jobs 2 too (masking happens in the parallel copy's relay). The commands take turns,
# round after round, each onto a freshly created, empty target database (not timed); medians are compared.
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432) and
# pgbench. Usage: bench/mask.sh   (RUNS=3 rounds by default; SRC=NAME copies another database that has
# pgbench_accounts, e.g. one built with a smaller pgbench scale on a loaded machine)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BENCH_URL:-postgresql://postgres@127.0.0.1:5432}
runs=${RUNS:-3}
src=${SRC:-mdb_bench_src}
dst=mdb_bench_mask
[ -f target/manage-db.jar ] || ./mvnw -q -B package -DskipTests
work=$(mktemp -d /tmp/manage-db-bench.XXXXXX)
trap 'rm -rf "$work"; psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" >/dev/null' EXIT

. bench/lib.sh
[ -n "${SRC:-}" ] || ensure_source "$base" "$src"
psql -X -Atq -d "$base/$src" -c "SELECT 'largest table: ' || relname || ', ' || pg_size_pretty(pg_table_size(oid))
    FROM pg_class WHERE relkind = 'r' ORDER BY pg_table_size(oid) DESC LIMIT 1"

cat >"$work/masking.yml" <<'YAML'
public.pgbench_accounts:
  bid: hash
  abalance: {transformer: noise, percent: 5}
  filler: {transformer: name, part: last}
YAML
export SRC_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups" \
    MANAGE_DB_MASKING_FILE="$work/masking.yml" MANAGE_DB_MASKING_SECRET="bench secret"
names=("manage-db copy --jobs 2" "manage-db copy --jobs 2 --masked")
run() {
    case $1 in
        0) bin/manage-db copy --from src --to dst -y --no-safety-backup -q --jobs 2 ;;
        1) bin/manage-db copy --from src --to dst -y --no-safety-backup -q --jobs 2 --masked ;;
    esac
}
for round in $(seq "$runs"); do
    for i in "${!names[@]}"; do
        psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" -c "CREATE DATABASE $dst"
        sync
        echo "round $round: ${names[$i]}: $(timed "$i" "$work/times" run "$i" | cut -c1-6) s" >&2
    done
done
medians "$work/times" "${names[@]}" -- 'masked / unmasked (target <= 1.5)|med[1] / med[0]'
