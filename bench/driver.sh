#!/usr/bin/env bash
# Driver benchmark: the router's per-message dialogue write (findOneAndUpdate by _id) against the embedded
# store, through the reactive-streams driver as Parley uses it and through the synchronous driver on Vert.x
# worker threads, alternating. Usage: bench/driver.sh [concurrency windowSeconds warmupSeconds rounds]
# (default 32 15 20 2).
set -euo pipefail
# The collector of the production image (docker/Dockerfile); BENCH_GC=-XX:+UseG1GC measures the JVM's default.
exec "$(dirname "$0")/java.sh" 1g io.parley.store.DriverBench driver "$@"
