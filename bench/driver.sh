#!/usr/bin/env bash
# Driver benchmark: the router's per-message dialogue write (findOneAndUpdate by _id) against the embedded
# store, through the reactive-streams driver as Parley uses it and through the synchronous driver on Vert.x
# worker threads, alternating. Usage: bench/driver.sh [concurrency windowSeconds warmupSeconds rounds]
# (default 32 15 20 2).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -o test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p bench/results
java -Xmx1g ${BENCH_GC--XX:+UseShenandoahGC} ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file=/dev/null \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.parley.store.DriverBench "$@" 2>bench/results/driver.log | tee bench/results/driver.txt
