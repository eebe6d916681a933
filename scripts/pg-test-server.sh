#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the store's test suite.
#
#   eval "$(scripts/pg-test-server.sh start)"   # starts (or reuses) it, exports SESAME_TEST_PG_URL
#                                               # and SESAME_TEST_PG_CA (TLS, see below)
#   scripts/pg-test-server.sh url               # prints the URL of the running server
#   scripts/pg-test-server.sh stop              # stops it and deletes its data
#
# Idempotent: `start` on a running server only prints the export line again.
# Data lives in $SESAME_PG_TEST_DIR (default: <repo>/.cache/pg-test, git-ignored;
# as root /tmp/sesame-pg-test-<hash>, which the postgres account can enter).
# The server trusts its administrators' local connections (postgres, and the test
# owner `sesame`, which may create databases and roles): never expose it beyond
# 127.0.0.1. Every other login (the operators' logins the tests create) must give
# its password (scram-sha-256), so a wrong one is refused as on a real server.
# It also speaks TLS with a certificate for localhost/127.0.0.1 signed by a CA made
# here ($dir/tls/ca.crt, exported as SESAME_TEST_PG_CA), so the store's tests check
# that a certificate is verified (and another CA's, $dir/tls/other-ca.crt, refused).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${SESAME_PG_TEST_DIR:-}" ]; then
    dir="$SESAME_PG_TEST_DIR"
elif [ "$(id -u)" -eq 0 ]; then
    # As root the server runs as the postgres account, which may not be able to
    # enter a clone under /root: keep its data in /tmp, one folder per clone.
    dir="/tmp/sesame-pg-test-$(printf %s "$repo" | md5sum | cut -c1-8)"
else
    dir="$repo/.cache/pg-test"
fi
data="$dir/data"
# The newest PostgreSQL installed (15 on Debian 12, 14/16 on Ubuntu).
bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
role="sesame"
database="sesame"

die() { echo "pg-test-server: $*" >&2; exit 1; }

[ -n "$bin" ] && [ -x "$bin/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"

# initdb and the server refuse to run as root: use the postgres account then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

url_of() { echo "postgres://$role@127.0.0.1:$1/$database"; }

exports() {
    echo "export SESAME_TEST_PG_URL=$(url_of "$1")"
    echo "export SESAME_TEST_PG_CA=$dir/tls/ca.crt"
}

# A CA, a server certificate it signs for localhost and 127.0.0.1, and a second CA
# that signs nothing the server shows.
make_certificates() {
    local tls="$dir/tls"
    mkdir -p "$tls"
    (
        cd "$tls"
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Sesame test CA" \
            -keyout ca.key -out ca.crt 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Another CA" \
            -keyout other-ca.key -out other-ca.crt 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
            -keyout server.key -out server.csr 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
            -days 3650 -extfile server.ext -out server.crt 2>/dev/null
        chmod 600 server.key
    ) || die "openssl could not make the test certificates (apt-get install openssl)"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$tls"
    fi
}

running() {
    # A server from before the operators' logins (all trusted) is made again.
    grep -q scram-sha-256 "$data/pg_hba.conf" 2>/dev/null && [ -f "$dir/port" ] && [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    if running; then
        exports "$(cat "$dir/port")"
        return
    fi
    stop
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || die "initdb failed, see $dir/initdb.log"
    make_certificates
    cat >"$data/pg_hba.conf" <<'EOF'
local   all   all                      trust
host    all   postgres   127.0.0.1/32  trust
host    all   sesame     127.0.0.1/32  trust
host    all   all        127.0.0.1/32  scram-sha-256
EOF
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$data/pg_hba.conf"
    fi
    local port
    port="$(free_port)"
    as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key" \
        start >/dev/null || die "server did not start, see $dir/server.log"
    echo "$port" >"$dir/port"
    # Separate -c calls: CREATE DATABASE cannot run inside the transaction of a multi-statement -c.
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE $role LOGIN CREATEDB CREATEROLE" >/dev/null
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE $database OWNER $role" >/dev/null
    exports "$port"
}

stop() {
    if [ -d "$data" ]; then
        as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url)
        running || die "not running (start it with: eval \"\$($0 start)\")"
        url_of "$(cat "$dir/port")"
        ;;
    *) die "usage: $0 start|stop|url" ;;
esac
