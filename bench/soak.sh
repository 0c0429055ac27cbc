#!/usr/bin/env bash
# Soak: the conversations bench's load on Parley alone for a long time, to see what a heavy day does to the
# embedded store's file and to the heap (ConversationSoak). A row each interval: rate, latency, CPU, heap after GC,
# the file's size, the messages stored; at the end the file is compacted into a copy to show what the data needs.
# Usage: bench/soak.sh [slots minutes rowSeconds contacts]  (default 32 20 60 20000); SOAK_HEAP (default 1g) is -Xmx,
# BENCH_JAVA_OPTS=-Dsoak.cacheMb=N the embedded store's page cache.
set -euo pipefail
exec "$(dirname "$0")/java.sh" "${SOAK_HEAP:-1g}" io.parley.conversation.ConversationSoak soak "$@"
