#!/usr/bin/env bash
# The project's main job on a throwaway local target: starts tgtd through tests/targets/tgt-target.sh,
# shows discovery, LUNs, INQUIRY and capacity, and stops the target again whatever happens (trap).
# For now libiscsi's utilities do the talking; run_demo is the one place to swap in our own
# `iscsi discover/luns/capacity/read` once src/IscsiCli has them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly ROOT
readonly TARGET_SCRIPT="$ROOT/tests/targets/tgt-target.sh"
readonly DEMO_TEXT="Hello from IscsiModule's demo (LBA 0 of disk LUN 1)"

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/iscsimodule-demo-XXXXXX")
readonly WORKDIR

cleanup() {
    # Finish cleaning up even if a second signal arrives (children inherit the ignore, so the stop too).
    trap '' HUP INT TERM
    if [[ -f "$WORKDIR/target.env" ]]; then
        bash "$TARGET_SCRIPT" stop "$WORKDIR" || echo "demo: could not stop the target in $WORKDIR" >&2
    fi
    rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A T # target.env, KEY -> VALUE

load_target_env() {
    local key value
    while IFS='=' read -r key value; do
        [[ -n $key ]] && T[$key]=$value
    done <"$WORKDIR/target.env"
}

step() { # title command...
    local title=$1
    shift
    printf '\n### %s\n$ %s\n' "$title" "$*"
    "$@"
}

# >>> run_demo: SWAP THIS BODY for our own CLI (iscsi discover / luns / capacity / read) <<<
run_demo() {
    local portal="iscsi://${T[HOST]}:${T[PORT]}"
    local chap_portal="iscsi://${T[CHAP_USER]}%${T[CHAP_SECRET]}@${T[HOST]}:${T[PORT]}"
    local disk="$portal/${T[DISK_IQN]}"

    step "discover (SendTargets)" iscsi-ls "$portal"
    step "luns of every target (logs in with the CHAP account)" iscsi-ls -s "$chap_portal"
    step "inquiry, disk LUN 1" iscsi-inq "$disk/1"
    step "capacity, disk LUN 1 (512-byte blocks)" iscsi-readcapacity16 "$disk/1"
    step "capacity, disk LUN 3 (4096-byte blocks)" iscsi-readcapacity16 "$disk/3"
    # libiscsi has no plain "read" utility: show what a read of LBA 0 must return, from the backing file.
    step "what LBA 0 of disk LUN 1 holds (backing file)" head -c "${#DEMO_TEXT}" "${T[DISK_LUN1_FILE]}"
    echo
}
# <<< run_demo >>>

main() {
    echo "starting a throwaway tgtd in $WORKDIR ..."
    bash "$TARGET_SCRIPT" start "$WORKDIR" >/dev/null
    load_target_env
    echo "target: ${T[HOST]}:${T[PORT]} (tgtd pid ${T[PID]}, control port ${T[CONTROL_PORT]})"
    # Something recognisable for the read step to find.
    printf '%s' "$DEMO_TEXT" | dd of="${T[DISK_LUN1_FILE]}" conv=notrunc status=none
    run_demo
    echo
    echo "demo finished; the target is stopped and $WORKDIR removed on exit."
}

main "$@"
