#!/usr/bin/env bash
# Startup cost: `java -jar target/manage-db.jar --version` against a plain Java hello-world on the same JVM.
# Targets: --version at most 2x the hello-world's wall time, --help and <command> --help at most 4x. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/manage-db.jar ] || ./mvnw -q -B package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$work" "$work/Hello.java"
hyperfine -N --warmup 5 --runs "${RUNS:-30}" --export-json "$work/result.json" \
    "java -cp $work Hello" \
    "java -jar target/manage-db.jar --version" \
    "java -jar target/manage-db.jar --help" \
    "java -jar target/manage-db.jar backup --help" \
    "java -jar target/manage-db.jar env list"
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["mean"]
for x in r[1:]:
    print(f"{x['command']}: {x['mean']*1000:.0f} ms = {x['mean']/base:.2f}x hello-world ({base*1000:.0f} ms)")
PY
