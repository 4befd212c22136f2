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
