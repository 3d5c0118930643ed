# ovs-dpu-bench-lib.sh: shell functions shared by the scripts of bench/,
# which source it.

# Exits with a message unless the benchmark runs as root (it creates network
# namespaces) and finds each program named in the arguments.
bench_require() {
    if test "$(id -u)" != 0; then
        echo "$0: the benchmark creates network namespaces: run it as root" >&2
        exit 1
    fi
    for p in "$@"; do
        if ! command -v $p >/dev/null; then
            echo "$0: $p not found: build first (make)" >&2
            exit 1
        fi
    done
}

# Stops the daemons whose pidfiles are named in the arguments (those that
# exist): SIGCONT (a daemon may have been stopped on purpose), SIGTERM, up
# to 5 seconds to exit, then SIGKILL.  Removes the pidfiles.
stop_pidfiles() {
    for pidfile in "$@"; do
        if test -f "$pidfile"; then
            pid=$(cat "$pidfile")
            kill -CONT "$pid" 2>/dev/null || true
            kill "$pid" 2>/dev/null || true
            i=0
            while kill -0 "$pid" 2>/dev/null && test $i -lt 50; do
                sleep 0.1
                i=$((i + 1))
            done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
}

# Milliseconds since the epoch.
now_ms() {
    echo $(($(date +%s%N) / 1000000))
}
