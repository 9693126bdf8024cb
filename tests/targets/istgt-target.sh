#!/usr/bin/env bash
# Starts and stops a throwaway istgt (the userspace iSCSI target from FreeBSD, Debian package istgt) on
# 127.0.0.1 for tests, the demo and the benchmark, beside tgt-target.sh. Several instances may run at once:
# each gets its own TCP port, and its config, auth file, pid file, log and backing files live under <workdir>.
#
#   istgt-target.sh start <workdir> [--profile standard]   prints KEY=VALUE lines, writes <workdir>/target.env
#   istgt-target.sh stop  <workdir>                        stops the istgt recorded in <workdir>/target.env
#                                                          (deletes nothing; the caller owns <workdir>)
#
# target.env has the keys tgt-target.sh writes (so the fixtures share one parser), plus:
#   TARGET_KIND=istgt
#   DISK_LUN0_*            istgt has no controller LU: LUN 0 of every target is a (small) disk
#   DISK_LUN3_IQN, DISK_LUN4_IQN
#                          the 4096-byte LUN and the read-only LUN live on targets of their own (see below)
#   DISK_LUN2_FILE         istgt has no null backing store: LUN 2 is a large sparse file instead
# CONTROL_PORT is 0: istgt's only control channel (the [UnitControl] portal for istgtcontrol) is a TCP
# port, which this script leaves closed.
#
# istgt quirks this script works around or records (istgt 0.4 20111008, Debian 12):
# - istgt -D stays in the foreground and logs to stdout (and syslog, which may not exist in a container).
#   -c names the config, -p the pid file; everything else it opens is named by the config (AuthFile,
#   MediaDirectory, backing files), so nothing global is shared between two instances.
# - A portal it cannot bind is fatal ("listen error", exit): we retry with another port. It exits too on a
#   config value it does not support, e.g. "InitialR2T No" ("not supported value No"): InitialR2T is
#   always Yes, ImmediateData, DataPDUInOrder and DataSequenceInOrder always Yes, ErrorRecoveryLevel 0.
# - One [LogicalUnitN] section is one target; its LUNs (LUN0-LUN15, LUN0 mandatory) share the section's
#   BlockLength and ReadOnly, so a 4096-byte or read-only LUN needs a target of its own. Gaps are allowed.
# - SIGTERM stops it (it logs "SIGTERM catch" and removes its pid file) but it finishes open connections
#   first, which can take a second or two; stop waits, then SIGKILLs.
# - Digests: "UseDigest Auto" lets the initiator choose (None or CRC32C for each of header and data).
# - CHAP secrets of 12-16 characters are what istgt's sample recommends for Microsoft's initiator; istgt
#   itself accepts longer ones. Mutual CHAP is the 3rd and 4th word of an "Auth" line in auth.conf.
# - libiscsi 1.19's iscsi-ls does not work against it: istgt advances ExpCmdSN on the IMMEDIATE
#   SendTargets Text request, libiscsi's following Logout then carries a CmdSN below ExpCmdSN and the
#   discovery session falls apart ("Invalid target"). iscsi-inq and iscsi-readcapacity16 are fine.
set -euo pipefail

# shellcheck source=target-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/target-common.sh"

readonly NODE_BASE=iqn.2026-11.test.iscsimodule
readonly DISK_IQN=$NODE_BASE:disk
readonly DISK4K_IQN=$NODE_BASE:disk4k
readonly READONLY_IQN=$NODE_BASE:readonly
readonly CHAP_IQN=$NODE_BASE:chap
readonly MUTUAL_IQN=$NODE_BASE:mutual
# The same fixed loopback-only credentials as tgt-target.sh.
readonly CHAP_USER=chapuser
readonly CHAP_SECRET=chapsecret-0123456789
readonly MUTUAL_TARGET_USER=targetuser
readonly MUTUAL_TARGET_SECRET=targetsecret-9876543210
readonly START_ATTEMPTS=10
readonly STOP_GRACE_SECONDS=5

die() {
    echo "istgt-target.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start <workdir> [--profile standard] | $0 stop <workdir>" >&2
    exit 2
}

find_istgt() {
    local candidate
    for candidate in "$(command -v istgt 2>/dev/null || true)" /usr/sbin/istgt /sbin/istgt /usr/local/sbin/istgt; do
        [[ -n $candidate && -x $candidate ]] && { echo "$candidate"; return; }
    done
    return 1
}

# One [LogicalUnitN] section: a target with the given LUN lines.
logical_unit() { # n short-name auth-method auth-group block-length read-only lun-lines...
    local n=$1 name=$2 auth=$3 group=$4 block=$5 readonly=$6
    shift 6
    cat <<UNIT
[LogicalUnit$n]
  TargetName $name
  Mapping PortalGroup1 InitiatorGroup1
  AuthMethod $auth
  AuthGroup $group
  UseDigest Auto
  UnitType Disk
  BlockLength $block
  ReadOnly $readonly
UNIT
    local line
    for line in "$@"; do echo "  $line"; done
}

write_config() { # workdir port
    local w=$1 port=$2
    cat >"$w/auth.conf" <<AUTH
# User Secret [MutualUser MutualSecret]
[AuthGroup1]
  Auth "$CHAP_USER" "$CHAP_SECRET"
[AuthGroup2]
  Auth "$CHAP_USER" "$CHAP_SECRET" "$MUTUAL_TARGET_USER" "$MUTUAL_TARGET_SECRET"
AUTH
    {
        cat <<GLOBAL
# Written by istgt-target.sh for one test run; loopback only.
[Global]
  NodeBase "$NODE_BASE"
  PidFile $w/istgt.pid
  AuthFile $w/auth.conf
  MediaDirectory $w
  LogFacility "local7"
  Timeout 30
  NopInInterval 20
  DiscoveryAuthMethod None
  MaxSessions 32
  MaxConnections 4
  MaxR2T 32
  MaxOutstandingR2T 16
  DefaultTime2Wait 2
  DefaultTime2Retain 20
  FirstBurstLength 262144
  MaxBurstLength 1048576
  MaxRecvDataSegmentLength 262144
  InitialR2T Yes
  ImmediateData Yes
  DataPDUInOrder Yes
  DataSequenceInOrder Yes
  ErrorRecoveryLevel 0

[UnitControl]
  AuthMethod CHAP Mutual
  AuthGroup AuthGroup2

[PortalGroup1]
  Portal DA1 $HOST:$port

[InitiatorGroup1]
  InitiatorName "ALL"
  Netmask 127.0.0.0/8

GLOBAL
        logical_unit 1 disk None None 512 No \
            "LUN0 Storage $w/disk-lun0.img Auto" \
            "LUN1 Storage $w/disk-lun1.img Auto" \
            "LUN2 Storage $w/disk-lun2-large.img Auto"
        logical_unit 2 disk4k None None 4096 No \
            "LUN0 Storage $w/disk4k-lun0.img Auto" \
            "LUN3 Storage $w/disk4k-lun3.img Auto"
        logical_unit 3 readonly None None 512 Yes \
            "LUN0 Storage $w/readonly-lun0.img Auto" \
            "LUN4 Storage $w/readonly-lun4.img Auto"
        logical_unit 4 chap CHAP AuthGroup1 512 No \
            "LUN0 Storage $w/chap-lun0.img Auto" \
            "LUN1 Storage $w/chap-lun1.img Auto"
        logical_unit 5 mutual 'CHAP Mutual' AuthGroup2 512 No \
            "LUN0 Storage $w/mutual-lun0.img Auto" \
            "LUN1 Storage $w/mutual-lun1.img Auto"
    } >"$w/istgt.conf"
}

standard_files() { # workdir
    local w=$1 f
    sparse_file "$w/disk-lun1.img" $((64 * MIB))
    # No null backing store in istgt: 4 GiB sparse (byte counts past 32 bits) costs no disk space.
    sparse_file "$w/disk-lun2-large.img" $((4096 * MIB))
    sparse_file "$w/disk4k-lun3.img" $((64 * MIB))
    sparse_file "$w/readonly-lun4.img" $((16 * MIB))
    sparse_file "$w/chap-lun1.img" $((16 * MIB))
    sparse_file "$w/mutual-lun1.img" $((16 * MIB))
    for f in disk-lun0 disk4k-lun0 readonly-lun0 chap-lun0 mutual-lun0; do
        sparse_file "$w/$f.img" $((4 * MIB))
    done
}

standard_env() { # workdir
    local w=$1
    emit TARGET_KIND istgt
    emit DISK_IQN "$DISK_IQN"
    emit_lun DISK_LUN0 "$w/disk-lun0.img" 512 $((4 * MIB))
    emit_lun DISK_LUN1 "$w/disk-lun1.img" 512 $((64 * MIB))
    emit_lun DISK_LUN2 "$w/disk-lun2-large.img" 512 $((4096 * MIB))
    emit DISK_LUN2_BSTYPE file
    emit DISK_LUN3_IQN "$DISK4K_IQN"
    emit_lun DISK_LUN3 "$w/disk4k-lun3.img" 4096 $((64 * MIB))
    emit DISK_LUN4_IQN "$READONLY_IQN"
    emit_lun DISK_LUN4 "$w/readonly-lun4.img" 512 $((16 * MIB))
    emit DISK_LUN4_READONLY 1
    emit CHAP_IQN "$CHAP_IQN"
    emit_lun CHAP_LUN1 "$w/chap-lun1.img" 512 $((16 * MIB))
    emit CHAP_USER "$CHAP_USER"
    emit CHAP_SECRET "$CHAP_SECRET"
    emit MUTUAL_IQN "$MUTUAL_IQN"
    emit_lun MUTUAL_LUN1 "$w/mutual-lun1.img" 512 $((16 * MIB))
    emit MUTUAL_USER "$CHAP_USER"
    emit MUTUAL_SECRET "$CHAP_SECRET"
    emit MUTUAL_TARGET_USER "$MUTUAL_TARGET_USER"
    emit MUTUAL_TARGET_SECRET "$MUTUAL_TARGET_SECRET"
    emit DIGESTS "None,CRC32C"
}

# Starts one istgt on a fresh port; on success sets PORT and PID.
start_istgt() {
    local w=$1 istgt=$2 attempt port pid i
    for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
        port=$(pick_tcp_port)
        write_config "$w" "$port"
        rm -f "$w/istgt.pid"
        "$istgt" -D -c "$w/istgt.conf" -p "$w/istgt.pid" >"$w/istgt.log" 2>&1 </dev/null &
        pid=$!
        STARTING_PID=$pid
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            if owns_tcp_listener "$pid" "$port"; then
                PORT=$port PID=$pid CONTROL_PORT=0
                return 0
            fi
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        echo "--- attempt $attempt (port $port) failed" >>"$w/istgt.log"
        mv "$w/istgt.log" "$w/istgt.failed-attempt-$attempt.log"
        # A config error fails every attempt the same way: stop at once with the reason.
        if grep -qE 'istgt_(lu_)?init\(\) failed' "$w/istgt.failed-attempt-$attempt.log"; then
            die "istgt rejected $w/istgt.conf; see $w/istgt.failed-attempt-$attempt.log"
        fi
    done
    die "could not start istgt after $START_ATTEMPTS attempts; see $w/istgt.failed-attempt-*.log"
}

STARTING_PID=
abort_start() {
    if [[ -n $STARTING_PID ]]; then
        kill -KILL "$STARTING_PID" 2>/dev/null || true
    fi
}

# True when pid $1 is the istgt we started with config $2 (pids get reused).
is_our_istgt() {
    local cmdline
    [[ $1 =~ ^[0-9]+$ && -r /proc/$1/cmdline ]] || return 1
    cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"istgt -D -c $2 "* ]]
}

cmd_start() {
    local profile=standard istgt
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
    istgt=$(find_istgt) || die "istgt not found: install the 'istgt' package"
    mkdir -p "$WORKDIR"
    WORKDIR=$(cd "$WORKDIR" && pwd)
    if [[ -f "$WORKDIR/target.env" ]] && is_our_istgt "$(env_value "$WORKDIR/target.env" PID)" "$WORKDIR/istgt.conf"; then
        die "a target from $WORKDIR/target.env is still running: stop it first"
    fi

    # Until target.env is written nobody else knows istgt's pid: any way out of here must kill it.
    trap abort_start EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
    standard_files "$WORKDIR"
    start_istgt "$WORKDIR" "$istgt"
    standard_env "$WORKDIR"
    write_target_env "$WORKDIR" "$profile"
    trap - EXIT HUP INT TERM
}

cmd_stop() {
    [[ $# -eq 1 ]] || usage
    local workdir env pid i
    workdir=$(cd "$1" && pwd) || die "$1 is not a directory"
    env="$workdir/target.env"
    [[ -f $env ]] || die "$env not found: nothing to stop"
    pid=$(env_value "$env" PID)
    [[ $pid =~ ^[0-9]+$ ]] || die "no PID= line in $env"
    trap '' HUP INT TERM
    is_our_istgt "$pid" "$workdir/istgt.conf" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_GRACE_SECONDS * 20; i++)); do
        is_our_istgt "$pid" "$workdir/istgt.conf" || return 0
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    # Wait on the cmdline, not kill -0: a killed process stays a zombie until its adoptive parent reaps it.
    while is_our_istgt "$pid" "$workdir/istgt.conf"; do sleep 0.05; done
}

[[ $# -ge 1 ]] || usage
case $1 in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    *) usage ;;
esac
