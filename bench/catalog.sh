#!/usr/bin/env bash
# Cost of a large backup directory: 10,000 manifested backups, made by copying one real backup's manifest (2,020
# tables' row counts, ~58 KB) with shifted times; the backup files are hard links of the one real dump.
#   manage-db backup list                                     target: < 0.5 s, peak RSS <= 128 MB
#   manage-db backup prune --keep-daily 7 --dry-run           target: < 0.5 s, peak RSS <= 128 MB
#   manage-db restore latest  vs  restore FILE (same file)    target: < 0.3 s more, peak RSS <= 128 MB
# Both restores run with --schema-only on a full backup, so each locates, opens and checks the archive (size, SHA-256,
# every data block) and then stops with exit 2 before touching the target: the difference is the time to find
# `latest` among 10,000. The real backup is of a copy of the many-objects database (bench/objects.sh) with its large
# tables emptied, so that those checks stay small. Each figure is also printed against `--version` (the fixed cost).
# Needs a local server you may create databases on (BENCH_URL, default postgresql://postgres@127.0.0.1:5432) and
# GNU time. Usage: bench/catalog.sh   (N=10000 backups, RUNS=7; KEEP=1 keeps the databases for reruns)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-10000}
runs=${RUNS:-7}
objects=mdb_bench_objects
db=mdb_bench_catalog
. bench/lib.sh
bench_start

ensure_objects "$base" "$objects"
if [ "$(psql -X -Atq -d "$base/postgres" -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
    psql -X -q -d "$base/postgres" -c "CREATE DATABASE $db TEMPLATE $objects"
    psql -X -q -d "$base/$db" -c "DO \$\$ BEGIN FOR i IN 1..20 LOOP EXECUTE format('TRUNCATE big_%s', i); END LOOP; END \$\$"
fi

export CAT_DATABASE_URL="$base/$db" MANAGE_DB_BACKUP_DIR="$work/backups"
bin/manage-db backup -e cat -q
real=$(ls "$work"/backups/*.dump)
python3 - "$real" "$n" <<'PY'
import datetime, json, os, sys
real, n = sys.argv[1], int(sys.argv[2])
d = os.path.dirname(real)
m = json.load(open(real + ".json"))
t0 = datetime.datetime.fromisoformat(m["startedAt"].replace("Z", "+00:00"))
for i in range(1, n):
    t = t0 - datetime.timedelta(hours=i)
    name = f"cat_{m['database']}_{t.strftime('%Y%m%dT%H%M%SZ')}.dump"
    m2 = dict(m, file=name, startedAt=t.isoformat().replace("+00:00", "Z"),
              finishedAt=(t + datetime.timedelta(seconds=m["durationSeconds"])).isoformat().replace("+00:00", "Z"))
    os.link(real, os.path.join(d, name))
    with open(os.path.join(d, name + ".json"), "w") as f:
        json.dump(m2, f, indent=2)
PY
echo "backup directory: $(ls "$work/backups" | wc -l) files, $(du -sh --apparent-size "$work/backups" | cut -f1) apparent" >&2

mdb="bin/manage-db"
fb() { farm-bench -n "$runs" --timeout 600 "$@"; }
echo "== backup list, first run after the directory was made (reads every manifest once)" >&2
/usr/bin/time -f "%e s, %M kB" $mdb backup list -e cat >/dev/null
echo "== backup list vs --version" >&2
fb --vs "$mdb --version" -- $mdb backup list -e cat
echo "== backup prune --dry-run vs --version" >&2
fb --vs "$mdb --version" -- $mdb backup prune -e cat --keep-daily 7 --dry-run
echo "== restore latest vs restore FILE (both stop at --schema-only, exit 2)" >&2
fb --vs "$mdb restore $real -e cat -y --no-safety-backup -q --schema-only" -- \
    $mdb restore latest -e cat -y --no-safety-backup -q --schema-only
echo "== peak RSS (GNU time, kB)" >&2
for c in "backup list -e cat" "backup prune -e cat --keep-daily 7 --dry-run" \
         "restore latest -e cat -y --no-safety-backup -q --schema-only"; do
    /usr/bin/time -f "%M kB  %e s  manage-db $c" $mdb $c >/dev/null 2>"$work/time" || true
    tail -1 "$work/time"
done
[ -n "${KEEP:-}" ] || psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
