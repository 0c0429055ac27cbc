#!/usr/bin/env bash
# Audience upload benchmark: Parley's streamed import of generated lines against two baselines (an
# endpoint that discards the bytes, and raw insertMany into the same embedded store), in one JVM with
# a 512 MiB heap. Usage: bench/audience.sh [sizes, default 100000,1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q test-compile
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p bench/results
java -Xmx512m -Djava.util.logging.config.file=/dev/null \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.parley.bench.AudienceBench "${1:-100000,1000000}" 2>bench/results/audience.log | tee bench/results/audience.txt
