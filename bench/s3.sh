#!/usr/bin/env bash
# Backups to object storage against backups to a local directory, in one run on one machine:
#   backup to s3proxy (filesystem backend, loopback)  vs  backup to a local directory    target: <= 1.15x
#   encrypted (age, one recipient)                     vs  unencrypted                    target: <= 1.10x
#   peak RSS of the manage-db JVM while it uploads                                         target: <= 256 MB
# on the >= 1 GB bench database of bench/lib.sh (ensure_source, as SRC, default s3_bench_src). The four
# commands take turns, round after round, so that a machine whose speed drifts slows all of them alike; medians are
# compared. s3proxy runs as a separate JVM (org.gaul.s3proxy.Main --properties F, from the test classpath) with
# its bucket a directory on the same disk as the local backups.
# Needs a local server (BENCH_URL, default postgresql://postgres@127.0.0.1:5432), pgbench, age-keygen, GNU time.
# Usage: bench/s3.sh   (RUNS=3 rounds by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-3}
src=${SRC:-s3_bench_src}
. bench/lib.sh
bench_start
proxy=
on_exit='[ -z "$proxy" ] || kill "$proxy" 2>/dev/null'

ensure_source "$base" "$src"   # builds it when missing (another name than other benches' keeps their locks apart)

./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/s3/bench"
cat >"$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3
jclouds.identity=bench
jclouds.credential=bench-secret
CONF
# s3proxy logs at DEBUG without a configuration of its own (gigabytes, and most of its time)
printf '<configuration><root level="WARN"/></configuration>\n' >"$work/logback.xml"
java -Dlogback.configurationFile="$work/logback.xml" -cp "$(cat "$work/cp")" org.gaul.s3proxy.Main --properties "$work/s3proxy.conf" >"$work/s3proxy.log" 2>&1 &
proxy=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
done
age-keygen -o "$work/key" 2>/dev/null
recipient=$(sed -n 's/^# public key: //p' "$work/key")

export BENCH_DATABASE_URL="$base/$src" MANAGE_DB_S3_ENDPOINT="http://127.0.0.1:$port" \
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
local_dir="$work/backups"
names=("backup to a local directory" "backup to s3proxy" "encrypted, local directory" "encrypted, s3proxy")
run() {
    local dir=$local_dir recipients=
    case $1 in 1 | 3) dir=s3://bench/manage-db ;; esac
    case $1 in 2 | 3) recipients=$recipient ;; esac
    MANAGE_DB_BACKUP_DIR=$dir MANAGE_DB_BACKUP_RECIPIENTS=$recipients \
        /usr/bin/time -f "%M" -a -o "$work/rss.$1" "$root/bin/manage-db" backup -e bench -q
    rm -rf "$local_dir" "$work/s3/bench/manage-db"
}
for round in $(seq "$runs"); do
    for i in "${!names[@]}"; do
        t=$(timed "$i" "$work/times" run "$i") || { echo "${names[$i]} failed" >&2; exit 1; }
        echo "round $round: ${names[$i]}: $t s" >&2
    done
done
medians "$work/times" "${names[@]}" -- \
    's3proxy / local directory (target <= 1.15)|med[1] / med[0]' \
    'encrypted / unencrypted, local (target <= 1.10)|med[2] / med[0]' \
    'encrypted / unencrypted, s3proxy (target <= 1.10)|med[3] / med[1]'
for i in "${!names[@]}"; do
    echo "peak RSS, ${names[$i]}: $(sort -n "$work/rss.$i" | tail -1 | awk '{printf "%.0f MB", $1 / 1024}') (target <= 256 MB)"
done
