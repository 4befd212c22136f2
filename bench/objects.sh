#!/usr/bin/env bash
# Per-object costs, on the many-objects database: 2,000 tables with 3 rows each plus 20 tables of 100,000 rows.
#   manage-db backup            vs  pg_dump -Fc -f FILE                              target: <= 1.5x
#   manage-db restore           vs  pg_restore -d EMPTY                              target: <= 1.5x
#   manage-db copy --jobs 1     vs  pg_dump -Fc | pg_restore -d EMPTY                target: <= 1.5x
#   manage-db copy --jobs 2     vs  manage-db copy --jobs 1                          target: <= 1
# Each pair takes turns (A B A B ...), medians and ratios pair by pair, so that a drifting machine slows both alike.
# Every run of a restore or copy starts from a freshly created, empty target database (its creation is timed in both
# commands of a pair alike: restore and copy replace the target through a scratch database of their own).
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432) and
# hyperfine (apt-get install hyperfine). Usage: bench/objects.sh (RUNS=3; KEEP=1 keeps the source database)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BENCH_URL:-postgresql://postgres@127.0.0.1:5432}
runs=${RUNS:-3}
src=mdb_bench_objects
dst=mdb_bench_objects_dst
[ -f target/manage-db.jar ] || ./mvnw -q -B package -DskipTests
work=$(mktemp -d /tmp/manage-db-bench.XXXXXX)
trap 'rm -rf "$work"; psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" >/dev/null' EXIT

. bench/lib.sh
ensure_objects "$base" "$src"
export OBJ_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/$dst" MANAGE_DB_BACKUP_DIR="$work/backups"
mdb="$(pwd)/bin/manage-db"
fresh="psql -X -q -d $base/postgres -c 'DROP DATABASE IF EXISTS $dst WITH (FORCE)' -c 'CREATE DATABASE $dst'"

hyperfine -N --runs "$runs" --export-json "$work/backup.json" --prepare "rm -rf $work/backups $work/pg.dump" \
    "pg_dump -Fc -f $work/pg.dump -d $base/$src" \
    "$mdb backup -e obj -q"
"$mdb" backup -e obj -q
dump=$(ls "$work"/backups/*.dump | head -1)

hyperfine -N --runs "$runs" --export-json "$work/restore.json" \
    --prepare "sh -c \"$fresh\"" "pg_restore --no-owner --no-acl --exit-on-error -d $base/$dst $dump" \
    --prepare "sh -c \"$fresh\"" "$mdb restore $dump -e dst -y --no-safety-backup -q" \
    --prepare "sh -c \"$fresh\"" "$mdb restore $dump -e dst -y --no-safety-backup -q --jobs 2"

hyperfine -N --runs "$runs" --export-json "$work/copy.json" \
    --prepare "sh -c \"$fresh\"" "sh -c 'pg_dump -Fc -d $base/$src | pg_restore --no-owner --no-acl --exit-on-error -d $base/$dst'" \
    --prepare "sh -c \"$fresh\"" "$mdb copy --from obj --to dst -y --no-safety-backup -q --jobs 1" \
    --prepare "sh -c \"$fresh\"" "$mdb copy --from obj --to dst -y --no-safety-backup -q --jobs 2"

python3 - "$work" <<'PY'
import json, sys, statistics
w = sys.argv[1]
def med(name):
    return [statistics.median(r["times"]) for r in json.load(open(f"{w}/{name}.json"))["results"]]
b, r, c = med("backup"), med("restore"), med("copy")
print(f"backup:  pg_dump -Fc {b[0]:.2f} s, manage-db {b[1]:.2f} s -> {b[1]/b[0]:.2f}x (target <= 1.5)")
print(f"restore: pg_restore {r[0]:.2f} s, manage-db {r[1]:.2f} s -> {r[1]/r[0]:.2f}x (target <= 1.5); "
      f"--jobs 2 {r[2]:.2f} s -> {r[2]/r[0]:.2f}x")
print(f"copy:    pg_dump | pg_restore {c[0]:.2f} s, --jobs 1 {c[1]:.2f} s -> {c[1]/c[0]:.2f}x (target <= 1.5); "
      f"--jobs 2 {c[2]:.2f} s -> {c[2]/c[1]:.2f}x of --jobs 1 (target <= 1)")
PY
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
