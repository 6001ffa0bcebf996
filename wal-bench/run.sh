#!/usr/bin/env bash
# Runs the wal4j benchmarks (issue 7, docs/benchmarks.md). Never part of the build: `mvn verify` only compiles them.
#
#   wal-bench/run.sh [--quick] [GROUP...]      GROUP: B1 B2 B3 B4 B5 B6 B7 (default: all, in that order); B1 runs
#                                               B1-paired and B1-latency too, which can also be run alone
#
#   --quick   smoke run: 1 fork, 1 warm-up iteration of 1 s, 2 measurement iterations of 1 s; 1 s latency runs; small
#             logs for B5 (64 MiB) and B6 (16 and 64 MiB). Numbers from it are indicative only.
#   (full)    1 fork and the iteration counts written on each benchmark class (2 x 3 s warm-up, 5 x 3 s measurement
#             for throughput; 1 warm-up + 3 (B4, B7, B1 latency) or 2 + 5 (B6) single-shot iterations; B1 paired:
#             1 warm-up + 1 measurement iteration of 10 rounds x 3 slices of 500 ms), full sizes.
#             Quick mode for B1 paired: 3 rounds of 300 ms slices.
#
# Environment: JAVA (default: java), JAVA_OPTS (default: -Xms1g -Xmx4g; forked benchmark JVMs inherit them),
# WAL_BENCH_DIR (scratch directory for logs, default: the JVM's temporary directory), JMH_EXTRA (more JMH options).
# Each group writes results/<mode>-<group>.txt (the JMH console output, with the HDR/HEAP lines of the latency and
# heap benchmarks) and results/<mode>-<group>.csv (JMH's machine-readable scores). B1 also runs the paired
# (interleaved) variant of its throughput benchmark (results/<mode>-B1-paired.*, PAIR lines) and the acknowledgement
# latency benchmark at half the highest SPI 128 B throughput it has just measured, and at 10,000/s and 1,000/s
# (results/<mode>-B1-latency.*).
# Finally summarize.py turns the saved output into the markdown tables of docs/benchmarks.md
# (results/<mode>-summary.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

mode=full
groups=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    B[1-7]|B1-paired|B1-latency) groups+=("$arg") ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (expected --quick, B1..B7, B1-paired or B1-latency)" >&2; exit 2 ;;
  esac
done
[ ${#groups[@]} -eq 0 ] && groups=(B1 B2 B3 B4 B5 B6 B7)

jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/src" "$here/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "== building $jar"
  mvn -B -q package -DskipTests
fi

JAVA="${JAVA:-java}"
read -r -a java_opts <<< "${JAVA_OPTS:--Xms1g -Xmx4g}"
if [ -n "${WAL_BENCH_DIR:-}" ]; then
  mkdir -p "$WAL_BENCH_DIR"
  java_opts+=("-Dwal.bench.dir=$WAL_BENCH_DIR")
fi
read -r -a extra <<< "${JMH_EXTRA:-}"

if [ "$mode" = quick ]; then
  common=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
  short=(-p runMillis=1000)
  paired=(-p rounds=3 -p sliceMillis=300)
else
  common=(-f 1)
  short=()
  paired=()
fi

mkdir -p results

# When each wal4j module inside the benchmarks jar was compiled: the modules change while the project is developed,
# so every result file says which build it measured.
wal4j_builds() {
  unzip -l "$jar" 'io/wal4j/adaptor/WALAdaptor.class' 'io/wal4j/impls/file/FileWAL.class' \
      'io/wal4j/impls/memory/MemoryWAL.class' 2>/dev/null \
    | awk '/io\/wal4j\//{split($4, p, "/"); printf "%s %s %s; ", (p[3] == "impls" ? p[4] : p[3]), $2, $3}'
}

# jmh GROUP PATTERN... [-- JMH OPTIONS...]: one JMH run whose output goes to results/<mode>-<GROUP>.{txt,csv}.
jmh() {
  local group="$1"; shift
  local patterns=() opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  opts=("$@")
  local out="results/$mode-$group"
  {
    echo "# wal4j benchmarks, group $group, mode $mode, started $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB memory, $(uname -srm)"
    echo "# load at start: $(cat /proc/loadavg)"
    echo "# wal4j classes in the jar (build time of each module's main class): $(wal4j_builds)"
    echo "# command: $JAVA ${java_opts[*]} -jar target/benchmarks.jar ${patterns[*]} ${common[*]} ${opts[*]} ${extra[*]}"
  } > "$out.txt"
  echo "== $group ($mode) -> $out.txt"
  "$JAVA" "${java_opts[@]}" -jar "$jar" "${patterns[@]}" "${common[@]}" "${opts[@]}" "${extra[@]}" \
      -rf csv -rff "$out.csv" 2>&1 | tee -a "$out.txt"
  echo "# load at end: $(cat /proc/loadavg)" >> "$out.txt"
}

# The highest throughput of DurableAppendBenchmark through the SPI at 128 B in results/<mode>-B1.csv, halved.
half_max_b1() {
  python3 - "results/$mode-B1.csv" <<'PY'
import csv, sys
best = 0.0
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        if row["Benchmark"].endswith("DurableAppendBenchmark.append") and row.get("Param: variant") == "spi" \
                and row.get("Param: payload") == "128":
            best = max(best, float(row["Score"]))
print(max(1, int(best / 2)))
PY
}

b1_paired() {
  jmh B1-paired 'FdatasyncBenchmark.rate' 'PairedDurableBenchmark' -- "${paired[@]}"
}

b1_latency() {
  local rate
  rate="$(half_max_b1)"
  echo "== B1 acknowledgement latency at half the highest SPI 128 B throughput of results/$mode-B1.csv ($rate appends/s),"
  echo "   and at 10,000 and 1,000 appends/s for reference"
  jmh B1-latency 'FdatasyncBenchmark.latency' 'AckLatencyBenchmark' -- -p rate="$rate,10000,1000" "${short[@]}"
}

for group in "${groups[@]}"; do
  case "$group" in
    B1)
      jmh B1 'FdatasyncBenchmark' 'DurableAppendBenchmark'
      b1_paired
      b1_latency
      ;;
    B1-paired) b1_paired ;;
    B1-latency) b1_latency ;;
    B2) jmh B2 'BufferedAppendBenchmark' 'ChronicleAppendBenchmark' ;;
    B3) jmh B3 'AdaptorCostBenchmark' ;;
    B4) jmh B4 'FdatasyncBenchmark.latency' 'TailLatencyBenchmark' -- "${short[@]}" ;;
    B5)
      if [ "$mode" = quick ]; then jmh B5 'CatchUpReadBenchmark' -- -p logMiB=64
      else jmh B5 'CatchUpReadBenchmark'; fi
      ;;
    B6)
      if [ "$mode" = quick ]; then jmh B6 'OpenTimeBenchmark' -- -p sizeMiB=16,64
      else jmh B6 'OpenTimeBenchmark'; fi
      ;;
    B7) jmh B7 'ManyScannersBenchmark' -- "${short[@]}" ;;
  esac
done

python3 summarize.py "$mode" > "results/$mode-summary.md" && echo "== tables: results/$mode-summary.md"
echo "== latency, heap and paired lines"
grep -ho 'HDR .*\|HEAP .*\|PAIR B1 .*' "results/$mode"-B*.txt || true
