#!/usr/bin/env bash
# Conversations benchmark: contacts write to a web channel's signed webhook, Parley routes, the scripted
# responder answers, the reply is POSTed to a receiver on 127.0.0.1 and stored; against a bare Vert.x server
# doing the webhook-in / signed-POST-out part alone, in the same run. Embedded store, one JVM, burst window 0.
# Usage: bench/conversations.sh [contacts windowSeconds warmupSeconds]  (default 32 20 120)
# The warm-up is long on purpose: with 5 s, the JIT (C2) was still compiling Parley's paths in the window (half a
# core in `top -H`), and the rate measured was that of a cold process (about 330/s against 1,100–1,400/s after 120 s).
# After the first baseline and Parley windows, two more rounds (-Dbench.rounds=N: N-1 more) each measure a baseline
# window and a Parley window right after it, on the servers already warm, and the median of the rounds is printed: the
# host's speed moves by tens of per cent within minutes, and a ratio of two windows a minute apart moves less.
# BENCH_JAVA_OPTS=-Dbench.store=process runs the embedded store in a JVM of its own (as a MongoDB server would be) and
# reports that process's CPU beside Parley's.
# BENCH_JAVA_OPTS=-Dbench.connections=N: connections the contacts hold to the webhook (default 64).
# BENCH_JAVA_OPTS=-Dbench.floor=3,3+3 also measures, after the baseline, floors: the baseline's server plus the least
# store work a stored design does per message (N grouped writes, +M single find-and-modify commands), on the embedded
# store in this JVM (ConversationBench.floor).
set -euo pipefail
# The collector of the production image (docker/Dockerfile); BENCH_GC=-XX:+UseG1GC measures the JVM's default.
exec "$(dirname "$0")/java.sh" 1g io.parley.conversation.ConversationBench conversations "$@"
