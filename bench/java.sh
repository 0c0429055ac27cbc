#!/usr/bin/env bash
# Compiles the tests and runs one benchmark's main class on the test classpath, with the production image's
# collector (Shenandoah; BENCH_GC=-XX:+UseG1GC measures the JVM's default) and BENCH_JAVA_OPTS.
# Usage: bench/java.sh <heap, e.g. 1g> <main class> <results name> [arguments...]
# Its output goes to bench/results/<name>.txt as well, its log to bench/results/<name>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
heap=$1 main=$2 name=$3
shift 3
./mvnw -q test-compile
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p bench/results
java -Xmx"$heap" ${BENCH_GC--XX:+UseShenandoahGC} ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file=/dev/null \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  "$main" "$@" 2>"bench/results/$name.log" | tee "bench/results/$name.txt"
