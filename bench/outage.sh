#!/usr/bin/env bash
# Rides real target outages: kills tgtd in the middle of a transfer, restarts it after a pause, and reports what
# each initiator printed and what ended up on the disk. Also swaps the LU behind the same IQN and LUN while the
# target is down, which a careful initiator must notice before it writes another byte.
#
#   bench/outage.sh [--outages "1 5 20 60 120"] [--size-mib 512] [--kill-at-mib 128] [--no-libiscsi]
#
# Cases, each on a fresh tgtd on a free loopback port (restarted on the same port), backing files on /dev/shm:
#   write-N      `iscsi write` (ours, defaults) of SIZE MiB of random bytes to LUN 1; tgtd is SIGKILLed once
#                KILL-AT MiB have reached the backing file and started again N seconds later with the same LU.
#                Reported: exit code, the CLI's last lines, and whether the backing file now equals the source.
#   write-120-budget-150  write-120 with --reconnect-timeout 150 (run when 120 is among the outages).
#   swap-size    as write-1, but the restarted tgtd has LUN 1 on another (empty) file of another size.
#   swap-serial  as write-1, but the other file has the same size and another unit serial number (VPD 80h).
#                Reported for both: exit code, the CLI's last lines, how much of the source is on the old file,
#                and how many bytes reached the new one (nothing may).
#   libiscsi-N   libiscsi's iscsi-perf (reads, -m 8 -b 256) against the same outage: whether it resumed (it is killed
#                if it has not ended a minute after its run time).
#   libiscsi-swap-size  iscsi-perf across the LU swap: whether it noticed.
#
# Needs: tgt, libiscsi-bin, dotnet. Not part of CI: the default outages alone take over four minutes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
# shellcheck source=../tests/targets/target-common.sh
source "$ROOT/tests/targets/target-common.sh"

OUTAGES="1 5 20 60 120"
SIZE_MIB=512
KILL_AT_MIB=128
LIBISCSI=1
while (($#)); do
    case $1 in
        --outages) OUTAGES=$2; shift 2 ;;
        --size-mib) SIZE_MIB=$2; shift 2 ;;
        --kill-at-mib) KILL_AT_MIB=$2; shift 2 ;;
        --no-libiscsi) LIBISCSI=0; shift ;;
        *) echo "usage: $0 [--outages \"1 5 20 60 120\"] [--size-mib N] [--kill-at-mib N] [--no-libiscsi]" >&2; exit 2 ;;
    esac
done
((KILL_AT_MIB < SIZE_MIB)) || { echo "outage.sh: --kill-at-mib must be below --size-mib" >&2; exit 2; }

readonly IQN=iqn.2026-11.test.iscsimodule:outage
readonly TGTD_SOCKET_DIR=/var/run/tgtd
WORK=$(mktemp -d /dev/shm/iscsimodule-outage-XXXXXX)
readonly WORK
TGTD_PID=
CONTROL=
cleanup() {
    trap '' INT TERM
    [[ -n $TGTD_PID ]] && kill -KILL "$TGTD_PID" 2>/dev/null
    jobs -p | xargs -r kill -KILL 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

allocated_bytes() { # file: bytes backed by memory (tmpfs allocates a page when it is first written)
    local blocks size
    read -r blocks size < <(stat -c '%b %B' "$1")
    echo $((blocks * size))
}

tgtadm_() { tgtadm --control-port "$CONTROL" --lld iscsi "$@" >>"$WORK/tgtadm.log" 2>&1; }

# Starts tgtd on 127.0.0.1:$PORT with target $IQN, LUN 1 on $1 (and, when given, unit serial $2). A fresh control
# port each time: the killed tgtd's socket file stays behind.
tgtd_up() { # backing [serial]
    local i
    CONTROL=$(random_in_range 1000 32767)
    while [[ -e $TGTD_SOCKET_DIR/socket.$CONTROL ]]; do CONTROL=$(random_in_range 1000 32767); done
    tgtd -f --control-port "$CONTROL" --iscsi "portal=$HOST:$PORT" >>"$WORK/tgtd.log" 2>&1 </dev/null &
    TGTD_PID=$!
    for ((i = 0; i < 100; i++)); do
        owns_tcp_listener "$TGTD_PID" "$PORT" && tgtadm_ --mode target --op show && break
        sleep 0.05
    done
    owns_tcp_listener "$TGTD_PID" "$PORT" || { echo "outage.sh: tgtd did not listen on $PORT; see $WORK/tgtd.log" >&2; exit 1; }
    tgtadm_ --mode target --op new --tid 1 --targetname "$IQN"
    tgtadm_ --mode logicalunit --op new --tid 1 --lun 1 --backing-store "$1"
    [[ -z ${2:-} ]] || tgtadm_ --mode logicalunit --op update --tid 1 --lun 1 --params "scsi_sn=$2"
    tgtadm_ --mode target --op bind --tid 1 --initiator-address ALL
}

tgtd_down() {
    kill -KILL "$TGTD_PID"
    wait "$TGTD_PID" 2>/dev/null || true
    TGTD_PID=
}

# Waits until $1 has $2 bytes allocated (the transfer got that far) or $3 (the writer) exits.
wait_for_bytes() { # file bytes pid
    while (($(allocated_bytes "$1") < $2)); do
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.01
    done
}

# How many leading MiB of the source the file holds, and whether it holds all of it.
compare_to_source() { # file
    local first
    if cmp -s "$WORK/source.bin" "$1"; then
        echo "identical to the source (all $SIZE_MIB MiB)"
        return
    fi
    first=$(cmp "$WORK/source.bin" "$1" 2>/dev/null | awk '{ sub(",", "", $5); print $5 - 1; exit }')
    first=${first:-0}
    echo "differs from the source from byte $first (first $((first / MIB)) MiB equal)"
}

nonzero_bytes() { # file
    tr -d '\0' <"$1" | wc -c
}

run_write_case() { # name outage-seconds swap(none|size|serial) [extra iscsi write flags...]
    local name=$1 outage=$2 swap=$3 disk="$WORK/$1.img" other="$WORK/$1-other.img" writer start end rc
    shift 3
    sparse_file "$disk" $((SIZE_MIB * MIB))
    tgtd_up "$disk" OUTAGE0001
    start=$(date +%s.%N)
    dotnet "$WORK/cli/IscsiCli.dll" write "iscsi://$HOST:$PORT/$IQN/1" --in "$WORK/source.bin" "$@" \
        >"$WORK/$name.out" 2>&1 &
    writer=$!
    if wait_for_bytes "$disk" $((KILL_AT_MIB * MIB)) "$writer"; then
        log "$name: $(($(allocated_bytes "$disk") / MIB)) MiB on disk, killing tgtd for ${outage}s"
        tgtd_down
        sleep "$outage"
        case $swap in
            none) tgtd_up "$disk" OUTAGE0001 ;;
            size) sparse_file "$other" $((SIZE_MIB / 2 * MIB)); tgtd_up "$other" OUTAGE0001 ;;
            serial) sparse_file "$other" $((SIZE_MIB * MIB)); tgtd_up "$other" OUTAGE0002 ;;
        esac
    else
        log "$name: the write ended before $KILL_AT_MIB MiB reached the disk; no outage made"
    fi
    rc=0
    wait "$writer" || rc=$?
    end=$(date +%s.%N)
    [[ -z $TGTD_PID ]] || tgtd_down
    echo "== $name (outage ${outage}s$([[ $swap == none ]] || echo ", LU swapped: other $swap")$( (($#)) && echo ", iscsi write $*")): exit $rc after $(printf '%.1f' "$(echo "$end - $start" | bc)") s"
    echo "   printed:"
    tail -n 4 "$WORK/$name.out" | sed 's/^/     | /'
    echo "   on disk: the original LU $(compare_to_source "$disk")"
    if [[ $swap != none ]]; then
        echo "   on disk: the other LU got $(nonzero_bytes "$other") non-zero bytes"
    fi
    rm -f "$disk" "$other"
}

run_libiscsi_case() { # name outage-seconds swap(none|size)
    local name=$1 outage=$2 swap=$3 disk="$WORK/$1.img" other="$WORK/$1-other.img" perf rc runtime
    sparse_file "$disk" $((SIZE_MIB * MIB))
    tgtd_up "$disk" OUTAGE0001
    runtime=$((outage + 20))
    # Killed if it has not ended a minute after its own run time: libiscsi can hang after an outage.
    timeout --signal=KILL $((runtime + 60)) iscsi-perf -m 8 -b 256 -t "$runtime" "iscsi://$HOST:$PORT/$IQN/1" >"$WORK/$name.out" 2>&1 &
    perf=$!
    sleep 3
    log "$name: killing tgtd for ${outage}s under iscsi-perf"
    tgtd_down
    sleep "$outage"
    local printed_before_restart
    printed_before_restart=$(stat -c %s "$WORK/$name.out")
    if [[ $swap == size ]]; then
        sparse_file "$other" $((SIZE_MIB / 2 * MIB))
        tgtd_up "$other" OUTAGE0001
    else
        tgtd_up "$disk" OUTAGE0001
    fi
    rc=0
    wait "$perf" || rc=$?
    [[ -z $TGTD_PID ]] || tgtd_down
    echo "== $name (iscsi-perf -t $runtime, outage ${outage}s$([[ $swap == none ]] || echo ", LU swapped: other size")): exit $rc$( ((rc == 137)) && echo " (hung: killed $((runtime + 60)) s after it started)")"
    # iscsi-perf prints a status line a second; one with reads done after the restart shows it resumed.
    if tail -c +$((printed_before_restart + 1)) "$WORK/$name.out" | tr '\r' '\n' | grep -qE 'iops current [1-9]'; then
        echo "   reads after the restart: yes"
    else
        echo "   reads after the restart: none"
    fi
    echo "   printed (last lines):"
    tr '\r' '\n' <"$WORK/$name.out" | grep -v '^ *$' | tail -n 4 | sed 's/^/     | /'
    rm -f "$disk" "$other"
}

log "building the iscsi command (Release) ..."
dotnet build "$ROOT/src/IscsiCli/IscsiCli.csproj" -c Release -nologo -v quiet -o "$WORK/cli" >"$WORK/build.log" 2>&1 ||
    { cat "$WORK/build.log" >&2; exit 1; }
head -c $((SIZE_MIB * MIB)) /dev/urandom >"$WORK/source.bin"
PORT=$(pick_tcp_port)
log "tgtd on $HOST:$PORT, $SIZE_MIB MiB writes, tgtd killed at $KILL_AT_MIB MiB"

for outage in $OUTAGES; do
    run_write_case "write-$outage" "$outage" none
done
# An outage as long as the whole default budget (120 s) outlasts it; a larger budget rides it out.
[[ " $OUTAGES " != *" 120 "* ]] || run_write_case write-120-budget-150 120 none --reconnect-timeout 150
run_write_case swap-size 1 size
run_write_case swap-serial 1 serial
if ((LIBISCSI)); then
    for outage in $OUTAGES; do
        run_libiscsi_case "libiscsi-$outage" "$outage" none
    done
    run_libiscsi_case libiscsi-swap-size 1 size
fi
