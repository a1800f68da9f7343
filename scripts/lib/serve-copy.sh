# Sourced by the benchmark scripts. serve_copy BIN DB DIR: starts `BIN serve` on a fresh copy of DB
# (DIR/db.sqlite, socket DIR/s.sock), sets SERVER_PID and returns once the socket is there.
SERVER_PID=""
serve_copy() {
  cp "$2" "$3/db.sqlite"; rm -f "$3"/db.sqlite-* "$3/s.sock"
  "$1" serve --socket "$3/s.sock" --database "$3/db.sqlite" --log-level error &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -S "$3/s.sock" ] && return 0; sleep 0.05; done
  echo "serve_copy: $1 did not open $3/s.sock" >&2
  return 1
}
