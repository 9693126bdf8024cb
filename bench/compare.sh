#!/usr/bin/env bash
# Races our initiator against libiscsi on the same throwaway tgtd, alternating runs, and prints medians.
#
#   bench/compare.sh [--rounds N] [--seconds S]
#   OURS_FLAGS=... bench/compare.sh ...   extra flags for every `iscsi perf` run (ours)
#
# Starts its own tgtd (tests/targets/tgt-target.sh) with its work directory on tmpfs (/dev/shm), so the
# rdwr LUN 1 (64 MiB) is memory-backed; reads use the null LUN 2. For each workload it runs, N times in
# alternation: libiscsi's iscsi-perf (reads only), QEMU's `qemu-img bench` (QEMU's iSCSI driver is libiscsi;
# reads and writes, sequential only), and `iscsi perf` (ours) twice: with --inline-completions (continuations on
# the receive thread, libiscsi's own callback model) and in the default mode (continuations on the thread pool,
# what the PowerShell cmdlets use). The libiscsi anchor of a workload is the better of the two libiscsi tools'
# medians; each of our modes gets its own ratio against it. Each workload also gets each tool's CPU (user+sys) per I/O, from
# /usr/bin/time for libiscsi's tools (whole process) and from `iscsi perf` itself for ours (measured window).
# Needs: tgt, libiscsi-bin, qemu-utils, qemu-block-extra, time.
# Not part of CI: it takes a few minutes and its figures depend on the machine's load.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
ROUNDS=3
SECONDS_PER_RUN=5
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
        *) echo "usage: $0 [--rounds N] [--seconds S]" >&2; exit 2 ;;
    esac
done

[[ -x /usr/bin/time ]] || { echo "compare.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
for tool in tgtd iscsi-perf qemu-img dotnet; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "compare.sh: $tool is missing" >&2; exit 1; }
done

BENCH_DIR=$(mktemp -d /dev/shm/iscsimodule-bench-XXXXXX)
readonly BENCH_DIR
cleanup() {
    trap '' INT TERM
    [[ -f $BENCH_DIR/target.env ]] && bash "$ROOT/tests/targets/tgt-target.sh" stop "$BENCH_DIR" >/dev/null 2>&1
    rm -rf "$BENCH_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "building the iscsi command (Release) ..." >&2
dotnet build "$ROOT/src/IscsiCli/IscsiCli.csproj" -c Release -nologo -v quiet -o "$BENCH_DIR/cli" >"$BENCH_DIR/build.log" 2>&1 ||
    { cat "$BENCH_DIR/build.log" >&2; exit 1; }
bash "$ROOT/tests/targets/tgt-target.sh" start "$BENCH_DIR" >/dev/null
# shellcheck disable=SC1091
source "$BENCH_DIR/target.env"
NULL_LUN="iscsi://$HOST:$PORT/$DISK_IQN/2"
RAM_LUN="iscsi://$HOST:$PORT/$DISK_IQN/1"

# Each runner prints "IOPS MBPS CPU" (MB = 10^6 bytes; CPU = user+sys microseconds per I/O). iscsi-perf's own
# MB/s figure is in MiB/s (2^20): ours is computed from its IOPS instead, so that every column counts alike.
run_iscsi_perf() { # url qd blocks random(0/1)
    local out iops
    out=$( { /usr/bin/time -f 'cpu %U %S' timeout $((SECONDS_PER_RUN + 30)) iscsi-perf -m "$2" -b "$3" -t "$SECONDS_PER_RUN" $([[ $4 == 1 ]] && echo -r) "$1"; } 2>&1 | tr '\r' '\n')
    iops=$(grep -a 'iops average [0-9]* (' <<<"$out" | tail -n 1 | sed -E 's/.*iops average ([0-9]+) .*/\1/')
    awk -v i="$iops" -v b="$(($3 * 512))" -v t="$SECONDS_PER_RUN" -v cpu="$(grep -a '^cpu ' <<<"$out" | tail -n 1 | cut -d' ' -f2-)" \
        'BEGIN { split(cpu, c, " "); printf "%.0f %.0f %.1f\n", i, i * b / 1e6, (i > 0 ? (c[1] + c[2]) * 1e6 / (i * t) : 0) }'
}

run_qemu() { # url qd bytes write(0/1)
    local count seconds
    # Size the run to about SECONDS_PER_RUN at the rate of a first short probe.
    seconds=$(qemu_seconds "$1" "$2" "$3" "$4" 2000 | cut -d' ' -f1)
    count=$(awk -v s="$seconds" -v t="$SECONDS_PER_RUN" 'BEGIN { c = int(2000 * t / (s > 0 ? s : 0.001)); print (c < 2000 ? 2000 : c) }')
    read -r seconds cpu <<<"$(qemu_seconds "$1" "$2" "$3" "$4" "$count")"
    awk -v c="$count" -v s="$seconds" -v b="$3" -v cpu="$cpu" 'BEGIN { printf "%.0f %.0f %.1f\n", c / s, c * b / s / 1e6, cpu * 1e6 / c }'
}

qemu_seconds() { # url qd bytes write count -> "seconds cpu-seconds"
    local out
    out=$( { /usr/bin/time -f 'cpu %U %S' timeout 300 qemu-img bench -f raw -t none -n -c "$5" -d "$2" -s "$3" $([[ $4 == 1 ]] && echo -w) "$1"; } 2>&1)
    echo "$(sed -nE 's/Run completed in ([0-9.]+) seconds\./\1/p' <<<"$out") $(grep '^cpu ' <<<"$out" | awk '{ print $2 + $3 }')"
}

run_ours() { # url qd blocks random(0/1) write(0/1) mode(inline|pool)
    local out
    # shellcheck disable=SC2086 # OURS_FLAGS is a list of flags
    out=$(dotnet "$BENCH_DIR/cli/IscsiCli.dll" perf "$1" -m "$2" -b "$3" -t "$SECONDS_PER_RUN" $([[ $4 == 1 ]] && echo -r) $([[ $5 == 1 ]] && echo --write) \
        $([[ $6 == inline ]] && echo --inline-completions) ${OURS_FLAGS:-})
    # Runs in a command substitution (a subshell): the detail goes through a file.
    grep -E '^(latency|cpu|allocated)' <<<"$out" | tr '\n' ';' >"$BENCH_DIR/ours-detail"
    echo "$(sed -nE 's/^iops average ([0-9]+) \(([0-9]+) MB\/s\)/\1 \2/p' <<<"$out") $(sed -nE 's/^cpu .*, ([0-9.]+) s\/1000 I\/Os$/\1/p' <<<"$out" | awk '{ printf "%.1f", $1 * 1000 }')"
}

ratio() { awk -v o="$1" -v a="$2" 'BEGIN { printf "%.2fx", (a > 0 ? o / a : 0) }'; } # ours anchor
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# name url qd blocks random write metric(iops|mbps)
WORKLOADS=(
    "seq-read-128k-qd32|$NULL_LUN|32|256|0|0|mbps"
    "rand-read-4k-qd32|$NULL_LUN|32|8|1|0|iops"
    "rand-read-4k-qd1|$NULL_LUN|1|8|1|0|iops"
    "seq-read-1m-qd8|$NULL_LUN|8|2048|0|0|mbps"
    "seq-write-128k-qd32|$RAM_LUN|32|256|0|1|mbps"
    "write-4k-qd32|$RAM_LUN|32|8|0|1|iops"
)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "target: tgtd $(dpkg-query -W -f='${Version}' tgt 2>/dev/null) on $HOST:$PORT; $ROUNDS rounds of ${SECONDS_PER_RUN}s, alternating"
printf '%-22s %6s %11s %11s %11s %11s %7s %11s %7s\n' workload metric iscsi-perf qemu-img anchor ours-inline ratio ours-pool ratio
for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name url qd blocks random write metric <<<"$w"
    bytes=$((blocks * 512))
    perf_values=() qemu_values=() inline_values=() pool_values=() details=() perf_cpu=() qemu_cpu=() inline_cpu=() pool_cpu=()
    for ((r = 1; r <= ROUNDS; r++)); do
        if [[ $write == 0 ]]; then
            read -r iops mbps cpu <<<"$(run_iscsi_perf "$url" "$qd" "$blocks" "$random")"
            perf_values+=("$([[ $metric == mbps ]] && echo "$mbps" || echo "$iops")") perf_cpu+=("$cpu")
        fi
        if [[ $random == 0 ]]; then
            read -r iops mbps cpu <<<"$(run_qemu "$url" "$qd" "$bytes" "$write")"
            qemu_values+=("$([[ $metric == mbps ]] && echo "$mbps" || echo "$iops")") qemu_cpu+=("$cpu")
        fi
        read -r iops mbps cpu <<<"$(run_ours "$url" "$qd" "$blocks" "$random" "$write" inline)"
        inline_values+=("$([[ $metric == mbps ]] && echo "$mbps" || echo "$iops")") inline_cpu+=("$cpu")
        details+=("$(cat "$BENCH_DIR/ours-detail")")
        read -r iops mbps cpu <<<"$(run_ours "$url" "$qd" "$blocks" "$random" "$write" pool)"
        pool_values+=("$([[ $metric == mbps ]] && echo "$mbps" || echo "$iops")") pool_cpu+=("$cpu")
    done
    p=$( ((${#perf_values[@]})) && printf '%s\n' "${perf_values[@]}" | median || echo -)
    q=$( ((${#qemu_values[@]})) && printf '%s\n' "${qemu_values[@]}" | median || echo -)
    oi=$(printf '%s\n' "${inline_values[@]}" | median)
    op=$(printf '%s\n' "${pool_values[@]}" | median)
    anchor=$(printf '%s\n' "$p" "$q" | grep -v '^-$' | sort -n | tail -n 1)
    printf '%-22s %6s %11s %11s %11s %11s %7s %11s %7s\n' "$name" "$metric" "$p" "$q" "$anchor" "$oi" "$(ratio "$oi" "$anchor")" "$op" "$(ratio "$op" "$anchor")"
    pc=$( ((${#perf_cpu[@]})) && printf '%s\n' "${perf_cpu[@]}" | median || echo -)
    qc=$( ((${#qemu_cpu[@]})) && printf '%s\n' "${qemu_cpu[@]}" | median || echo -)
    echo "    cpu us/I/O (median, user+sys): iscsi-perf $pc, qemu-img $qc, ours inline $(printf '%s\n' "${inline_cpu[@]}" | median), ours pool $(printf '%s\n' "${pool_cpu[@]}" | median)"
    echo "    ours inline, last round: ${details[-1]}"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
