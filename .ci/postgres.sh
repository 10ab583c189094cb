# Sourced by .ci/run: start_postgres makes PostgreSQL available to the tests.
#
# It installs postgresql with apt when no /usr/lib/postgresql/*/bin/initdb exists,
# starts a throwaway cluster in a temp dir on 127.0.0.1 (a free port below 32768; as
# root the server runs as user postgres), creates the parley role (the cluster's
# superuser, trust auth) and database, exports PARLEY_POSTGRES_DSN and stops the
# cluster when the shell exits.

pg_bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
		echo "$d"
	fi
}

start_postgres() {
	local bin dir port as_pg=() sudo=()
	bin=$(pg_bindir)
	if [ -z "$bin" ]; then
		echo "postgres: installing postgresql with apt-get"
		[ "$(id -u)" = 0 ] || sudo=(sudo)
		local apt_log
		apt_log=$(mktemp)
		if ! { "${sudo[@]}" apt-get update -qq &&
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >"$apt_log" 2>&1; then
			cat "$apt_log" >&2
			rm -f "$apt_log"
			return 1
		fi
		rm -f "$apt_log"
		bin=$(pg_bindir)
		[ -n "$bin" ] || { echo "postgres: no initdb after installing postgresql" >&2; return 1; }
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/parley-ci-pg.XXXXXX")
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir" # initdb refuses to run as root
		as_pg=(runuser -u postgres --)
	fi
	PARLEY_CI_PG_DIR=$dir
	PARLEY_CI_PG_CTL=("${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data")
	trap stop_postgres EXIT
	(cd "$dir" && "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U parley --auth=trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log") ||
		{ cat "$dir/initdb.log" >&2; return 1; }
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 12768))
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			continue # taken
		fi
		if (cd "$dir" && "${PARLEY_CI_PG_CTL[@]}" -l "$dir/log" -w -t 60 -o \
			"-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >/dev/null); then
			"$bin/psql" -qAt -h 127.0.0.1 -p "$port" -U parley -d postgres -c 'CREATE DATABASE parley' >/dev/null
			export PARLEY_POSTGRES_DSN="postgres://parley@127.0.0.1:$port/parley?sslmode=disable"
			echo "postgres: $("$bin/postgres" --version) on 127.0.0.1:$port (PARLEY_POSTGRES_DSN set)"
			return 0
		fi
		tail -n 5 "$dir/log" >&2 || true
	done
	echo "postgres: could not start a cluster" >&2
	return 1
}

stop_postgres() {
	if [ -n "${PARLEY_CI_PG_DIR:-}" ]; then
		(cd / && "${PARLEY_CI_PG_CTL[@]}" -m immediate -w stop >/dev/null 2>&1) || true
		rm -rf "$PARLEY_CI_PG_DIR"
		PARLEY_CI_PG_DIR=
	fi
}
