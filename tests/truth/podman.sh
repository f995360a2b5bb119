#!/bin/bash
# The stop-truth table with a real container runtime (podman, as
# set up as the containers.conf below says): images built without a registry from a
# cached debootstrap, a replica of the official postgres image, real
# `podman stop -t N` stops judged by pg_controldata and a restart, dbpod
# inside (`podman exec`) and beside (`--pid=container:`, the project's own
# Dockerfile built for real), imagecheck on real `podman inspect` output,
# and a real OOM kill read back by oomscore.
#
#   tests/truth/podman.sh [table]     (root; make check runs it as 802)
#
# Images are kept between runs (podman's store), the debootstrap tarball in
# $DBPOD_TEST_CACHE (default /var/cache/dbpod-test): a cold run builds for
# a few minutes, a warm one takes about a minute.
# shellcheck shell=bash
. "${top_srcdir:?}/tests/scenarios/lib.sh"
. "$top_srcdir/tests/truth/observed.sh"

CACHE=${DBPOD_TEST_CACHE:-/var/cache/dbpod-test}
GRACE=${TRUTH_GRACE:-5}
# upstream's scripts, copied in unchanged (tests/fixtures/lint/postgres-15-bookworm/SOURCE)
RUNTIME_DIR=$top_srcdir/tests/fixtures/lint/postgres-15-bookworm
REPLICA=localhost/dbpod-test/postgres:15
TOOLS=localhost/dbpod-test/postgres-tools:15
DBPOD_IMAGE=localhost/dbpod-test/dbpod:build
ROWS=$TMP/podman.rows
BAD=0
CONTAINERS=()

need_podman() {
	need_root
	[ -z "${DBPOD_SKIP_TRUTH:-}" ] || skip "DBPOD_SKIP_TRUTH is set (make distcheck: the container table runs in the main make check)"
	need_cmd podman buildah runc catatonit debootstrap jq
	[ -f "$RUNTIME_DIR/docker-entrypoint.sh" ] && [ -f "$RUNTIME_DIR/docker-ensure-initdb.sh" ] ||
		fail "upstream's postgres image scripts are not at $RUNTIME_DIR"
	# a sanitizer build cannot run in an image without its runtime
	if ldd "$DBPOD" 2>/dev/null | grep -q 'libasan\|libubsan'; then
		skip "dbpod is built with sanitizers: its runtime is not in the container images"
	fi
	mkdir -p "$CACHE"
	# written whole, then renamed: another run of the suite may be reading
	# it (a truncated file is podman's defaults, whose rlimits fail here)
	cat >"$CACHE/containers.conf.$$" <<'EOF'
[containers]
# podman's nofile/nproc 1048576 cannot be set without CAP_SYS_RESOURCE
default_ulimits = []
[engine]
# crun 1.8.1 refuses hybrid cgroups
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
	mv -f "$CACHE/containers.conf.$$" "$CACHE/containers.conf"
	export CONTAINERS_CONF=$CACHE/containers.conf
	# conmon writes a file named oom into its working directory
	mkdir -p "$TMP/podman-cwd"
	cd "$TMP/podman-cwd" || fail "no scratch directory"
	trap 'rc=$?; set +e; for c in "${CONTAINERS[@]}"; do podman rm -f -v "$c" >/dev/null 2>&1; done; (exit $rc); cleanup' EXIT
}

# ---- images ----

base_image() {
	podman image exists localhost/debian:12 && return 0
	if [ ! -s "$CACHE/debian-12-minbase.tar" ]; then
		local mirror root=$CACHE/rootfs.$$
		mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
		[ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
		[ -n "$mirror" ] || skip "no Debian mirror configured for debootstrap"
		note "debootstrap bookworm from $mirror (once; cached in $CACHE)"
		debootstrap --variant=minbase bookworm "$root" "$mirror" >"$TMP/debootstrap.log" 2>&1 ||
			{ rm -rf "$root"; fail "debootstrap failed: $(tail -5 "$TMP/debootstrap.log")"; }
		tar -C "$root" -cf "$CACHE/debian-12-minbase.tar.$$" . &&
			mv "$CACHE/debian-12-minbase.tar.$$" "$CACHE/debian-12-minbase.tar"
		rm -rf "$root"
	fi
	podman import "$CACHE/debian-12-minbase.tar" localhost/debian:12 >/dev/null ||
		fail "podman import of the base image failed"
}

build() {	# build TAG CONTEXT [ARGS...]
	local tag=$1 ctx=$2 before
	shift 2
	before=$(podman images -q --no-trunc --filter dangling=true | sort)
	podman build -q -t "$tag" "$@" "$ctx" >"$TMP/build.log" 2>&1 ||
		fail "building $tag failed: $(tail -15 "$TMP/build.log")"
	# a rebuild leaves the image the tag named before, and a multi-stage
	# build its first stage (600 MB for dbpod's), untagged: remove those
	# this build left, not another's, and not one a container still uses
	# (no -f), or every run of the suite keeps its images
	comm -13 <(printf '%s\n' "$before") \
		<(podman images -q --no-trunc --filter dangling=true | sort) |
		xargs -r podman rmi >/dev/null 2>&1 || true
}

images() {
	local ctx=$TMP/ctx-postgres
	base_image
	mkdir -p "$ctx"
	cp "$RUNTIME_DIR/docker-entrypoint.sh" "$RUNTIME_DIR/docker-ensure-initdb.sh" "$ctx/"
	chmod +x "$ctx"/*.sh
	cp "$top_srcdir/tests/truth/podman/Containerfile.postgres" "$ctx/Containerfile"
	build "$REPLICA" "$ctx"
	build "$TOOLS" "$top_srcdir/tests/truth/podman" -f "$top_srcdir/tests/truth/podman/Containerfile.tools"
}

# the project's own Dockerfile, built for real from the tracked sources
dbpod_image() {
	local ctx=$TMP/ctx-dbpod
	mkdir -p "$ctx"
	if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$top_srcdir" ls-files -z | (cd "$top_srcdir" && tar --null -T - -cf -) | tar -C "$ctx" -xf -
	else
		(cd "$top_srcdir" && tar --exclude=./.git -cf - .) | tar -C "$ctx" -xf -
	fi
	build "$DBPOD_IMAGE" "$ctx" --build-arg BASE=localhost/debian:12
}

# ---- one container ----

# a data directory initialised once by the image's own entrypoint, copied
# for every run (ownership 999 kept)
data_template() {
	DATA_TEMPLATE=$TMP/pgdata-template
	mkdir -p "$DATA_TEMPLATE"
	local c=dbpod-test-init-$$
	CONTAINERS+=("$c")
	podman run -d --name "$c" -e POSTGRES_PASSWORD=truth-test-password \
		-v "$DATA_TEMPLATE:/var/lib/postgresql/data" "$REPLICA" >/dev/null ||
		fail "the replica did not start"
	# initdb, a temporary server for the init scripts, then the real one:
	# the temporary one answers pg_isready too
	for _ in $(seq 600); do
		podman logs "$c" 2>&1 | grep -q 'PostgreSQL init process complete' && break
		sleep 0.1
	done
	wait_ready "$c" 60 || fail "the replica did not become ready: $(podman logs "$c" 2>&1 | tail -5)"
	podman stop -t 30 "$c" >/dev/null
	podman rm -v "$c" >/dev/null
	[ "$(LC_ALL=C "$PGBIN/pg_controldata" "$DATA_TEMPLATE" | sed -n 's/^Database cluster state: *//p')" = "shut down" ] ||
		fail "the template data directory was not shut down cleanly"
}

# ctr_settled CONTAINER: its processes read the same twice in a row (as
# ns_settled; pg_isready's session, say, has ended)
ctr_settled() {
	local a b
	a=$(podman exec "$1" ps -e -o pid=,ppid=,comm= | grep -v ' ps$')
	b=$(podman exec "$1" ps -e -o pid=,ppid=,comm= | grep -v ' ps$')
	[ -n "$a" ] && [ "$a" = "$b" ]
}

wait_ready() {	# wait_ready CONTAINER SECONDS
	local i
	for i in $(seq $(($2 * 10))); do
		podman exec "$1" pg_isready -q -U postgres -h /var/run/postgresql >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# clean_data DIR: pg_controldata, then a restart in a fresh container of
# the same image on the same directory, read from its log
clean_data() {
	local dir=$1 state c=dbpod-test-restart-$$-$RUN log
	state=$(LC_ALL=C "$PGBIN/pg_controldata" "$dir" | sed -n 's/^Database cluster state: *//p')
	CONTAINERS+=("$c")
	podman run -d --name "$c" -v "$dir:/var/lib/postgresql/data" "$REPLICA" >/dev/null
	wait_ready "$c" 60 || true
	log=$(podman logs "$c" 2>&1)
	podman stop -t 30 "$c" >/dev/null 2>&1
	podman rm -v "$c" >/dev/null 2>&1
	EVIDENCE="controldata: $state"
	if printf '%s\n' "$log" | grep -qE 'was interrupted|not properly shut down|automatic recovery in progress|redo starts'; then
		EVIDENCE="$EVIDENCE; restart: recovery"
		return 1
	fi
	[ "$state" = "shut down" ]
}

# podman_row NAME SIGNAL [podman run options...] -- [command...]
#   the row's pin is podman:NAME SIGNAL in tests/truth/observed.table,
#   which truth_judge (observed.sh) holds the stop and the prediction to;
#   the server's log is not read here ("-")
podman_row() {
	local name=$1 sig=$2 c pred pwhen t0 t1 ms ended clean verdict dir opts=() cmd=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	cmd=("$@")
	RUN=$((${RUN:-0} + 1))
	c=dbpod-test-$$-$RUN
	dir=$TMP/pgdata.$RUN
	cp -a "$DATA_TEMPLATE" "$dir"
	CONTAINERS+=("$c")
	podman run -d --name "$c" --stop-signal "$sig" -v "$dir:/var/lib/postgresql/data" \
		-v "$DBPOD:/dbpod:ro" "${opts[@]}" "$TOOLS" "${cmd[@]}" >/dev/null ||
		fail "$name: podman run failed"
	wait_ready "$c" 60 || fail "$name: not ready: $(podman logs "$c" 2>&1 | tail -5)"
	wait_until ctr_settled "$c" || fail "$name: the processes in the container do not settle"
	set +e
	OUT=$(podman exec "$c" /dbpod signals --json --stop-signal="$sig" --grace="$GRACE" 2>"$TMP/err")
	RC=$?
	set -e
	[ "$RC" -le 2 ] || fail "$name: dbpod signals in the container exited $RC: $(cat "$TMP/err")"
	pred=$(printf '%s' "$OUT" | jq -r .facts.stop_path.outcome)
	pwhen=$(when_kind "$(printf '%s' "$OUT" | jq -r .facts.stop_path.when)" \
		"$(printf '%s' "$OUT" | jq -r '.facts.stop_path.after_seconds // "-"')")
	LAST_C=$c
	[ -z "${ROW_HOOK:-}" ] || "$ROW_HOOK" "$c"

	t0=$(date +%s%N)
	podman stop -t "$GRACE" "$c" >/dev/null 2>&1
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	# podman says 137 when its own SIGKILL ended it
	if [ "$(podman inspect -f '{{.State.ExitCode}}' "$c")" = 137 ] && [ "$ms" -ge $((GRACE * 1000)) ]; then
		ended=sigkill
	else
		ended=itself
	fi
	if clean_data "$dir"; then clean=clean; else clean=unclean; fi
	# `podman stop` itself is part of the time measured
	verdict=$(TRUTH_AT_ONCE_MS=3000 TRUTH_AFTER_SLACK_MS=3000 truth_judge "podman:$name" "$sig" \
		"$GRACE" "$pred" "$pwhen" "$ended" "$ms" "$clean" -) || BAD=$((BAD + 1))
	printf '%-22s %-7s %-10s %-12s %6.2f s  %-8s %-7s %s%s\n' "podman:$name" "$sig" "$pred" \
		"$pwhen" "$(echo "$ms" | awk '{printf "%.2f", $1/1000}')" "$ended" "$clean" \
		"$verdict" "  [$EVIDENCE]" | tee -a "$ROWS"
	podman rm -f -v "$c" >/dev/null 2>&1
	rm -rf "$dir"
}

stop_table() {
	printf '%-22s %-7s %-10s %-12s %8s  %-8s %-7s %s\n' SETUP SIGNAL PREDICTED WHEN OBSERVED \
		ENDED DB VERDICT
	# the official image as it is: postgres PID 1 through gosu, SIGINT
	podman_row official SIGINT
	# podman run --init: catatonit (comm podman-init) forwards to its child
	podman_row official+init SIGINT --init
	# a wrapper that does not exec, in front of the same entrypoint
	podman_row bash-wrapper SIGINT --entrypoint bash -- -c 'docker-entrypoint.sh postgres; true'
	# an init that signals the group, in front of that wrapper: SIGTERM races
	podman_row tini-g+bash SIGTERM --entrypoint tini -- -g -- bash -c 'docker-entrypoint.sh postgres; true'
	podman_row tini-g+bash SIGINT --entrypoint tini -- -g -- bash -c 'docker-entrypoint.sh postgres; true'
}

# ---- beside the database: the project's image, --pid=container: ----

debug_container() {
	local c=$1 inside beside
	set +e
	inside=$(podman exec "$c" /dbpod doctor --json --stop-signal=SIGINT --grace="$GRACE" 2>/dev/null)
	# as `kubectl debug --target` does: the PID namespace shared, nothing else
	beside=$(podman run --rm --pid=container:"$c" "$DBPOD_IMAGE" doctor --json \
		--stop-signal=SIGINT --grace="$GRACE" 2>"$TMP/err")
	set -e
	[ -n "$beside" ] || fail "dbpod's own image did not run beside $c: $(cat "$TMP/err")"
	DEBUG_PID1=$(printf '%s' "$beside" | jq -r '.facts.checks[] | select(.command == "pid1check") | .facts.pid1.name')
	DEBUG_OUTCOME=$(printf '%s' "$beside" | jq -r '.facts.checks[] | select(.command == "signals") | .facts.stop_path.outcome')
	INSIDE_OUTCOME=$(printf '%s' "$inside" | jq -r '.facts.checks[] | select(.command == "signals") | .facts.stop_path.outcome')
	DEBUG_LOCKFILE=$(printf '%s' "$beside" | jq -r '[.facts.checks[] | select(.command == "lockfile") | .facts.state // .status] | first // "none"')
	INSIDE_LOCKFILE=$(printf '%s' "$inside" | jq -r '[.facts.checks[] | select(.command == "lockfile") | .facts.state // .status] | first // "none"')
}

# the debug image beside the official replica: it must see what dbpod
# inside sees (kubectl debug --target, docker run --pid=container:). The
# data directory starts empty, so the entrypoint runs initdb and a
# temporary server before it execs postgres: PID 1 started well before
# postmaster.pid was written.
beside() {
	local c=dbpod-test-beside-$$ dir=$TMP/pgdata.beside ids
	dbpod_image
	mkdir -p "$dir" "$TMP/initdb.d"
	# an init script that takes a while, as a restore of a dump does: the
	# lock file is written 5 s and more after PID 1 started
	printf 'sleep 5\n' >"$TMP/initdb.d/slow.sh"
	CONTAINERS+=("$c")
	podman run -d --name "$c" -e POSTGRES_PASSWORD=truth-test-password \
		-v "$TMP/initdb.d:/docker-entrypoint-initdb.d:ro" \
		-v "$dir:/var/lib/postgresql/data" -v "$DBPOD:/dbpod:ro" "$TOOLS" >/dev/null ||
		fail "podman run failed"
	for _ in $(seq 600); do
		podman logs "$c" 2>&1 | grep -q 'PostgreSQL init process complete' && break
		sleep 0.1
	done
	wait_ready "$c" 60 || fail "the replica did not become ready"
	debug_container "$c"
	[ "$DEBUG_PID1" = postgres ] || fail "beside the container, PID 1 is '$DEBUG_PID1', not postgres"
	[ "$DEBUG_OUTCOME" = "$INSIDE_OUTCOME" ] ||
		fail "beside the container the stop is '$DEBUG_OUTCOME', inside '$INSIDE_OUTCOME'"
	echo "ok: dbpod's own image (the Dockerfile, built) beside the container sees postgres as PID 1 and predicts '$DEBUG_OUTCOME' as dbpod inside does"

	# the lock file of a server that an entrypoint exec'd after initdb
	set +e
	OUT=$(podman exec --user postgres "$c" /dbpod lockfile --json 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
	set -e
	expect_rc 0
	expect_jq '.facts.lockfile.start_skew_seconds <= -5' true
	expect_jq '[.findings[] | select(.id == "DBL502")] | length' 1
	expect_jq '[.findings[] | select(.id == "DBL505")] | length' 0
	# and beside it, through /proc/1/root (root with CAP_SYS_PTRACE, as
	# kubectl debug --profile=sysadmin gives)
	set +e
	OUT=$(podman run --rm --pid=container:"$c" --user 0 --cap-add SYS_PTRACE \
		"$DBPOD_IMAGE" lockfile --json 2>"$TMP/err")
	RC=$?
	set -e
	ids=$(printf '%s' "$OUT" | jq -r '[.findings[].id] | join(",")')
	case ",$ids," in
	*,DBL502,*) ;;
	*) fail "beside the container, lockfile did not find the server's lock file in use: $ids $(cat "$TMP/err")" ;;
	esac
	# a debug image that sets PGDATA of its own (the postgres image sets
	# its default): the server's environment names the database's
	set +e
	OUT=$(podman run --rm --pid=container:"$c" --user 0 --cap-add SYS_PTRACE \
		-e PGDATA=/var/lib/postgresql/decoy "$DBPOD_IMAGE" lockfile --json 2>"$TMP/err")
	RC=$?
	set -e
	expect_jq .facts.data_directory /var/lib/postgresql/data
	expect_jq '[.findings[] | select(.id == "DBL502")] | length' 1
	echo "ok: lockfile inside (after initdb) and beside (/proc/1/root) says in use, no DBL505"
	podman rm -f -v "$c" >/dev/null 2>&1
	rm -rf "$dir"
}

# a real OOM kill in a container with --memory: oomscore inside reads it
# back from the container's own cgroup, and podman records OOMKilled
oom() {
	local c=dbpod-test-oom-$$ sd ids kills
	CONTAINERS+=("$c")
	podman create --name "$c" --memory 128m -v "$DBPOD:/dbpod:ro" --entrypoint sleep \
		"$TOOLS" infinity >/dev/null || fail "podman create failed"
	# podman sets State.OOMKilled only when conmon runs in the
	# container's StaticDir (measured with podman 4.3.1)
	sd=$(podman inspect -f '{{.StaticDir}}' "$c")
	(cd "$sd" && podman start "$c" >/dev/null) || fail "podman start failed"
	# memsw is twice the limit: 400 MiB in one buffer is past both
	podman exec "$c" dd if=/dev/zero of=/dev/null bs=400M count=1 >/dev/null 2>&1 &&
		skip "dd was not OOM-killed under --memory 128m (memory limits do not work here)"
	set +e
	OUT=$(podman exec "$c" /dbpod oomscore --json 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
	set -e
	expect_rc 2
	kills=$(printf '%s' "$OUT" | jq -r .facts.cgroup.events.oom_kill)
	ids=$(printf '%s' "$OUT" | jq -r '[.findings[].id] | join(",")')
	[ "$kills" -ge 1 ] || fail "oomscore in the container reads oom_kill $kills"
	case ",$ids," in *,DBO302,*) ;; *) fail "no DBO302 after a real OOM kill: $ids" ;; esac
	(cd "$sd" && podman stop -t 1 "$c" >/dev/null 2>&1)
	[ "$(podman inspect -f '{{.State.OOMKilled}}' "$c")" = true ] ||
		fail "podman does not report the OOM kill that oomscore read"
	echo "ok: a real OOM kill under --memory 128m: oomscore reads oom_kill $kills (DBO302), podman says OOMKilled"
	podman rm -f -v "$c" >/dev/null 2>&1
}

# imagecheck on what podman really reports for these images and containers
# (the hand-written inspect fixtures are replaced by these, made live)
inspect_checks() {
	local c=dbpod-test-inspect-$$ ids
	set +e
	OUT=$(podman image inspect "$REPLICA" | "$DBPOD" imagecheck --json - 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
	set -e
	# docker-entrypoint.sh given postgres, taken to exec it (no DBI602),
	# and no init in front of the postmaster
	expect_jq '[.findings[].id] | sort | join(",")' DBI603
	expect_jq '.facts.images[0].stop_signal' SIGINT
	CONTAINERS+=("$c")
	# podman 4.3.1's container JSON: a string Entrypoint, argv in Path/Args,
	# a numeric StopSignal; with --init, catatonit as /run/podman-init
	podman create --name "$c" --init "$REPLICA" >/dev/null || fail "podman create failed"
	set +e
	OUT=$(podman container inspect "$c" | "$DBPOD" imagecheck --json - 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
	set -e
	expect_jq '.facts.images[0].pid1' podman-init
	expect_jq '.facts.images[0].init' true
	expect_jq '.facts.images[0].stop_signal' SIGINT
	expect_jq '[.findings[] | select(.id == "DBI603")] | length' 0
	podman rm -f -v "$c" >/dev/null 2>&1
	podman create --name "$c" --stop-signal SIGTERM "$REPLICA" >/dev/null || fail "podman create failed"
	set +e
	OUT=$(podman container inspect "$c" | "$DBPOD" imagecheck --json - 2>"$TMP/err")
	RC=$?
	ERR=$(cat "$TMP/err")
	set -e
	# no init and a smart shutdown: warnings; with no client the stop
	# itself is clean, in podman's 10 s (StopTimeout)
	expect_rc 1
	expect_jq '[.findings[].id] | sort | join(",")' DBI603,DBI604
	expect_jq '.facts.images[0].stop_path.outcome' graceful
	expect_jq '.facts.images[0].grace_seconds' 10
	podman rm -f -v "$c" >/dev/null 2>&1
	echo "ok: imagecheck on real podman inspect output: the replica image, a container with --init, one with --stop-signal SIGTERM"
}

main() {
	need_podman
	[ -x "$PGBIN/pg_controldata" ] || skip "pg_controldata (postgresql-15) is not installed (./bootstrap --install-test-deps installs it)"
	images
	data_template
	stop_table
	inspect_checks
	beside
	oom
}

case ${1:-} in
table)
	main
	[ "$BAD" = 0 ]
	;;
*)
	return 0 2>/dev/null || true
	;;
esac
