#!/usr/bin/env bash
# Builds the benchmark jars, runs Chainrule's benchmarks beside its JVM peers with JMH's JSON
# output and beside PyTorch, and writes benchmarks/RESULTS.md from the results.
#
#   benchmarks/run-benchmarks.sh [--smoke] [--no-build] [--suites chainrule,peers,dl4j,torch]
#                                [--out FILE] [--note TEXT]
#
#   --smoke     very short iterations (-wi 1 -i 1 -w 200ms -r 200ms -f 1) to check the harness;
#               writes benchmarks/target/results/RESULTS-smoke.md unless --out is given
#   --no-build  reuse the jars already in benchmarks/target
#   --suites    which suites to build and run (default: all four):
#                 chainrule  benchmarks.jar         Chainrule (dense, convolutional, recurrent), plain Java, the scaling sweep,
#                                                   the compute peak (in forks of its own with the Vector API when
#                                                   JVM_ARGS does not add it) and, when JVM_ARGS adds the Vector API,
#                                                   the memory floor and the matrix products alone
#                 peers      benchmarks-peers.jar   Encog, Smile, Weka, ONNX Runtime (-Ppeers)
#                 dl4j       benchmarks-dl4j.jar    DL4J, on its own class path (-Pdl4j)
#                 torch      benchmarks.jar         PyTorch: WorkloadExport writes every workload's
#                                                   network, weights and Chainrule's results, and
#                                                   src/python/torch_peer.py checks and times them with
#                                                   the same iteration options; skipped, in one line of
#                                                   the report, where the Python cannot import torch.
#                                                   Where Fashion-MNIST is installed (apt-get install -y
#                                                   dataset-fashion-mnist), both suites also train one
#                                                   epoch of it (EpochBenchmark, src/python/torch_epoch.py)
#   --only      a pattern of benchmark class names (e.g. 'TrainingStepBenchmark|EpochBenchmark'): the
#               chainrule suite runs only those classes, and the torch suite's epoch only when
#               EpochBenchmark matches it
#   --torch-workloads  the torch suite's workloads, comma-separated (default: every workload the
#               chainrule suite times, e.g. 784-128-10:32,784-512-512-10:64 for the training steps)
#   --out       where to write the report (default: benchmarks/RESULTS.md)
#   --note      a sentence printed in bold at the top of the report
#
# Environment:
#   JMH_ARGS    JMH timing options (default: -wi 3 -i 5 -w 1s -r 1s -f 1)
#   JVM_ARGS    extra options for the forked benchmark JVMs, e.g. "--add-modules jdk.incubator.vector"
#   TORCH_PYTHON  the Python of the torch suite (default: Debian's /usr/bin/python3, whose
#               python3-torch package provides torch: apt-get install -y python3-torch). Install
#               OpenBLAS too (apt-get install -y libopenblas0-pthread): without it Debian's torch
#               multiplies matrices with the reference BLAS, several times slower
#
# Every benchmark runs on one thread; native libraries are held to one thread below, and the
# peers' benchmarks refuse to run without that.
# (The Trainer's own thread team is timed apart, with its scaling model, by run-thread-scaling.sh.) Any benchmark whose setup finds that an
# implementation computes something other than Chainrule does fails the run (-foe true).
set -euo pipefail

cd "$(dirname "$0")/.."

# Arguments joined for a shell, single-quoting those with characters a shell would read.
quoted() {
    local arg line=""
    for arg in "$@"; do
        if [[ "$arg" =~ [^A-Za-z0-9_./=:,+-] ]]; then
            arg="'${arg//\'/\'\\\'\'}'"
        fi
        line+="${line:+ }$arg"
    done
    printf '%s' "$line"
}

invocation="benchmarks/run-benchmarks.sh $(quoted "$@")"

smoke=false
build=true
suites="chainrule,peers,dl4j,torch"
out=""
note=""
only=""
torch_list=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --smoke) smoke=true ;;
        --no-build) build=false ;;
        --suites) suites="$2"; shift ;;
        --only) only="$2"; shift ;;
        --torch-workloads) torch_list="$2"; shift ;;
        --out) out="$2"; shift ;;
        --note) note="$2"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-benchmarks.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if $smoke; then
    jmh_args="${JMH_ARGS:--wi 1 -i 1 -w 200ms -r 200ms -f 1}"
    out="${out:-benchmarks/target/results/RESULTS-smoke.md}"
else
    jmh_args="${JMH_ARGS:--wi 3 -i 5 -w 1s -r 1s -f 1}"
    out="${out:-benchmarks/RESULTS.md}"
fi

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

declare -A profile=([chainrule]="" [peers]="-Ppeers" [dl4j]="-Pdl4j" [torch]="")
declare -A jar=([chainrule]=benchmarks.jar [peers]=benchmarks-peers.jar [dl4j]=benchmarks-dl4j.jar [torch]=benchmarks.jar)
# Each peer jar also holds Chainrule's own benchmarks; run only the peers' from it.
declare -A include=(
    [chainrule]='^dev\.chainrule\.benchmarks\.(PredictBenchmark|TrainingStepBenchmark|ShapedPredictBenchmark|ShapedTrainingStepBenchmark|RecurrentStepBenchmark|ScalingBenchmark)\.'
    [peers]='^dev\.chainrule\.benchmarks\.peers\.'
    [dl4j]='^dev\.chainrule\.benchmarks\.dl4j\.'
    [torch]='')
# The workloads the PyTorch peer times: those of Chainrule's own prediction and training benchmarks.
torch_workloads=(784-128-10 4-16-3 lenet5 cnn32x64 lstm28 784-128-10:32 784-512-512-10:64 lenet5:64 cnn32x64:64 lstm28:64)
torch_python="${TORCH_PYTHON:-/usr/bin/python3}"

# The memory floor and the Vector API kernels alone are measured only where the forks have the
# Vector API (the peak always is: see the suites' loop).
if [[ "${JVM_ARGS:-}" == *jdk.incubator.vector* ]]; then
    include[chainrule]='^dev\.chainrule\.benchmarks\.(PredictBenchmark|TrainingStepBenchmark|ShapedPredictBenchmark|ShapedTrainingStepBenchmark|RecurrentStepBenchmark|ScalingBenchmark|MemoryFloorBenchmark|MatrixProductBenchmark|PeakBenchmark)\.'
fi

# One Fashion-MNIST epoch, Chainrule's (EpochBenchmark) and PyTorch's (src/python/torch_epoch.py),
# where the data is installed (apt-get install -y dataset-fashion-mnist).
fashion_mnist=/usr/share/datasets/fashion-mnist
if [[ -f "$fashion_mnist/train-images-idx3-ubyte.gz" ]]; then
    include[chainrule]="${include[chainrule]/ScalingBenchmark/ScalingBenchmark|EpochBenchmark}"
fi

if [[ -n "$only" ]]; then
    include[chainrule]="^dev\\.chainrule\\.benchmarks\\.($only)\\."
fi
if [[ -n "$torch_list" ]]; then
    IFS=',' read -r -a torch_workloads <<< "$torch_list"
fi

IFS=',' read -r -a selected <<< "$suites"
for suite in "${selected[@]}"; do
    [[ -n "${jar[$suite]+x}" ]] || { echo "run-benchmarks.sh: unknown suite '$suite' (chainrule, peers, dl4j, torch)" >&2; exit 2; }
done

if $build; then
    declare -A built=()
    for suite in "${selected[@]}"; do
        [[ -z "${built[${jar[$suite]}]+x}" ]] || continue
        built[${jar[$suite]}]=1
        echo ">> building ${jar[$suite]}"
        # shellcheck disable=SC2086
        mvn -B -q ${profile[$suite]} -pl runtime,processor,benchmarks package -DskipTests
    done
fi
# The report generator lives in the plain jar.
[[ -f benchmarks/target/benchmarks.jar ]] || mvn -B -q -pl runtime,processor,benchmarks package -DskipTests

# Runs the benchmarks of jar $1 matching $2 with JMH's options, forks given JVM options $3 (none
# if empty), JSON results to $4; records the command and the file for the report.
jmh_run() {
    local cmd=(java -jar "$1" "$2")
    # shellcheck disable=SC2206
    cmd+=($jmh_args)
    if [[ -n "$3" ]]; then
        cmd+=(-jvmArgsAppend "$3")
    fi
    cmd+=(-foe true -rf json -rff "$4")
    echo ">> ${cmd[*]}"
    commands+=$'\n'"OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(quoted "${cmd[@]}")"
    "${cmd[@]}"
    files+=("$4")
}

results=benchmarks/target/results
mkdir -p "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commands="$invocation"
files=()
for suite in "${selected[@]}"; do
    json="$results/$suite.json"
    if [[ "$suite" == torch ]]; then
        exported="$results/torch-workloads"
        rm -rf "$exported"
        export_cmd=(java -cp benchmarks/target/benchmarks.jar dev.chainrule.benchmarks.WorkloadExport "$exported" "${torch_workloads[@]}")
        exported_files=()
        for workload in "${torch_workloads[@]}"; do
            exported_files+=("$exported/${workload//:/_}.workload")
        done
        # shellcheck disable=SC2206
        torch_cmd=("$torch_python" benchmarks/src/python/torch_peer.py --out "$json" "${exported_files[@]}" -- $jmh_args)
        commands+=$'\n'"$(quoted "${export_cmd[@]}")"
        commands+=$'\n'"OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(quoted "${torch_cmd[@]}")"
        if [[ ! -x "$torch_python" ]]; then
            reason="PyTorch peer skipped: $torch_python does not exist; apt-get install -y python3-torch provides Python and torch"
            echo "$reason"
            printf '{"skipped": "%s"}\n' "$reason" > "$json"
        else
            echo ">> ${export_cmd[*]}"
            "${export_cmd[@]}" > /dev/null
            echo ">> ${torch_cmd[*]}"
            "${torch_cmd[@]}"
        fi
        files+=("$json")
        if [[ -f "$fashion_mnist/train-images-idx3-ubyte.gz" && -x "$torch_python" ]] \
            && [[ -z "$only" || EpochBenchmark =~ ^($only)$ ]]; then
            # shellcheck disable=SC2206
            epoch_cmd=("$torch_python" benchmarks/src/python/torch_epoch.py --out "$results/torch-epoch.json" -- $jmh_args)
            commands+=$'\n'"OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(quoted "${epoch_cmd[@]}")"
            echo ">> ${epoch_cmd[*]}"
            "${epoch_cmd[@]}"
            files+=("$results/torch-epoch.json")
        fi
        continue
    fi
    jmh_run "benchmarks/target/${jar[$suite]}" "${include[$suite]}" "${JVM_ARGS:-}" "$json"
    if [[ "$suite" == chainrule && "${JVM_ARGS:-}" != *jdk.incubator.vector* ]]; then
        # The report's shares of peak are of the peak measured in the same run: PeakBenchmark needs
        # the Vector API, so without it in JVM_ARGS the peak runs in forks that add it.
        jmh_run benchmarks/target/benchmarks.jar '^dev\.chainrule\.benchmarks\.PeakBenchmark\.' \
            "${JVM_ARGS:+$JVM_ARGS }--add-modules jdk.incubator.vector" "$results/peak.json"
    fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor:[[:space:]]*//p' | head -1)
machine="$model, $(getconf _NPROCESSORS_ONLN) cores, $(uname -m)${hypervisor:+, virtualised ($hypervisor)}"
report=(java -cp benchmarks/target/benchmarks.jar dev.chainrule.benchmarks.report.ResultsReport
    --out "$out" --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --machine "$machine"
    --load-before "$load_before" --load-after "$load_after" --command "$commands")
if [[ -n "$note" ]]; then
    report+=(--note "$note")
fi
"${report[@]}" "${files[@]}"
