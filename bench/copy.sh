#!/usr/bin/env bash
# The file-copy paths against the engine's own sequential read, on one throwaway tgtd, alternating, medians.
#
#   bench/copy.sh [--rounds N] [--gib G] [--buffer-count N] [--rest S]
#
# Per round, on tgtd's null LUN (reads return zeros, so the target costs little):
#   engine      `iscsi perf` sequential reads, 1 MiB x 8 and 128 KiB x 32 in flight (reads land in the workers' own
#               buffers; nothing is written anywhere). The better median of the two is the reference.
#   iscsi read  `iscsi read --out /dev/null`, `--out <tmpfs file>` and `--out <root fs file>` of G GiB (its own
#               timing, printed on stderr).
#   module      BlockTransfer.ReadToFileAsync, what `Read-IscsiBlock -Path` runs (bench/BlockTransferBench), to the
#               same three destinations, with the cmdlet's default -BufferSize/-BufferCount unless --buffer-count.
#   sink        `dd` of G GiB of zeros into a fresh file on each file system: what the file system alone manages (on
#               a VM, page allocation can cost more than the network copy; a copy to a file cannot beat this row).
# The root fs file lives under /var/tmp (the root disk's page cache: G GiB stays far below the dirty limits, and
# the file is gone before writeback starts). Each file is deleted after each run, so that every run writes fresh
# pages (the realistic case).
# Every run starts after S seconds of rest (default 3). On a VM with free page reporting (virtio-balloon, as on
# the development machines) memory freed by the previous run goes back to the host about two seconds later, and
# the next run that touches it pays a host page fault per page: a 1 GiB `dd` into a new ext4 file runs at about
# 3 GB/s right after another 1 GiB file was deleted and at about 0.3 GB/s a few seconds later. Resting before
# every row makes all of them, the sink included, start from memory the host has taken back, as a real copy would.
# Needs: tgt, dotnet. Not part of CI: the figures depend on the machine's load.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
ROUNDS=3
GIB=1
BUFFER_COUNT=
REST=3
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --gib) GIB=$2; shift 2 ;;
        --buffer-count) BUFFER_COUNT=$2; shift 2 ;;
        --rest) REST=$2; shift 2 ;;
        *) echo "usage: $0 [--rounds N] [--gib G] [--buffer-count N] [--rest S]" >&2; exit 2 ;;
    esac
done

for tool in tgtd dotnet dd; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "copy.sh: $tool is missing" >&2; exit 1; }
done

BENCH_DIR=$(mktemp -d /dev/shm/iscsimodule-copy-XXXXXX)
readonly BENCH_DIR
DISK_DIR=$(mktemp -d /var/tmp/iscsimodule-copy-XXXXXX)
readonly DISK_DIR
cleanup() {
    trap '' INT TERM
    [[ -f $BENCH_DIR/target.env ]] && bash "$ROOT/tests/targets/tgt-target.sh" stop "$BENCH_DIR" >/dev/null 2>&1
    rm -rf "$BENCH_DIR" "$DISK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "building the iscsi command and BlockTransferBench (Release) ..." >&2
for project in src/IscsiCli/IscsiCli.csproj bench/BlockTransferBench/BlockTransferBench.csproj; do
    dotnet build "$ROOT/$project" -c Release -nologo -v quiet -o "$BENCH_DIR/bin" >"$BENCH_DIR/build.log" 2>&1 ||
        { cat "$BENCH_DIR/build.log" >&2; exit 1; }
done
bash "$ROOT/tests/targets/tgt-target.sh" start "$BENCH_DIR" >/dev/null
# shellcheck disable=SC1091
source "$BENCH_DIR/target.env"
NULL_LUN="iscsi://$HOST:$PORT/$DISK_IQN/2"
BYTES=$((GIB << 30))
BLOCKS=$((BYTES / 512))
COPY_FILE=$BENCH_DIR/copy.bin
DISK_FILE=$DISK_DIR/copy.bin

# Each runner prints MB/s (10^6 bytes).
engine() { # qd blocks
    dotnet "$BENCH_DIR/bin/IscsiCli.dll" perf "$NULL_LUN" -m "$1" -b "$2" -t 5 |
        sed -nE 's/^iops average ([0-9]+) .*/\1/p' | awk -v b="$2" '{ printf "%.0f\n", $1 * b * 512 / 1e6 }'
}
cli_read() { # path
    dotnet "$BENCH_DIR/bin/IscsiCli.dll" read "$NULL_LUN" --blocks "$BLOCKS" --out "$1" 2>&1 >/dev/null |
        sed -nE 's/^read .*\(([0-9.]+) MB\/s\)$/\1/p'
    rm -f "$COPY_FILE" "$DISK_FILE"
}
module_read() { # path
    dotnet "$BENCH_DIR/bin/BlockTransferBench.dll" "$HOST" "$PORT" "$DISK_IQN" 2 "$BYTES" "$1" 1048576 "${BUFFER_COUNT:-4}" |
        sed -nE 's/.*: ([0-9]+) MB\/s.*/\1/p'
    rm -f "$COPY_FILE" "$DISK_FILE"
}
sink() { # path
    dd if=/dev/zero of="$1" bs=1M count=$((GIB * 1024)) 2>&1 | awk -v b="$BYTES" '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") printf "%.0f\n", b / $(i - 1) / 1e6 }'
    rm -f "$1"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ROWS=("engine 1m x8|engine 8 2048" "engine 128k x32|engine 32 256" "iscsi read > /dev/null|cli_read /dev/null"
    "iscsi read > tmpfs|cli_read $COPY_FILE" "iscsi read > root fs|cli_read $DISK_FILE"
    "module -Path /dev/null|module_read /dev/null" "module -Path tmpfs|module_read $COPY_FILE"
    "module -Path root fs|module_read $DISK_FILE" "sink: dd > tmpfs|sink $COPY_FILE" "sink: dd > root fs|sink $DISK_FILE")
declare -A values
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "target: tgtd $(dpkg-query -W -f='${Version}' tgt 2>/dev/null) on $HOST:$PORT, null LUN; $GIB GiB copies; $ROUNDS rounds, alternating, ${REST}s rest before each run"
for ((r = 1; r <= ROUNDS; r++)); do
    for row in "${ROWS[@]}"; do
        name=${row%%|*}
        sleep "$REST"
        values[$name]+="$(${row#*|}) "
    done
done
e1=$(tr ' ' '\n' <<<"${values[engine 1m x8]}" | grep . | median)
e2=$(tr ' ' '\n' <<<"${values[engine 128k x32]}" | grep . | median)
reference=$(printf '%s\n' "$e1" "$e2" | sort -n | tail -n 1)
printf '%-24s %10s %10s   %s\n' path "MB/s" "of engine" "rounds"
for row in "${ROWS[@]}"; do
    name=${row%%|*}
    m=$(tr ' ' '\n' <<<"${values[$name]}" | grep . | median)
    printf '%-24s %10s %9s%%   %s\n' "$name" "$m" "$(awk -v m="$m" -v e="$reference" 'BEGIN { printf "%.0f", (e > 0 ? 100 * m / e : 0) }')" "${values[$name]}"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
