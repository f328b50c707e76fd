#!/usr/bin/env bash
# Runs ThreadScalingBenchmark (the Trainer's step on one and two threads and its per-round
# costs) and writes the scaling report with the modelled table for more cores.
#
#   benchmarks/run-thread-scaling.sh [--no-build] [--out FILE] [--socket-gbs GB/s]
#
#   --no-build    reuse benchmarks/target/benchmarks.jar
#   --out         the report (default: benchmarks/results/thread-scaling.md; the JMH JSON goes
#                 beside it with the extension .json)
#   --socket-gbs  the socket's memory bandwidth the model assumes (default 300)
#
# Environment: JMH_ARGS, the JMH timing options (default: -wi 3 -i 5 -w 1s -r 1s -f 1).
#
# It is not one of run-benchmarks.sh's suites: those run every benchmark on one thread and are
# compared with peers, while this one runs the Trainer's own team of threads.
set -euo pipefail

cd "$(dirname "$0")/.."

build=true
out=benchmarks/results/thread-scaling.md
socket=300
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=false ;;
        --out) out="$2"; shift ;;
        --socket-gbs) socket="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-thread-scaling.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

jmh_args="${JMH_ARGS:--wi 3 -i 5 -w 1s -r 1s -f 1}"
json="${out%.md}.json"

if $build || [[ ! -f benchmarks/target/benchmarks.jar ]]; then
    mvn -B -q -pl runtime,processor,benchmarks package -DskipTests
fi

# shellcheck disable=SC2206
cmd=(java -jar benchmarks/target/benchmarks.jar ThreadScalingBenchmark $jmh_args -foe true -rf json -rff "$json")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo ">> ${cmd[*]}"
"${cmd[@]}"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor:[[:space:]]*//p' | head -1)
machine="$model, $(getconf _NPROCESSORS_ONLN) cores, $(uname -m)${hypervisor:+, virtualised ($hypervisor)}, $(java -version 2>&1 | head -1)"
java -cp benchmarks/target/benchmarks.jar dev.chainrule.benchmarks.report.ThreadScalingReport \
    --out "$out" --socket-gbs "$socket" --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --machine "$machine" \
    --load-before "$load_before" --load-after "$load_after" --command "${cmd[*]}" "$json"
