#!/usr/bin/env bash
# Dispatcher benchmark: 1,000 web channels with a 3 s pause against a receiver on 127.0.0.1, one task with
# 100,000 targets, then claim timing in tasks of 10,000 and 1,000,000 targets. Embedded store, one JVM.
# Usage: bench/dispatch.sh [channels targets windowSeconds warmupSeconds]  (default 1000 100000 60 15)
set -euo pipefail
# The collector of the production image (docker/Dockerfile); BENCH_GC=-XX:+UseG1GC measures the JVM's default.
exec "$(dirname "$0")/java.sh" 2g io.parley.dispatch.DispatchBench dispatch "$@"
