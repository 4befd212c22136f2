# Shared by the benchmark scripts: sourced, not run.
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

# timed INDEX TIMES_FILE COMMAND...: runs COMMAND (its stdout discarded), appends "INDEX SECONDS" to TIMES_FILE and
# prints the seconds, for the scripts whose commands take turns round after round.
timed() {
    local i=$1 file=$2 start end
    shift 2
    start=$(date +%s.%N)
    "$@" >/dev/null || echo "FAILED (exit $?): $*" >&2
    end=$(date +%s.%N)
    echo "$i $(echo "$end - $start" | bc)" >>"$file"
    echo "$end - $start" | bc
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
