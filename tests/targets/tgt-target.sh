#!/usr/bin/env bash
# Starts and stops a throwaway tgtd (Linux SCSI target framework) on 127.0.0.1 for tests,
# the demo and the benchmark. Several instances may run at once: each gets its own TCP port
# and its own tgtd control port, and everything it creates lives under <workdir>.
#
#   tgt-target.sh start <workdir> [--profile standard]   prints KEY=VALUE lines, writes <workdir>/target.env
#   tgt-target.sh stop  <workdir>                        SIGKILLs the tgtd recorded in <workdir>/target.env
#                                                        (deletes nothing; the caller owns <workdir>)
#
# tgtd quirks this script works around (tgt 1.0.85, Debian 12):
# - tgtd listens on 0.0.0.0:3260 unless told otherwise; `--iscsi portal=127.0.0.1:PORT` on its
#   command line replaces that default.
# - If that portal cannot be bound (port taken) tgtd does NOT exit: it logs "failed to create/bind
#   to portal" and silently falls back to 0.0.0.0:3260. So we check that our pid really owns a
#   listening socket on 127.0.0.1:PORT and retry with another port otherwise.
# - `--control-port N` (tgtadm `-C N`) names the unix socket /var/run/tgtd/socket.N guarded by a
#   lockf() lock on socket.N.lock, not a TCP port. A second tgtd on the same N logs "another tgtd
#   is using ..." and exits (not necessarily at once), while tgtadm -C N would happily talk to the
#   first one. So we also check that our pid owns that unix socket. A killed tgtd leaves its
#   socket/lock files behind; they are harmless (the lock dies with the process) but we avoid
#   numbers whose files exist, and `stop` deletes only the files of the tgtd it killed.
# - tgtd ignores SIGTERM while it has targets (it wants them deleted first): stop with SIGKILL.
# - With -f tgtd writes its log to stderr; "Failed to initialize RDMA" and the oom_score_adj /
#   nr_open warnings are normal in containers.
# - `--bstype null` LUNs ignore the backing-store path (any name will do) and have a fixed size
#   of 1 TiB (2^31 blocks of 512 bytes) that cannot be changed; reads return zeros, writes vanish.
# - `--params readonly=1` is refused by `logicalunit --op new` ("option '-P' is not allowed");
#   it has to be a separate `logicalunit --op update` after the LUN exists.
# - Digests: with its default HeaderDigest=None / DataDigest=None tgtd answers "None" even to an
#   initiator that offered only "CRC32C" (an RFC 7143 section 6.2 violation; our initiator would see a
#   value it never offered). So the standard profile sets both to CRC32C on every target. tgtd then
#   answers CRC32C whenever the offer contains it - even for "None,CRC32C", where the RFC says the
#   first acceptable value (None) should win - and None when only None is offered. Net effect:
#   the initiator decides. (tgtd folds a list such as "None,CRC32C" given to tgtadm into "CRC32C".)
# - libiscsi 1.19 quirks seen against this target: its URL accepts `?header_digest=crc32c|none`
#   only, but iscsi-ls/-inq/-readcapacity16 override it and always offer HeaderDigest=None,CRC32C,
#   so with the setting above they always run with header digests; libiscsi never offers
#   DataDigest=CRC32C. Every target also has LUN 0, a "controller" (storage array controller) LU.
set -euo pipefail

# shellcheck source=target-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/target-common.sh"

readonly DISK_IQN=iqn.2026-11.test.iscsimodule:disk
readonly CHAP_IQN=iqn.2026-11.test.iscsimodule:chap
readonly MUTUAL_IQN=iqn.2026-11.test.iscsimodule:mutual
# Fixed test credentials: this target only ever listens on loopback. CHAP secrets are 12-16+
# characters because RFC 7143 section 12.1.3 tells targets they may refuse shorter ones.
readonly CHAP_USER=chapuser
readonly CHAP_SECRET=chapsecret-0123456789
readonly MUTUAL_TARGET_USER=targetuser
readonly MUTUAL_TARGET_SECRET=targetsecret-9876543210
# tgtd accepts 0-32767; stay away from the low numbers a system tgtd would use.
readonly CONTROL_MIN=1000 CONTROL_MAX=32767
readonly START_ATTEMPTS=10
readonly TGTD_SOCKET_DIR=/var/run/tgtd

die() {
    echo "tgt-target.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start <workdir> [--profile standard] | $0 stop <workdir>" >&2
    exit 2
}




pick_control_port() {
    local n
    while :; do
        n=$(random_in_range "$CONTROL_MIN" "$CONTROL_MAX")
        [[ -e "$TGTD_SOCKET_DIR/socket.$n" || -e "$TGTD_SOCKET_DIR/socket.$n.lock" ]] || { echo "$n"; return; }
    done
}



# True when pid $1 owns the unix socket tgtd uses for control port $2.
owns_control_socket() {
    local path inodes
    path="$TGTD_SOCKET_DIR/socket.$2"
    inodes=$(socket_inodes_of "$1")
    awk -v path="$path" -v inodes="$inodes" '
        BEGIN { n = split(inodes, list, "\n"); for (i = 1; i <= n; i++) mine[list[i]] = 1 }
        NR > 1 && $8 == path && ($7 in mine) { found = 1 }
        END { exit !found }' /proc/net/unix
}

# Starts one tgtd on a fresh port pair; on success sets PORT, CONTROL_PORT and PID.
start_tgtd() {
    local workdir=$1 attempt port control pid i
    for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
        port=$(pick_tcp_port)
        control=$(pick_control_port)
        # Each attempt gets a fresh log so old failure messages cannot condemn a new attempt.
        tgtd -f --control-port "$control" --iscsi "portal=$HOST:$port" \
            >"$workdir/tgtd.log" 2>&1 </dev/null &
        pid=$!
        STARTING_PID=$pid
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            if grep -qsE 'failed to create/bind to portal|another tgtd is using' "$workdir/tgtd.log"; then
                break
            fi
            if owns_tcp_listener "$pid" "$port" && owns_control_socket "$pid" "$control"; then
                PORT=$port CONTROL_PORT=$control PID=$pid
                return 0
            fi
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        echo "--- attempt $attempt (port $port, control port $control) failed" >>"$workdir/tgtd.log"
        mv "$workdir/tgtd.log" "$workdir/tgtd.failed-attempt-$attempt.log"
    done
    die "could not start tgtd after $START_ATTEMPTS attempts; see $workdir/tgtd.failed-attempt-*.log"
}

tgtadm_() {
    tgtadm --control-port "$CONTROL_PORT" --lld iscsi "$@" >>"$WORKDIR/tgtadm.log" 2>&1 ||
        die "tgtadm $* failed; see $WORKDIR/tgtadm.log"
}



add_lun() { # tid lun path [extra tgtadm args...]
    local tid=$1 lun=$2 path=$3
    shift 3
    tgtadm_ --mode logicalunit --op new --tid "$tid" --lun "$lun" --backing-store "$path" "$@"
}

# Lets the initiator choose CRC32C digests (see the quirk note at the top).
accept_digests() { # tid
    tgtadm_ --mode target --op update --tid "$1" --name HeaderDigest --value CRC32C
    tgtadm_ --mode target --op update --tid "$1" --name DataDigest --value CRC32C
}

standard_profile() {
    local disk1="$WORKDIR/disk-lun1.img" disk3="$WORKDIR/disk-lun3-4k.img" disk4="$WORKDIR/disk-lun4-ro.img"
    local chap1="$WORKDIR/chap-lun1.img" mutual1="$WORKDIR/mutual-lun1.img"
    sparse_file "$disk1" $((64 * MIB))
    sparse_file "$disk3" $((64 * MIB))
    sparse_file "$disk4" $((16 * MIB))
    sparse_file "$chap1" $((16 * MIB))
    sparse_file "$mutual1" $((16 * MIB))

    # tid 1: no authentication, four LUNs of different kinds.
    tgtadm_ --mode target --op new --tid 1 --targetname "$DISK_IQN"
    add_lun 1 1 "$disk1"
    add_lun 1 2 null-lun2 --bstype null
    add_lun 1 3 "$disk3" --blocksize 4096
    add_lun 1 4 "$disk4"
    tgtadm_ --mode logicalunit --op update --tid 1 --lun 4 --params readonly=1
    tgtadm_ --mode target --op bind --tid 1 --initiator-address ALL
    accept_digests 1
    # tgtd defaults to InitialR2T=Yes, and the result is the OR of both sides: with No here the initiator
    # decides, so tests can exercise unsolicited Data-Out as well as R2T-only writes.
    tgtadm_ --mode target --op update --tid 1 --name InitialR2T --value No

    # Accounts are global in tgtd; a target uses them once bound to it.
    tgtadm_ --mode account --op new --user "$CHAP_USER" --password "$CHAP_SECRET"
    tgtadm_ --mode account --op new --user "$MUTUAL_TARGET_USER" --password "$MUTUAL_TARGET_SECRET"

    # tid 2: one-way CHAP (the target checks the initiator).
    tgtadm_ --mode target --op new --tid 2 --targetname "$CHAP_IQN"
    add_lun 2 1 "$chap1"
    tgtadm_ --mode account --op bind --tid 2 --user "$CHAP_USER"
    tgtadm_ --mode target --op bind --tid 2 --initiator-address ALL
    accept_digests 2

    # tid 3: mutual CHAP (the initiator also checks the target's answer).
    tgtadm_ --mode target --op new --tid 3 --targetname "$MUTUAL_IQN"
    add_lun 3 1 "$mutual1"
    tgtadm_ --mode account --op bind --tid 3 --user "$CHAP_USER"
    tgtadm_ --mode account --op bind --tid 3 --user "$MUTUAL_TARGET_USER" --outgoing
    tgtadm_ --mode target --op bind --tid 3 --initiator-address ALL
    accept_digests 3

    emit TARGET_KIND tgtd
    emit DISK_IQN "$DISK_IQN"
    emit_lun DISK_LUN1 "$disk1" 512 $((64 * MIB))
    emit_lun DISK_LUN2 "" 512 $((1024 * 1024 * MIB))
    emit DISK_LUN2_BSTYPE null
    emit_lun DISK_LUN3 "$disk3" 4096 $((64 * MIB))
    emit_lun DISK_LUN4 "$disk4" 512 $((16 * MIB))
    emit DISK_LUN4_READONLY 1
    emit CHAP_IQN "$CHAP_IQN"
    emit_lun CHAP_LUN1 "$chap1" 512 $((16 * MIB))
    emit CHAP_USER "$CHAP_USER"
    emit CHAP_SECRET "$CHAP_SECRET"
    emit MUTUAL_IQN "$MUTUAL_IQN"
    emit_lun MUTUAL_LUN1 "$mutual1" 512 $((16 * MIB))
    emit MUTUAL_USER "$CHAP_USER"
    emit MUTUAL_SECRET "$CHAP_SECRET"
    emit MUTUAL_TARGET_USER "$MUTUAL_TARGET_USER"
    emit MUTUAL_TARGET_SECRET "$MUTUAL_TARGET_SECRET"
    emit DIGESTS "None,CRC32C"
}

STARTING_PID=
abort_start() {
    if [[ -n $STARTING_PID ]]; then
        kill -KILL "$STARTING_PID" 2>/dev/null || true
    fi
}

cmd_start() {
    local profile=standard
    [[ $# -ge 1 ]] || usage
    WORKDIR=$1
    shift
    while [[ $# -gt 0 ]]; do
        case $1 in
            --profile) [[ $# -ge 2 ]] || usage; profile=$2; shift 2 ;;
            *) usage ;;
        esac
    done
    [[ $profile == standard ]] || die "unknown profile '$profile' (known: standard)"
    if ! command -v tgtd >/dev/null || ! command -v tgtadm >/dev/null; then
        die "tgtd/tgtadm not found: install the 'tgt' package"
    fi
    mkdir -p "$WORKDIR"
    WORKDIR=$(cd "$WORKDIR" && pwd)
    if [[ -f "$WORKDIR/target.env" ]] &&
        is_our_tgtd "$(env_value "$WORKDIR/target.env" PID)" "$(env_value "$WORKDIR/target.env" CONTROL_PORT)"; then
        die "a target from $WORKDIR/target.env is still running: stop it first"
    fi

    # Until target.env is written nobody else knows the tgtd's pid: any way out of here (error, set -e,
    # Ctrl+C, a TERM from a test runner's timeout) must kill it, or it would run on forever.
    trap abort_start EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start_tgtd "$WORKDIR"
    standard_profile

    write_target_env "$WORKDIR" "$profile"
    trap - EXIT HUP INT TERM
}

# True when pid $1 is the tgtd we started with control port $2 (pids get reused).
is_our_tgtd() {
    local cmdline
    [[ -r /proc/$1/cmdline ]] || return 1
    cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == "tgtd -f --control-port $2 "* ]]
}


cmd_stop() {
    [[ $# -eq 1 ]] || usage
    local env="$1/target.env" pid control
    [[ -f $env ]] || die "$env not found: nothing to stop"
    pid=$(env_value "$env" PID)
    control=$(env_value "$env" CONTROL_PORT)
    [[ $pid =~ ^[0-9]+$ && $control =~ ^[0-9]+$ ]] || die "no PID=/CONTROL_PORT= lines in $env"
    # A stop is often run from a cleanup handler while a signal is going round: finish it regardless.
    trap '' HUP INT TERM
    if is_our_tgtd "$pid" "$control"; then
        kill -KILL "$pid"
        # Wait on the cmdline, not kill -0: a killed tgtd stays a zombie (empty cmdline) until its
        # adoptive parent reaps it, which some container inits never do.
        while is_our_tgtd "$pid" "$control"; do sleep 0.05; done
        # A killed tgtd leaves its control socket files behind. They are ours and the process is gone
        # (no other instance picks a number whose files exist), so tidy them rather than let them pile up.
        rm -f "$TGTD_SOCKET_DIR/socket.$control" "$TGTD_SOCKET_DIR/socket.$control.lock"
    fi
}

[[ $# -ge 1 ]] || usage
case $1 in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    *) usage ;;
esac
