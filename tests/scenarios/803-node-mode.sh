#!/bin/bash
# Node mode against reality: several real podman containers at once (the
# official postgres replica with postgres as PID 1, one behind tini, one
# behind a bash wrapper without exec, a Redis) and two unshare namespaces
# (a Redis as PID 1, and one without a database). `dbpod doctor
# --all-containers` run from here must give each container the verdict
# `dbpod doctor` gives inside it (status, findings, stop predictions), name
# it with the ID podman reports, skip the namespace without a database,
# write Prometheus that promtool accepts and that fires the alert rules of
# deploy/, and never crash when a namespace vanishes while it reads.
# Where the two differ on purpose: the official images log to a pipe
# (PostgreSQL its standard error, Redis its standard output), which conmon
# copies into podman's k8s-file log; node mode reads that file for the
# budgets' evidence (after a CHECKPOINT, a BGSAVE) and names it in the
# basis, while dbpod inside sees only the pipe.
. "$top_srcdir/tests/truth/podman.sh"
set -e
need_podman
[ -x "$PGBIN/pg_controldata" ] || skip "postgresql-15 is not installed (./bootstrap --install-test-deps installs it)"
need_cmd promtool redis-server python3
GRACE=10
images
build localhost/dbpod-test/redis:7 "$top_srcdir/tests/truth/podman" \
	-f "$top_srcdir/tests/truth/podman/Containerfile.redis"
data_template

# run_ctr NAME [podman run options...] -- [command...]: a database
# container that stays up, the build under test at /dbpod
declare -A CID
run_ctr() {
	local name=$1 c dir opts=() cmd=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	cmd=("$@")
	c=dbpod-node-$$-$name
	CONTAINERS+=("$c")
	podman run -d --name "$c" -v "$DBPOD:/dbpod:ro" "${opts[@]}" "${cmd[@]}" >/dev/null ||
		fail "$name: podman run failed"
	CID[$name]=$(podman inspect -f '{{.Id}}' "$c")
}
pg_ctr() {	# pg_ctr NAME [options] -- [command]
	local name=$1 dir=$TMP/pgdata.$1
	shift
	cp -a "$DATA_TEMPLATE" "$dir"
	local opts=() cmd=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	run_ctr "$name" --stop-signal SIGINT -v "$dir:/var/lib/postgresql/data" "${opts[@]}" "$TOOLS" "$@"
}
pg_ctr official
pg_ctr tini --entrypoint tini -- -- docker-entrypoint.sh postgres
pg_ctr wrapper --entrypoint bash -- -c 'docker-entrypoint.sh postgres; true'
run_ctr redis localhost/dbpod-test/redis:7
for n in official tini wrapper; do
	wait_ready "dbpod-node-$$-$n" 60 || fail "$n: not ready: $(podman logs "dbpod-node-$$-$n" 2>&1 | tail -5)"
done
# redis answers once its signal handlers are set
wait_until podman exec "dbpod-node-$$-redis" redis-cli ping ||
	fail "redis: not up"
# the budgets' evidence, in podman's k8s-file logs once conmon copied it
podman exec -u postgres "dbpod-node-$$-official" psql -X -q -h /var/run/postgresql -d postgres \
	-c "CREATE TABLE t AS SELECT g FROM generate_series(1, 300000) g" -c CHECKPOINT \
	>"$TMP/psql.out" 2>&1 || fail "official: psql: $(cat "$TMP/psql.out")"
podman exec "dbpod-node-$$-redis" redis-cli BGSAVE >/dev/null || fail "redis: BGSAVE failed"
declare -A CTRLOG
for n in official redis; do
	CTRLOG[$n]=$(podman inspect -f '{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Path}}' "dbpod-node-$$-$n")
	case ${CTRLOG[$n]} in "k8s-file /"*) CTRLOG[$n]=${CTRLOG[$n]#k8s-file } ;;
	*) fail "$n: podman's log is not a k8s-file file: ${CTRLOG[$n]}" ;; esac
done
wait_until grep -q 'checkpoint complete: wrote' "${CTRLOG[official]}" ||
	fail "official: the CHECKPOINT never reached ${CTRLOG[official]}"
wait_until grep -q 'Background saving terminated with success' "${CTRLOG[redis]}" ||
	fail "redis: the BGSAVE never reached ${CTRLOG[redis]}"

# two plain namespaces: redis-server as PID 1, and one without a database
mkdir -p "$TMP/redis"
ns_start redis-server --port 0 --unixsocket "$TMP/redis/s.sock" --dir "$TMP/redis" --save ''
REDIS_NS=$NS_PID
ns_start sleep 100000
EMPTY_NS=$NS_PID
NS_PID=$REDIS_NS
# its socket is made after its signal handlers are set: judged as it runs
wait_until test -S "$TMP/redis/s.sock" || fail "the redis namespace did not start"

# the verdict: status, the findings worth acting on (id:pid; info
# findings may differ where the node may read more, /proc/PID/cwd of
# another user's process with CAP_SYS_PTRACE), stop outcomes
verdict() {
	jq -c '{status, findings: ([.findings[] | select(.severity != "info") | "\(.id):\(.pid)"] | sort),
		stops: ([.facts.checks[]? | select(.command == "signals") | .facts.stop_paths[]?
			 | "\(.signal)=\(.outcome)"] | sort)}'
}

# critical: the official image's postmaster is PID 1 (DBP101), the wrapper
# does not exec (whatever else runs on this node)
run_host doctor --all-containers --json --grace=$GRACE
expect_rc 2
expect_jq .status critical
NODE=$OUT
printf '%s' "$NODE" | jq -e . >/dev/null || fail "node mode's JSON does not parse"

declare -A INSIDE NODEV
for n in official tini wrapper redis; do
	c=dbpod-node-$$-$n
	# node mode judges the signal podman stops the container with, which
	# inside it cannot be seen: dbpod inside is told it
	sig=$(podman inspect -f '{{.Config.StopSignal}}' "$c")
	case $sig in 2 | SIGINT) sig=SIGINT ;; 15 | SIGTERM) sig=SIGTERM ;; esac
	from=$(printf '%s' "$NODE" | jq -r --arg id "${CID[$n]}" \
		'.containers[] | select(.container_id == $id) | "\(.stop_signal) \(.stop_signal_from)"')
	[ "$from" = "$sig runtime" ] || fail "$n: node mode judged '$from', podman stops it with $sig"
	inside=$(podman exec "$c" /dbpod doctor --json --grace=$GRACE --stop-signal="$sig" 2>/dev/null | verdict)
	node=$(printf '%s' "$NODE" | jq -c --arg id "${CID[$n]}" \
		'.containers[] | select(.container_id == $id)' | verdict)
	[ -n "$node" ] || fail "$n: node mode did not report container ${CID[$n]}"
	[ "$inside" = "$node" ] || fail "$n: node mode says $node, inside the container dbpod says $inside"
	INSIDE[$n]=$inside
	NODEV[$n]=$node
	name=$(printf '%s' "$NODE" | jq -r --arg id "${CID[$n]}" '.containers[] | select(.container_id == $id) | .container_name')
	[ "$name" = "$c" ] || fail "$n: container name '$name', podman says '$c'"
	echo "ok: $n: $node"
done
# the controls of the comparison above: it compares verdicts that say
# something (a status and stop outcomes), namely what the real stops of
# these setups showed (tests/truth/observed.table: podman:official INT
# graceful, podman:bash-wrapper INT sigkill) -- and it can fail: the
# verdict inside one container differs from node mode's on another, so
# a node mode that mixed the containers up would not pass
for n in official tini wrapper redis; do
	printf '%s' "${NODEV[$n]}" | jq -e '(.status | IN("ok", "warning", "critical")) and (.stops | length > 0)' >/dev/null ||
		fail "$n: a verdict without a status or stop outcomes: ${NODEV[$n]}"
done
printf '%s' "${NODEV[official]}" | jq -e '.stops | index("SIGINT=graceful")' >/dev/null ||
	fail "official: node mode does not predict the graceful SIGINT stop its real stop showed: ${NODEV[official]}"
printf '%s' "${NODEV[wrapper]}" | jq -e '.stops | index("SIGINT=sigkill")' >/dev/null ||
	fail "wrapper: node mode does not predict the SIGKILL its real stop showed: ${NODEV[wrapper]}"
[ "${INSIDE[official]}" != "${NODEV[wrapper]}" ] && [ "${INSIDE[wrapper]}" != "${NODEV[official]}" ] ||
	fail "the verdicts of the official container and the wrapper are the same (${NODEV[official]}): comparing them cannot fail"
echo "ok: the verdicts compared name the real stops' outcomes, and differ between containers"
# the budgets: from podman's k8s-file log on the node, none inside
budget() { jq -c '[.facts.checks[]? | select(.command == "signals") | .facts.stop_paths[0]
	| {stop_seconds_estimate, stop_estimate_basis}][0]'; }
for n in official redis; do
	c=dbpod-node-$$-$n
	node=$(printf '%s' "$NODE" | jq -c --arg id "${CID[$n]}" '.containers[] | select(.container_id == $id)')
	printf '%s' "$node" | jq -e --arg log "${CTRLOG[$n]}" '.runtime_log.path == $log and .runtime_log.unread == null' \
		>/dev/null || fail "$n: node mode did not read ${CTRLOG[$n]}: $(printf '%s' "$node" | jq -c .runtime_log)"
	nb=$(printf '%s' "$node" | budget)
	sig=SIGINT user=postgres
	if [ "$n" = redis ]; then sig=SIGTERM user=root; fi
	# as the server's user (the replica's redis-server runs as root),
	# who may look at its descriptors without CAP_SYS_PTRACE: root in a
	# podman container may not look at postgres's
	ib=$(podman exec -u $user "$c" /dbpod doctor --json --grace=$GRACE --stop-signal=$sig 2>/dev/null | budget)
	if [ "$n" = official ]; then
		printf '%s' "$nb" | jq -e --arg log "${CTRLOG[$n]}" '(.stop_seconds_estimate | type == "number" and . > 0)
			and (.stop_estimate_basis | startswith("the immediate checkpoint at ")
			and endswith("(the server'"'"'s log, \($log), the runtime'"'"'s log, podman k8s-file)"))' >/dev/null ||
			fail "official: no estimate from podman's log: $nb"
	else
		# Redis's save of an empty dataset is too small to time the
		# disk, but the log it was read from is named
		printf '%s' "$nb" | jq -e --arg log "${CTRLOG[$n]}" '.stop_estimate_basis
			| contains("the last save wrote too little") and contains($log)' >/dev/null ||
			fail "redis: its save was not read from podman's log: $nb"
	fi
	printf '%s' "$ib" | jq -e '.stop_seconds_estimate == null and (.stop_estimate_basis
		| startswith("no estimate: the server'"'"'s log was not found: it") and contains("pipe"))' >/dev/null ||
		fail "$n: dbpod inside: $ib"
	echo "ok: $n: node mode reads podman's k8s-file log (stop estimate: $(printf '%s' "$nb" | jq .stop_seconds_estimate)), inside the log is a pipe"
done
# the wrapper is the one a stop kills
printf '%s' "$NODE" | jq -e --arg id "${CID[wrapper]}" \
	'.containers[] | select(.container_id == $id) | .status == "critical"' >/dev/null ||
	fail "the bash wrapper without exec is not critical from the node"

for ns in "$REDIS_NS"; do
	NS_PID=$ns
	inside=$(ns_exec "$DBPOD" doctor --json --grace=$GRACE 2>/dev/null | verdict)
	ino=$(stat -L -c %i "/proc/$ns/ns/pid")
	node=$(printf '%s' "$NODE" | jq -c --argjson ino "$ino" '.containers[] | select(.pidns == $ino)' | verdict)
	[ "$inside" = "$node" ] || fail "unshare namespace $ino: node mode says $node, inside it dbpod says $inside"
	echo "ok: unshare namespace (redis-server PID 1): $node"
done
ino=$(stat -L -c %i "/proc/$EMPTY_NS/ns/pid")
printf '%s' "$NODE" | jq -e --argjson ino "$ino" '[.containers[] | select(.pidns == $ino)] | length == 0' >/dev/null ||
	fail "the namespace without a database was judged without --all"
printf '%s' "$NODE" | jq -e '.namespaces_without_database >= 1' >/dev/null ||
	fail "the namespace without a database was not counted"
run_host doctor --all-containers --all --json --grace=$GRACE
printf '%s' "$OUT" | jq -e --argjson ino "$ino" '[.containers[] | select(.pidns == $ino)] | length == 1' >/dev/null ||
	fail "--all did not judge the namespace without a database"
echo "ok: the namespace without a database is counted, and judged with --all"

# Prometheus: valid, every series labelled, and the alerts fire on it
run_host doctor --all-containers --format=prometheus --grace=$GRACE -o "$TMP/node.prom"
expect_rc 2
[ -z "$OUT" ] || fail "-o FILE printed to stdout too"
promtool check metrics <"$TMP/node.prom" >"$TMP/promtool.out" 2>&1 ||
	fail "promtool check metrics: $(cat "$TMP/promtool.out")"
grep -v '^#' "$TMP/node.prom" | grep -v '^dbpod_node_' | grep -vq 'pidns="' &&
	fail "a series without the pidns label: $(grep -v '^#' "$TMP/node.prom" | grep -v pidns= | head -3)"
grep -q "container_id=\"${CID[wrapper]}\"" "$TMP/node.prom" ||
	fail "the wrapper's container_id is not a label"
mkdir -p "$TMP/ptest"
# this test's own namespaces: another suite's may come and go meanwhile
OURS=$(printf '%s' "$NODE" | jq -r --argjson ids "$(printf '%s\n' "${CID[@]}" | jq -R . | jq -s .)" \
	'.containers[] | select(.container_id as $c | $ids | index($c)) | .pidns')
OURS="$OURS $(stat -L -c %i "/proc/$REDIS_NS/ns/pid")"
# shellcheck disable=SC2086
python3 "$top_srcdir/tests/promtool/from-output.py" "$TMP/node.prom" <(printf '%s' "$NODE") \
	"$top_srcdir/deploy/prometheus/dbpod-rules.yaml" "$TMP/ptest" $OURS >"$TMP/ptest/counts" ||
	fail "could not make a rules test from the output"
# the wrapper's stop (SIGINT, its runtime's) ends in SIGKILL: an alert
[ "$(awk '$1 == "DbpodStopEndsInSigkill" {print $2}' "$TMP/ptest/counts")" -ge 1 ] ||
	fail "no DbpodStopEndsInSigkill expected from the real output: $(cat "$TMP/ptest/counts")"
(cd "$TMP/ptest" && promtool test rules test.yaml) >"$TMP/ptest.out" 2>&1 ||
	fail "the alert rules on dbpod's real output: $(tail -30 "$TMP/ptest.out")"
echo "ok: Prometheus output passes promtool check metrics, and the alerts fire on it as expected"

# a namespace that vanishes while node mode reads is gone, not a crash
# and not UNKNOWN (the containers above stay critical, and so does the
# node): short-lived namespaces (a redis-server and its PID 1, ended
# after 0 to 0.4 s) started and read at the same time, 20 times
for i in $(seq 20); do
	mkdir -p "$TMP/race$i"
	env --default-signal setsid unshare -pf --mount-proc bash -c \
		"redis-server --port 0 --unixsocket $TMP/race$i/s.sock --dir $TMP/race$i --save '' >/dev/null &
		 sleep 0.$((RANDOM % 5)); exit 0" </dev/null >/dev/null 2>&1 &
	track "$!"
	set +e
	"$DBPOD" doctor --all-containers --json --grace=$GRACE >"$TMP/race.json" 2>"$TMP/race.err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "node mode exited $rc while a namespace vanished: $(cat "$TMP/race.err")"
	jq -e '.status == "critical"' "$TMP/race.json" >/dev/null ||
		fail "node mode wrote broken JSON, or not its critical status, while a namespace vanished"
done
wait
echo "ok: 20 runs while namespaces came and went: no crash, JSON whole"
