#!/usr/bin/env bash
# Builds the adapter and the benchmark module, then runs every benchmark and prints the table (BENCHMARKS.md).
# About 16 minutes on a 2-core machine (Payara Micro, WildFly and Open Liberty included; the first build also unpacks
# WildFly and Open Liberty to benchmarks/target/servers). Arguments are passed to BenchMain (key=value, e.g. quick=true for a smoke run).
# CI does not run this script: `mvn -B verify` only compiles the benchmark module. BENCH_MVN_ARGS=-o: an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Postfix's smtp-sink, for the calibration rows (the Java sink against a real MTA's sink). Idempotent.
if [ ! -x /usr/sbin/smtp-sink ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postfix
    else
        echo "smtp-sink (Debian package postfix) is missing and cannot be installed here: calibration rows skipped" >&2
    fi
fi

mvn -B -q ${BENCH_MVN_ARGS:-} -pl benchmarks -am -Pbench -DskipTests package dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt
cd benchmarks
exec java -cp "target/classes:$(cat target/classpath.txt)" io.github.oauth2mail.bench.BenchMain "$@"
