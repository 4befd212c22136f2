#!/usr/bin/env bash
# Copy speed, in one run on one machine, on a >= 1 GB database that does not compress to nothing:
#   manage-db copy --jobs 1   vs  pg_dump -Fc SRC | pg_restore -d DST      target: <= 1.10x
#   manage-db copy --jobs 2   and pgcopydb clone (Debian package pgcopydb)   target: best manage-db faster than pgcopydb
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432),
# pgbench, hyperfine and pgcopydb (apt-get install hyperfine pgcopydb).
# Usage: bench/copy.sh   (RUNS=3 by default; KEEP=1 keeps the source database for reruns)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=${BENCH_URL:-postgresql://postgres@127.0.0.1:5432}
runs=${RUNS:-3}
src=mdb_bench_src
dst=mdb_bench_copy
[ -f target/manage-db.jar ] || ./mvnw -q -B package -DskipTests
work=$(mktemp -d /tmp/manage-db-bench.XXXXXX)
trap 'rm -rf "$work"; psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" >/dev/null' EXIT

. bench/lib.sh
ensure_source "$base" "$src"

export SRC_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups"
jar="java -jar $root/target/manage-db.jar"
recreate="sh -c \"psql -X -q -d $base/postgres -c 'DROP DATABASE IF EXISTS $dst WITH (FORCE)' -c 'CREATE DATABASE $dst'\""
hyperfine -N --runs "$runs" --export-json "$work/copy.json" \
    --prepare "$recreate" "sh -c 'pg_dump -Fc -d $base/$src | pg_restore --no-owner --no-acl --exit-on-error -d $base/$dst'" \
    --prepare "$recreate" "$jar copy --from src --to dst -y --no-safety-backup -q" \
    --prepare "$recreate" "$jar copy --from src --to dst -y --no-safety-backup -q --jobs 2" \
    --prepare "$recreate" "pgcopydb clone --no-owner --no-acl --dir $work/pgcopydb --source $base/$src --target $base/$dst --table-jobs 2 --index-jobs 2 --restart --notice"

python3 - "$work" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/copy.json"))["results"]
pipe, j1, j2, pgc = (x["mean"] for x in r)
print(f"pg_dump | pg_restore: {pipe:.2f} s")
print(f"manage-db copy --jobs 1: {j1:.2f} s -> {j1/pipe:.3f}x the pipe (target <= 1.10)")
print(f"manage-db copy --jobs 2: {j2:.2f} s -> {j2/pipe:.3f}x the pipe")
print(f"pgcopydb clone: {pgc:.2f} s; best manage-db / pgcopydb = {min(j1, j2)/pgc:.3f} (target < 1)")
PY
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
