#!/usr/bin/env bash
# Backup and restore speed against the PostgreSQL tools themselves, in one run on one machine.
#   manage-db backup        vs  pg_dump -Fc -f FILE                    target: <= 1.10x
#   manage-db restore       vs  pg_restore -d EMPTY (single job)       target: <= 1.10x, and faster with --jobs 2
#   peak RSS of the manage-db JVM                                       target: <= 256 MB
# Builds a >= 1 GB database that does not compress to nothing: pgbench at scale 50 plus a table of random text.
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432),
# pgbench, hyperfine and GNU time (apt-get install hyperfine time).
# Usage: bench/backup_restore.sh            (RUNS=3 by default; KEEP=1 keeps the source database for reruns)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=${BENCH_URL:-postgresql://postgres@127.0.0.1:5432}
runs=${RUNS:-3}
src=mdb_bench_src
[ -f target/manage-db.jar ] || ./mvnw -q -B package -DskipTests
work=$(mktemp -d /tmp/manage-db-bench.XXXXXX)
trap 'rm -rf "$work"; psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS mdb_bench_dst WITH (FORCE)" >/dev/null' EXIT

. bench/lib.sh
ensure_source "$base" "$src"

export BENCH_DATABASE_URL="$base/$src" DST_DATABASE_URL="$base/mdb_bench_dst" MANAGE_DB_BACKUP_DIR="$work/backups"
jar="java -jar $root/target/manage-db.jar"

echo "== backup" >&2
hyperfine -N --runs "$runs" --export-json "$work/backup.json" \
    --prepare "rm -rf $work/backups $work/pg.dump" \
    "pg_dump -Fc -f $work/pg.dump -d $base/$src" \
    "$jar backup -e bench -q"
dump=$(ls "$work"/backups/*.dump | head -1)

echo "== restore" >&2
drop="psql -X -q -d $base/postgres -c 'DROP DATABASE IF EXISTS mdb_bench_dst WITH (FORCE)'"
hyperfine -N --runs "$runs" --export-json "$work/restore.json" \
    --prepare "sh -c \"$drop && psql -X -q -d $base/postgres -c 'CREATE DATABASE mdb_bench_dst'\"" \
    "pg_restore --no-owner --no-acl --exit-on-error -d $base/mdb_bench_dst $dump" \
    --prepare "sh -c \"$drop\"" \
    "$jar restore $dump -e dst -y --no-safety-backup -q" \
    --prepare "sh -c \"$drop\"" \
    "$jar restore $dump -e dst -y --no-safety-backup -q --jobs 2"

echo "== peak RSS of the manage-db JVM" >&2
rm -rf "$work/backups"
/usr/bin/time -f "%M" -o "$work/rss-backup" $jar backup -e bench -q
dump=$(ls "$work"/backups/*.dump | head -1)
sh -c "$drop"
/usr/bin/time -f "%M" -o "$work/rss-restore" $jar restore "$dump" -e dst -y --no-safety-backup -q

python3 - "$work" <<'PY'
import json, sys, os
w = sys.argv[1]
b = json.load(open(f"{w}/backup.json"))["results"]
r = json.load(open(f"{w}/restore.json"))["results"]
print(f"backup:  pg_dump {b[0]['mean']:.2f} s, manage-db {b[1]['mean']:.2f} s -> {b[1]['mean']/b[0]['mean']:.3f}x (target <= 1.10)")
print(f"restore: pg_restore {r[0]['mean']:.2f} s, manage-db {r[1]['mean']:.2f} s -> {r[1]['mean']/r[0]['mean']:.3f}x (target <= 1.10); "
      f"--jobs 2 {r[2]['mean']:.2f} s -> {r[2]['mean']/r[0]['mean']:.3f}x")
for k in ("backup", "restore"):
    kb = int(open(f"{w}/rss-{k}").read().strip().splitlines()[-1])
    print(f"peak RSS {k}: {kb/1024:.0f} MB (target <= 256)")
print(f"backup size: {os.path.getsize([os.path.join(w,'backups',f) for f in os.listdir(os.path.join(w,'backups')) if f.endswith('.dump')][0])/1048576:.0f} MB")
PY
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)"
