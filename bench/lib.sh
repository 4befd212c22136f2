# Shared by the benchmark scripts: sourced, not run.

# bench_start [DATABASE...]: what every benchmark starts with: $base from BENCH_URL (default the local server), the
# jar built when missing, a private $work directory, and at exit $work removed, these databases dropped and
# $on_exit run first when the script set it (e.g. to stop a server it started).
bench_start() {
    base=${BENCH_URL:-postgresql://postgres@127.0.0.1:5432}
    [ -f target/manage-db.jar ] || ./mvnw -q -B package -DskipTests
    work=$(mktemp -d /tmp/manage-db-bench.XXXXXX)
    bench_drop=("$@")
    trap bench_end EXIT
}

bench_end() {
    [ -z "${on_exit:-}" ] || eval "$on_exit" || true
    rm -rf "$work"
    local db
    for db in "${bench_drop[@]}"; do
        psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
    done
}

# ensure_source BASE_URL NAME: builds a >= 1 GB database that does not compress to nothing (pgbench scale 50 plus
# 2.5 M rows of random text), once; later runs reuse it.
ensure_source() {
    local base=$1 src=$2
    if [ "$(psql -X -Atq -d "$base/postgres" -c "SELECT count(*) FROM pg_database WHERE datname = '$src'")" = 0 ]; then
        echo "building $src (pgbench scale 50 + random text) ..." >&2
        psql -X -q -d "$base/postgres" -c "CREATE DATABASE $src"
        pgbench -q -i -s 50 "$base/$src" >/dev/null 2>&1
        psql -X -q -d "$base/$src" -c "CREATE TABLE random_text AS SELECT g AS id,
            md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) AS payload
            FROM generate_series(1, 2500000) g; ALTER TABLE random_text ADD PRIMARY KEY (id); ANALYZE"
    fi
    psql -X -Atq -d "$base/$src" -c "SELECT 'source size: ' || pg_size_pretty(pg_database_size(current_database()))"
}

# ensure_objects BASE_URL NAME: builds the many-objects database once: 2,000 tables with a few rows each (a primary
# key, a text column) plus 20 tables of 100,000 rows; later runs reuse it.
ensure_objects() {
    local base=$1 db=$2
    if [ "$(psql -X -Atq -d "$base/postgres" -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
        echo "building $db (2,000 small tables + 20 x 100k rows) ..." >&2
        psql -X -q -d "$base/postgres" -c "CREATE DATABASE $db"
        psql -X -q -d "$base/$db" <<'SQL'
DO $$
BEGIN
    FOR i IN 1..2000 LOOP
        EXECUTE format('CREATE TABLE small_%s (id int PRIMARY KEY, name text NOT NULL)', i);
        EXECUTE format('INSERT INTO small_%s SELECT g, md5(g::text) FROM generate_series(1, 3) g', i);
    END LOOP;
    FOR i IN 1..20 LOOP
        EXECUTE format('CREATE TABLE big_%s (id int PRIMARY KEY, payload text NOT NULL, n bigint)', i);
        EXECUTE format('INSERT INTO big_%s SELECT g, md5(g::text), g * 7 FROM generate_series(1, 100000) g', i);
    END LOOP;
END $$;
ANALYZE;
SQL
    fi
    psql -X -Atq -d "$base/$db" -c "SELECT 'objects database: ' || count(*) || ' tables, '
        || pg_size_pretty(pg_database_size(current_database())) FROM pg_tables WHERE schemaname = 'public'"
}

# settle: before each timed command (not timed): the server writes every dirty page now (CHECKPOINT) and the kernel
# its dirty files (sync), so that no command pays for the writes the one before it left behind. DROP DATABASE forces
# a checkpoint, so a command that drops or swaps a database would otherwise also write the previous command's pages
# (seen in bench/copy.sh: pgcopydb onto a held target looked 1.15x faster than onto an empty one).
settle() {
    psql -X -q -d "$base/postgres" -c CHECKPOINT
    sync
}

# timed INDEX TIMES_FILE COMMAND...: runs COMMAND (its stdout discarded), appends "INDEX SECONDS" to TIMES_FILE and
# prints the seconds, for the scripts whose commands take turns round after round.
timed() {
    local i=$1 file=$2 start end
    shift 2
    start=$(date +%s.%N)
    # a failed command is no time at all: stop instead of reporting it (set -e does not reach into $(timed ...))
    "$@" >/dev/null || { echo "failed (exit $?): $*" >&2; kill -TERM $$; exit 1; }
    end=$(date +%s.%N)
    echo "$i $(echo "$end - $start" | bc)" >>"$file"
    echo "$end - $start" | bc
}

# turns RUNS BASE_URL DST TIMES_FILE NAME...: RUNS rounds in which each named command takes its turn (`run INDEX`, a
# function of the calling script), each onto a freshly created, empty database DST (not timed) and after `settle`, so
# that a machine whose speed drifts slows all of them alike; the times go to TIMES_FILE.
turns() {
    local runs=$1 base=$2 dst=$3 file=$4 round i
    shift 4
    local names=("$@")
    for round in $(seq "$runs"); do
        for i in "${!names[@]}"; do
            psql -X -q -d "$base/postgres" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" -c "CREATE DATABASE $dst"
            settle
            echo "round $round: ${names[$i]}: $(timed "$i" "$file" run "$i" | cut -c1-6) s" >&2
        done
    done
}

# medians TIMES_FILE NAME... -- 'LABEL|EXPR' ...: each numbered command's median and runs (NAME is command i's
# name), then each LABEL with its EXPR, a Python expression over med[i] (the median of command i).
medians() {
    python3 - "$@" <<'PY'
import statistics, sys
file, rest = sys.argv[1], sys.argv[2:]
split = rest.index("--") if "--" in rest else len(rest)
names, ratios = rest[:split], rest[split + 1:]
times = {}
for line in open(file):
    i, t = line.split()
    times.setdefault(int(i), []).append(float(t))
med = {i: statistics.median(v) for i, v in times.items()}
for i, name in enumerate(names):
    if i in times:
        print(f"{name:40s} median {med[i]:7.3f} s  runs {' '.join(f'{t:.3f}' for t in times[i])}")
for spec in ratios:
    label, expr = spec.split("|", 1)
    print(f"{label}: {eval(expr, {'med': med, 'min': min}):.3f}")
PY
}
