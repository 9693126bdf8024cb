# Helpers shared by tgt-target.sh and istgt-target.sh (sourced, not run). Both scripts start a throwaway
# target on 127.0.0.1 with a free port and write the same KEY=VALUE lines to <workdir>/target.env.

readonly HOST=127.0.0.1
readonly MIB=$((1024 * 1024))
# Below Linux's default ephemeral range (32768-60999) so outgoing connections never grab it.
readonly PORT_MIN=20000 PORT_MAX=32767

random_in_range() { # min max
    echo $(( $1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1) ))
}

# True when some socket (any state, v4 or v6) already uses the local TCP port.
tcp_port_in_use() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

pick_tcp_port() {
    local port
    while :; do
        port=$(random_in_range "$PORT_MIN" "$PORT_MAX")
        tcp_port_in_use "$port" || { echo "$port"; return; }
    done
}

# Socket inodes held open by a process, one per line.
socket_inodes_of() {
    local fd
    for fd in /proc/"$1"/fd/*; do
        fd=$(readlink "$fd" 2>/dev/null) || continue
        [[ $fd == socket:\[*\] ]] && { fd=${fd#socket:[}; echo "${fd%]}"; }
    done
}

# True when pid $1 owns a LISTEN socket on 127.0.0.1:$2.
owns_tcp_listener() {
    local want inodes
    want=$(printf '0100007F:%04X' "$2")
    inodes=$(socket_inodes_of "$1")
    awk -v want="$want" -v inodes="$inodes" '
        BEGIN { n = split(inodes, list, "\n"); for (i = 1; i <= n; i++) mine[list[i]] = 1 }
        NR > 1 && $2 == want && $4 == "0A" && ($10 in mine) { found = 1 }
        END { exit !found }' /proc/net/tcp
}

sparse_file() { # path bytes
    rm -f "$1"
    truncate -s "$2" "$1"
}

ENV_LINES=()
emit() { ENV_LINES+=("$1=$2"); }

emit_lun() { # prefix file block_size bytes
    [[ -z $2 ]] || emit "$1_FILE" "$2"
    emit "$1_BLOCK_SIZE" "$3"
    emit "$1_BLOCKS" $(($4 / $3))
}

env_value() { # file key
    sed -n "s/^$2=//p" "$1"
}

# Writes <workdir>/target.env atomically (common keys first, then the profile's ENV_LINES) and prints it.
write_target_env() { # workdir profile
    local env="$1/target.env" line
    {
        echo "HOST=$HOST"
        echo "PORT=$PORT"
        echo "CONTROL_PORT=$CONTROL_PORT"
        echo "PID=$PID"
        echo "WORKDIR=$1"
        echo "PROFILE=$2"
        for line in "${ENV_LINES[@]}"; do echo "$line"; done
    } >"$env.tmp"
    mv "$env.tmp" "$env"
    cat "$env"
}
