#!/usr/bin/env bash
# The project's main job on a throwaway local target: starts tgtd through tests/targets/tgt-target.sh, runs the
# PowerShell module's main job against it under pwsh (discovery, connect, LUNs, Read-IscsiBlock | Format-Hex, a
# write under -WhatIf, a ping, the session's statistics), then the same target through the `iscsi` command, and
# stops the target again whatever happens (trap). pwsh is the local .NET tool of .config/dotnet-tools.json.
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

# The demo drives our own `iscsi` command (src/IscsiCli), built once into $WORKDIR/cli.
run_demo() {
    local portal="iscsi://${T[HOST]}:${T[PORT]}"
    local disk="$portal/${T[DISK_IQN]}"
    local chap="$portal/${T[CHAP_IQN]}"

    step "discover (SendTargets)" iscsi discover "${T[HOST]}:${T[PORT]}"
    step "LUNs of the disk target" iscsi luns "$disk"
    # The secret travels in the environment, not on the command line (which `ps` shows).
    export ISCSI_CHAP_SECRET="${T[CHAP_SECRET]}"
    step "LUNs of the CHAP target (one-way CHAP)" iscsi luns "$chap" --chap-user "${T[CHAP_USER]}"
    unset ISCSI_CHAP_SECRET
    step "inquiry, disk LUN 1" iscsi inquiry "$disk/1"
    step "device identification VPD page, disk LUN 1" iscsi inquiry "$disk/1" --page 0x83
    step "capacity, disk LUN 1 (512-byte blocks)" iscsi capacity "$disk/1"
    step "capacity, disk LUN 3 (4096-byte blocks)" iscsi capacity "$disk/3"
    step "first block of disk LUN 1, in hex" iscsi read "$disk/1" --lba 0 --blocks 1
}

iscsi() {
    dotnet "$WORKDIR/cli/IscsiCli.dll" "$@"
}

build_cli() {
    echo "building the iscsi command ..."
    dotnet build "$ROOT/src/IscsiCli/IscsiCli.csproj" -c Release -nologo -v quiet -o "$WORKDIR/cli" >"$WORKDIR/build.log" 2>&1 ||
        { cat "$WORKDIR/build.log" >&2; exit 1; }
}
# <<< run_demo >>>

build_module() {
    echo "building the PowerShell module ..."
    (cd "$ROOT" && dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 -Task Build) >"$WORKDIR/module-build.log" 2>&1 ||
        { cat "$WORKDIR/module-build.log" >&2; exit 1; }
}

run_module_demo() {
    printf '\n=== The PowerShell module (pwsh) ===\n'
    (cd "$ROOT" && dotnet pwsh -NoProfile -File ./build.ps1 -Task Demo -NoBuild -TargetEnvFile "$WORKDIR/target.env")
}

main() {
    build_module
    build_cli
    echo "starting a throwaway tgtd in $WORKDIR ..."
    bash "$TARGET_SCRIPT" start "$WORKDIR" >/dev/null
    load_target_env
    echo "target: ${T[HOST]}:${T[PORT]} (tgtd pid ${T[PID]}, control port ${T[CONTROL_PORT]})"
    # Something recognisable for the read steps to find.
    printf '%s' "$DEMO_TEXT" | dd of="${T[DISK_LUN1_FILE]}" conv=notrunc status=none
    run_module_demo
    printf '\n=== The iscsi command ===\n'
    run_demo
    echo
    echo "demo finished; the target is stopped and $WORKDIR removed on exit."
}

main "$@"
