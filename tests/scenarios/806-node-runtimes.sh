#!/bin/bash
# Node mode with docker and containerd as they are configured, for real:
# a dockerd with a data root of its own (--data-root) and a containerd
# with its own state (--state) and root (its config file), each running
# PostgreSQL 15 as PID 1 from a locally built image (the host's
# /usr/lib/postgresql/15 bind-mounted; no registry). `dbpod doctor
# --all-containers --all --json` must name each container (name, image,
# runtime) and judge it with the stop signal and grace the runtime will
# use, saying where each came from: docker's STOPSIGNAL SIGINT and
# --stop-timeout 7 from config.v2.json; containerd's SIGQUIT from the
# label `ctr run` copied from the image into meta.db, in a kubelet
# cgroupfs path (/kubepods/besteffort/pod<UID>/<ID>) with Kubernetes' 30 s.
# Then both are stopped the way their runtimes stop them (`docker stop`,
# `ctr task kill`, which sends the label's signal) and the predictions
# are checked against pg_controldata: SIGINT a clean shutdown, SIGQUIT
# crash recovery on the next start. With the runtimes' state out of
# reach (--root of an empty tree) the stop signal is unknown and SIGQUIT
# is judged too: no graceful verdict.
# The stop's and restart's budgets (DBS207, DBS208) rest on the server's
# log, which PostgreSQL as PID 1 writes to its standard error, a pipe to
# the runtime: after a CHECKPOINT, node mode reads docker's json-file log
# of it and gives an estimate whose basis names that file and the
# checkpoint's buffers; dbpod inside the container (the build
# bind-mounted, `docker exec`) sees only the pipe and gives none, nor
# does node mode for the `ctr run` container (no kubelet wrote its log).
# Once docker has rotated the log (max-size), the checkpoint is read from
# the rotated file.
#
# Needs root; everything else it needs is installed by ./bootstrap
# --install-test-deps (docker.io, containerd, postgresql-15), and a
# missing piece is a failure, not a skip. The daemons use sockets, data
# roots and state below this test's directories and are stopped by PID.
. "$(dirname "$0")/lib.sh"
set -e
[ "$(id -u)" = 0 ] || skip "needs root to run dockerd and containerd"
for c in dockerd containerd ctr containerd-shim-runc-v2 runc jq; do
	command -v "$c" >/dev/null 2>&1 ||
		fail "$c is not installed: ./bootstrap --install-test-deps installs docker.io and containerd"
done
if ! [ -x "$PGBIN/postgres" ] || ! [ -x "$PGBIN/pg_controldata" ]; then
	fail "postgresql-15 is not installed: ./bootstrap --install-test-deps"
fi
# docker's own client: /usr/local/bin may hold another one
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker) ||
	fail "the docker client is not installed (docker.io)"

# data roots below /var/lib (overlayfs needs a real file system, and
# /tmp may be tmpfs), state and sockets below this test's directory
DATA=/var/lib/dbpod-test-runtimes.$$
RUN=$TMP/run
mkdir -p "$DATA" "$RUN"
DOCKERD_PID=''
CONTAINERD_PID=
CTR_ID=$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)
POD_UID=$(cat /proc/sys/kernel/random/uuid)
CG=/kubepods/besteffort/pod$POD_UID
# what the daemons make at fixed paths (containerd's shim sockets in
# /run/containerd/s, dockerd's /run/docker/plugins, the /docker cgroup
# its containers go into): removed afterwards if this test made them and
# they are empty
PRE_RUN_CONTAINERD=$(if [ -e /run/containerd ]; then echo 1; fi)
PRE_RUN_DOCKER=$(if [ -e /run/docker ]; then echo 1; fi)
PRE_CG_DOCKER=" "
for h in /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
	if [ -d "$h" ]; then PRE_CG_DOCKER="$PRE_CG_DOCKER$h "; fi
done

ctr_() { ctr --address "$RUN/containerd.sock" "$@"; }
docker_() { "$DOCKER" -H "unix://$RUN/docker.sock" "$@"; }

stop_pid() {	# stop_pid PID: SIGTERM, then SIGKILL after 20 s
	local p=$1
	[ -n "$p" ] || return 0
	kill -TERM "$p" 2>/dev/null || return 0
	for _ in $(seq 200); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
}

teardown() {
	local rc=$? m
	set +e
	if [ -n "$DOCKERD_PID" ]; then
		docker_ rm -f "dbpod-rt-$$" "dbpod-rt-gz-$$" >/dev/null 2>&1
		stop_pid "$DOCKERD_PID"
	fi
	if [ -n "$CONTAINERD_PID" ]; then
		ctr_ -n k8s.io task kill -s KILL "$CTR_ID" >/dev/null 2>&1
		for _ in $(seq 50); do
			ctr_ -n k8s.io task ls -q 2>/dev/null | grep -q "$CTR_ID" || break
			ctr_ -n k8s.io task delete "$CTR_ID" >/dev/null 2>&1
			sleep 0.1
		done
		ctr_ -n k8s.io container delete "$CTR_ID" >/dev/null 2>&1
		stop_pid "$CONTAINERD_PID"
	fi
	# anything still mounted below the test's directories (a rootfs left
	# by a daemon that did not stop cleanly), deepest first
	awk -v d="$DATA" -v t="$TMP" '$5 ~ "^" d || $5 ~ "^" t {print $5}' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m"; done
	# the pod's cgroup in every v1 hierarchy and the unified one (runc
	# removed the container's own); kubepods only when nothing else is in it
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$h$CG" ] || continue
		rmdir "$h$CG" 2>/dev/null
		rmdir "${h}kubepods/besteffort" "${h}kubepods" 2>/dev/null
	done
	for h in /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
		[ -d "$h" ] || continue
		case $PRE_CG_DOCKER in *" $h "*) continue ;; esac
		rmdir "$h" 2>/dev/null
	done
	rm -rf "$DATA"
	if [ -z "$PRE_RUN_CONTAINERD" ]; then
		rmdir /run/containerd/s /run/containerd 2>/dev/null
	fi
	if [ -z "$PRE_RUN_DOCKER" ]; then
		rmdir /run/docker/plugins /run/docker 2>/dev/null
	fi
	(exit $rc)
	cleanup
}
trap teardown EXIT

# ---- the daemons, each with directories of its own ----

cat >"$RUN/containerd.toml" <<EOF
version = 2
root = "$DATA/containerd"
state = "/run/not-this-one"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$RUN/containerd.sock"
[ttrpc]
  address = "$RUN/containerd.sock.ttrpc"
EOF
# root from the config file, state from the command line (which wins)
env --default-signal setsid containerd --config "$RUN/containerd.toml" --state "$RUN/containerd" \
	>"$TMP/containerd.log" 2>&1 </dev/null &
CONTAINERD_PID=$!
WAIT_SECONDS=30 wait_until ctr_ version ||
	fail "containerd did not start: $(tail -5 "$TMP/containerd.log")"

# no trust key in /etc/docker: the daemon's files stay below $DATA
printf '{"deprecated-key-path": "%s"}\n' "$DATA/key.json" >"$RUN/daemon.json"
env --default-signal setsid dockerd --data-root "$DATA/docker" --exec-root "$RUN/docker-exec" \
	-H "unix://$RUN/docker.sock" --pidfile "$RUN/docker.pid" --config-file "$RUN/daemon.json" \
	--containerd "$RUN/containerd.sock" --iptables=false --bridge=none \
	>"$TMP/dockerd.log" 2>&1 </dev/null &
DOCKERD_PID=$!
WAIT_SECONDS=60 wait_until docker_ version ||
	fail "dockerd did not start: $(tail -5 "$TMP/dockerd.log")"

# ---- images without a registry: a root file system that borrows the
# host's /usr (Debian 12, merged /usr) and its users ----

ROOTFS=$TMP/rootfs
mkdir -p "$ROOTFS"/{usr,etc,tmp,proc,sys,dev,run,var/run/postgresql,var/lib/postgresql/data}
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$ROOTFS/$l"; done
cp /etc/passwd /etc/group "$ROOTFS/etc/"
chmod 1777 "$ROOTFS/tmp"
chown postgres:postgres "$ROOTFS/var/run/postgresql"
tar -C "$ROOTFS" -cf "$TMP/rootfs.tar" .
docker_ import "$TMP/rootfs.tar" dbpod-test-rt/base:1 >/dev/null || fail "docker import failed"
image() {	# image TAG STOPSIGNAL
	mkdir -p "$TMP/ctx-$2"
	cat >"$TMP/ctx-$2/Dockerfile" <<EOF
FROM dbpod-test-rt/base:1
USER postgres
STOPSIGNAL $2
CMD ["/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/data", "-k", "/var/run/postgresql", "-c", "listen_addresses="]
EOF
	DOCKER_BUILDKIT=0 docker_ build -q -t "$1" "$TMP/ctx-$2" >"$TMP/build.log" 2>&1 ||
		fail "docker build $1 failed: $(tail -5 "$TMP/build.log")"
}
image dbpod-test-rt/pg:sigint SIGINT
image dbpod-test-rt/pg:sigquit SIGQUIT
docker_ save dbpod-test-rt/pg:sigquit | ctr_ -n k8s.io images import - >/dev/null ||
	fail "ctr images import failed"

# ---- PostgreSQL data directories, one initdb ----

mkdir -p "$TMP/pg"
chown postgres "$TMP/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$TMP/pg/template" >"$TMP/initdb.log" 2>&1 ||
	fail "initdb failed: $(tail -5 "$TMP/initdb.log")"
cp -a "$TMP/pg/template" "$TMP/pg/docker"
cp -a "$TMP/pg/template" "$TMP/pg/containerd"
state_of() { LC_ALL=C "$PGBIN/pg_controldata" "$1" | sed -n 's/^Database cluster state: *//p'; }

# ---- one container each ----

docker_ run -d --name "dbpod-rt-$$" --stop-timeout 7 -v /usr:/usr:ro -v "$DBPOD:/dbpod:ro" \
	--log-opt max-size=1m --log-opt max-file=2 \
	-v "$TMP/pg/docker:/var/lib/postgresql/data" dbpod-test-rt/pg:sigint >"$TMP/docker.id" ||
	fail "docker run failed: $(tail -3 "$TMP/dockerd.log")"
DOCKER_ID=$(cat "$TMP/docker.id")
ctr_ -n k8s.io run -d --fifo-dir "$RUN/fifo" --runc-root "$RUN/runc" --cgroup "$CG/$CTR_ID" \
	--mount type=bind,src=/usr,dst=/usr,options=rbind:ro \
	--mount "type=bind,src=$TMP/pg/containerd,dst=/var/lib/postgresql/data,options=rbind:rw" \
	--annotation io.kubernetes.cri.container-name=postgres \
	--annotation io.kubernetes.cri.sandbox-name=pg-0 \
	--annotation io.kubernetes.cri.sandbox-namespace=db \
	--annotation io.kubernetes.cri.image-name=docker.io/dbpod-test-rt/pg:sigquit \
	docker.io/dbpod-test-rt/pg:sigquit "$CTR_ID" >"$TMP/ctr.out" 2>&1 ||
	fail "ctr run failed: $(cat "$TMP/ctr.out")"

DOCKER_PID1=$(docker_ inspect -f '{{.State.Pid}}' "$DOCKER_ID")
CTR_PID1=$(ctr_ -n k8s.io task ls | awk -v id="$CTR_ID" '$1 == id {print $2}')
[ -n "$DOCKER_PID1" ] && [ -n "$CTR_PID1" ] || fail "no PID 1 for the containers"
for p in "$DOCKER_PID1" "$CTR_PID1"; do
	WAIT_SECONDS=30 wait_until "$PGBIN/pg_isready" -q -h "/proc/$p/root/var/run/postgresql" ||
		fail "PostgreSQL in PID $p is not ready"
done
sleep 0.3

# an immediate checkpoint of a table's 300000 rows, timed in the log
# (64 buffers or more, as the budget asks); docker copies the pipe into
# its json-file log by and by: waited for there
psql_in() {	# psql_in CONTAINER SQL
	docker_ exec -u postgres "$1" "$PGBIN/psql" -X -q -h /var/run/postgresql -d postgres -c "$2" \
		>"$TMP/psql.out" 2>&1 || fail "psql in the docker container ${1:0:12}: $2: $(cat "$TMP/psql.out")"
}
psql_docker() { psql_in "$DOCKER_ID" "$1"; }
psql_docker "CREATE TABLE t AS SELECT g FROM generate_series(1, 300000) g"
psql_docker CHECKPOINT
DOCKER_LOG=$(docker_ inspect -f '{{.LogPath}}' "$DOCKER_ID")
[ -n "$DOCKER_LOG" ] || fail "docker names no LogPath for the container"
wait_until grep -q 'checkpoint complete: wrote' "$DOCKER_LOG" ||
	fail "the CHECKPOINT never reached docker's log $DOCKER_LOG"
CKPT_BUFFERS=$(docker_ logs "$DOCKER_ID" 2>&1 | sed -n 's/.*checkpoint complete: wrote \([0-9]*\) buffers.*/\1/p' | tail -1)
[ "${CKPT_BUFFERS:-0}" -ge 64 ] || fail "the CHECKPOINT wrote ${CKPT_BUFFERS:-no} buffers: too few to time the disk"

# ---- what node mode says ----

# the status is the worst of every namespace on the machine, other
# tests' included: any of the four
run_host doctor --all-containers --all --json
[ "$RC" -le 3 ] || fail "node mode exited $RC: $ERR"
NODE=$OUT
printf '%s' "$NODE" | jq -e . >/dev/null || fail "node mode's JSON does not parse: $ERR"
ctr_json() { printf '%s' "$NODE" | jq -c --arg id "$1" '.containers[] | select(.container_id == $id)'; }
field() {	# field ID FILTER EXPECTED
	local got
	got=$(ctr_json "$1" | jq -r "$2")
	[ "$got" = "$3" ] || fail "container ${1:0:12}: $2 is '$got', expected '$3'
$(ctr_json "$1" | jq '{runtime, runtime_unknown, container_name, image, stop_signal, stop_signal_from, stop_signal_source, stop_signal_unknown, grace_seconds, grace_from, runtime_error}')
runtime_dirs: $(printf '%s' "$NODE" | jq -c .runtime_dirs)"
}
outcome() { ctr_json "$1" | jq -r '[.facts.checks[] | select(.command == "signals") | .facts.stop_paths[] | "\(.signal)=\(.outcome)"] | join(" ")'; }

[ -n "$(ctr_json "$DOCKER_ID")" ] || fail "node mode did not report the docker container"
field "$DOCKER_ID" .runtime docker
field "$DOCKER_ID" .container_name "dbpod-rt-$$"
field "$DOCKER_ID" .image dbpod-test-rt/pg:sigint
field "$DOCKER_ID" .stop_signal SIGINT
field "$DOCKER_ID" .stop_signal_from runtime
field "$DOCKER_ID" .stop_signal_source "config.v2.json Config.StopSignal"
field "$DOCKER_ID" .grace_seconds 7
field "$DOCKER_ID" .grace_from runtime
field "$DOCKER_ID" .grace_source "config.v2.json Config.StopTimeout"
printf '%s' "$NODE" | jq -e --arg d "$DATA/docker" --arg p "$DOCKERD_PID" \
	'[.runtime_dirs.docker[] | select(.data_root == $d and .from == "dockerd --data-root (PID \($p))")] | length == 1' \
	>/dev/null || fail "the docker data root was not taken from dockerd's command line: $(printf '%s' "$NODE" | jq -c .runtime_dirs)"
[ "$(outcome "$DOCKER_ID")" = "SIGINT=graceful" ] || fail "docker: predicted $(outcome "$DOCKER_ID")"
echo "ok: docker at --data-root $DATA/docker: dbpod-rt-$$, SIGINT and 7 s from config.v2.json, predicted graceful"

# the budgets from docker's json-file log of the pipe
budget() { jq -c '[.facts.checks[]? | select(.command == "signals") | .facts.stop_paths[0]
	| {stop_seconds_estimate, stop_estimate_basis, recovery_estimate_basis}][0]'; }
NODE_BUDGET=$(ctr_json "$DOCKER_ID" | budget)
field "$DOCKER_ID" .runtime_log.path "$DOCKER_LOG"
field "$DOCKER_ID" .runtime_log.unread null
printf '%s' "$NODE_BUDGET" | jq -e --arg log "$DOCKER_LOG" --arg b "$CKPT_BUFFERS" '
	(.stop_seconds_estimate | type == "number" and . > 0)
	and (.stop_estimate_basis | startswith("the immediate checkpoint at ")
		and contains(" wrote \($b) buffers in ")
		and endswith("(the server'"'"'s log, \($log), the runtime'"'"'s log, docker json-file)"))
	and (.recovery_estimate_basis | contains($log))' >/dev/null ||
	fail "docker: no estimate from docker's log $DOCKER_LOG (CHECKPOINT of $CKPT_BUFFERS buffers): $NODE_BUDGET"
# inside the container the same build sees the pipe, not the file
INSIDE=$(docker_ exec "$DOCKER_ID" /dbpod doctor --json --stop-signal=SIGINT --grace=7 2>"$TMP/inside.err") || true
INSIDE_BUDGET=$(printf '%s' "$INSIDE" | budget)
printf '%s' "$INSIDE_BUDGET" | jq -e '(.stop_seconds_estimate == null)
	and (.stop_estimate_basis | startswith("no estimate: the server'"'"'s log was not found: its standard error is a pipe"))
	and (.stop_estimate_basis | contains("json") | not)' >/dev/null ||
	fail "docker: dbpod inside the container: $INSIDE_BUDGET $(cat "$TMP/inside.err")"
echo "ok: docker: node mode estimates the stop at $(printf '%s' "$NODE_BUDGET" | jq .stop_seconds_estimate) s from the CHECKPOINT of $CKPT_BUFFERS buffers in docker's json-file log; inside, no estimate: the log is a pipe"

# docker's rotation (max-size 1m, max-file 2): 1.2 MB of log lines after
# the CHECKPOINT move it to <log>.1; node mode reads that file too, the
# current one having no checkpoint
psql_docker "DO \$\$BEGIN FOR i IN 1..120 LOOP RAISE LOG 'dbpod-fill %', repeat('x', 10000); END LOOP;
	RAISE LOG 'dbpod-fill-done'; END\$\$"
wait_until test -s "$DOCKER_LOG.1" || fail "docker did not rotate $DOCKER_LOG"
wait_until grep -q dbpod-fill-done "$DOCKER_LOG" || fail "the last line never reached $DOCKER_LOG"
! grep -q 'checkpoint complete' "$DOCKER_LOG" || fail "the checkpoint is still in the current file"
grep -q "checkpoint complete: wrote $CKPT_BUFFERS buffers" "$DOCKER_LOG.1" ||
	fail "the checkpoint is not in the rotated file"
run_host doctor --all-containers --all --json
NODE=$OUT
field "$DOCKER_ID" .runtime_log.path "$DOCKER_LOG"
field "$DOCKER_ID" .runtime_log.rotated "$DOCKER_LOG.1"
ctr_json "$DOCKER_ID" | budget | jq -e --arg log "$DOCKER_LOG" --arg b "$CKPT_BUFFERS" '
	(.stop_seconds_estimate | type == "number" and . > 0)
	and (.stop_estimate_basis | contains(" wrote \($b) buffers in ")
		and endswith("(the server'"'"'s log, \($log), the runtime'"'"'s log, docker json-file, and the file rotated before it)"))' >/dev/null ||
	fail "docker, rotated: no estimate from $DOCKER_LOG.1: $(ctr_json "$DOCKER_ID" | budget)"
echo "ok: docker: after the log's rotation, the estimate rests on the CHECKPOINT in $DOCKER_LOG.1"

# compress=true: docker gzips the file it rotates, to <log>.1.gz (and
# removes <log>.1 once it is written); node mode reads it decompressed
cp -a "$TMP/pg/template" "$TMP/pg/docker-gz"
docker_ run -d --name "dbpod-rt-gz-$$" -v /usr:/usr:ro \
	--log-opt max-size=1m --log-opt max-file=2 --log-opt compress=true \
	-v "$TMP/pg/docker-gz:/var/lib/postgresql/data" dbpod-test-rt/pg:sigint >"$TMP/docker-gz.id" ||
	fail "docker run (compress=true) failed: $(tail -3 "$TMP/dockerd.log")"
GZ_ID=$(cat "$TMP/docker-gz.id")
GZ_PID1=$(docker_ inspect -f '{{.State.Pid}}' "$GZ_ID")
WAIT_SECONDS=30 wait_until "$PGBIN/pg_isready" -q -h "/proc/$GZ_PID1/root/var/run/postgresql" ||
	fail "PostgreSQL in the compress=true container is not ready"
psql_in "$GZ_ID" "CREATE TABLE t AS SELECT g FROM generate_series(1, 300000) g"
psql_in "$GZ_ID" CHECKPOINT
GZ_LOG=$(docker_ inspect -f '{{.LogPath}}' "$GZ_ID")
wait_until grep -q 'checkpoint complete: wrote' "$GZ_LOG" ||
	fail "the CHECKPOINT never reached docker's log $GZ_LOG"
GZ_BUFFERS=$(sed -n 's/.*checkpoint complete: wrote \([0-9]*\) buffers.*/\1/p' "$GZ_LOG" | tail -1)
psql_in "$GZ_ID" "DO \$\$BEGIN FOR i IN 1..120 LOOP RAISE LOG 'dbpod-fill %', repeat('x', 10000); END LOOP;
	RAISE LOG 'dbpod-fill-done'; END\$\$"
gz_rotated() { [ -s "$GZ_LOG.1.gz" ] && [ ! -e "$GZ_LOG.1" ]; }
wait_until gz_rotated || fail "docker did not rotate $GZ_LOG to $GZ_LOG.1.gz: $(ls "$(dirname "$GZ_LOG")")"
wait_until grep -q dbpod-fill-done "$GZ_LOG" || fail "the last line never reached $GZ_LOG"
! grep -q 'checkpoint complete' "$GZ_LOG" || fail "the checkpoint is still in the current file"
zcat "$GZ_LOG.1.gz" | grep -q "checkpoint complete: wrote $GZ_BUFFERS buffers" ||
	fail "the checkpoint is not in the compressed rotated file"
run_host doctor --all-containers --all --json
NODE=$OUT
field "$GZ_ID" .runtime_log.path "$GZ_LOG"
field "$GZ_ID" .runtime_log.rotated "$GZ_LOG.1.gz"
ctr_json "$GZ_ID" | budget | jq -e --arg b "$GZ_BUFFERS" '
	(.stop_seconds_estimate | type == "number" and . > 0)
	and (.stop_estimate_basis | contains(" wrote \($b) buffers in "))' >/dev/null ||
	fail "docker, compressed rotation: no estimate from $GZ_LOG.1.gz: $(ctr_json "$GZ_ID" | budget)"
docker_ rm -f "$GZ_ID" >/dev/null
echo "ok: docker, compress=true: the estimate rests on the CHECKPOINT in $GZ_LOG.1.gz"

[ -n "$(ctr_json "$CTR_ID")" ] || fail "node mode did not report the containerd container"
field "$CTR_ID" .runtime containerd
field "$CTR_ID" .pod_uid "$POD_UID"
field "$CTR_ID" .qos besteffort
field "$CTR_ID" .container_name postgres
field "$CTR_ID" .image docker.io/dbpod-test-rt/pg:sigquit
field "$CTR_ID" .pod_name pg-0
field "$CTR_ID" .pod_namespace db
field "$CTR_ID" .containerd_namespace k8s.io
field "$CTR_ID" .stop_signal SIGQUIT
field "$CTR_ID" .stop_signal_from runtime
field "$CTR_ID" .stop_signal_source "meta.db label io.containerd.image.config.stop-signal"
field "$CTR_ID" .grace_seconds 30
field "$CTR_ID" .grace_from kubernetes-default
printf '%s' "$NODE" | jq -e --arg s "$RUN/containerd" --arg r "$DATA/containerd" \
	'[.runtime_dirs.containerd[] | select(.state == $s and .root == $r)] | length == 1' >/dev/null ||
	fail "containerd's state and root were not taken from its command line and config: $(printf '%s' "$NODE" | jq -c .runtime_dirs)"
[ "$(outcome "$CTR_ID")" = "SIGQUIT=crash" ] || fail "containerd: predicted $(outcome "$CTR_ID")"
echo "ok: containerd with --state $RUN/containerd and root $DATA/containerd: postgres in pod pg-0, SIGQUIT from meta.db's label, 30 s Kubernetes' default, predicted crash"
# no kubelet wrote its log to /var/log/pods: no estimate, and why
ctr_json "$CTR_ID" | jq -e --arg d "/var/log/pods/db_pg-0_$POD_UID/postgres" '
	(.runtime_log.unread | contains("the kubelet'"'"'s log of it was not found: \($d)/<restart>.log"))
	and ([.facts.checks[] | select(.command == "signals") | .facts.stop_paths[0].stop_seconds_estimate][0] == null)' \
	>/dev/null || fail "containerd: $(ctr_json "$CTR_ID" | jq -c '{runtime_log}')"
echo "ok: containerd: the kubelet's log is not there: no estimate, and the reason names the file"

# the text view says the same in the containers' lines
run_host doctor --all-containers --all --no-color
line=$(printf '%s\n' "$OUT" | grep "^${CTR_ID:0:12} " || true)
case $line in *postgres*SIGQUIT*30s\?*) ;; *) fail "the text line of the containerd container: '$line'" ;; esac
line=$(printf '%s\n' "$OUT" | grep "^${DOCKER_ID:0:12} " || true)
case $line in *"dbpod-rt-$$"*SIGINT*" 7s "*) ;; *) fail "the text line of the docker container: '$line'" ;; esac
echo "ok: the text lines name the stop signal and grace, the assumed one marked"

# the runtimes' state out of reach: the stop signal is unknown, every
# plausible signal is judged, and PostgreSQL as PID 1 is not graceful
mkdir -p "$TMP/empty-root"
run_host --root "$TMP/empty-root" doctor --all-containers --all --json
NODE=$OUT
field "$CTR_ID" .runtime null
field "$CTR_ID" .stop_signal null
field "$CTR_ID" '.stop_signals_judged | join(",")' SIGTERM,SIGINT,SIGQUIT
field "$CTR_ID" .grace_from kubernetes-default
ctr_json "$CTR_ID" | jq -e '.runtime_unknown | test("no runtime state dbpod read has the container")' >/dev/null ||
	fail "no reason for runtime null: $(ctr_json "$CTR_ID" | jq -c .runtime_unknown)"
[ "$(outcome "$CTR_ID")" = "SIGTERM=graceful SIGINT=graceful SIGQUIT=crash" ] ||
	fail "unknown signal: predicted $(outcome "$CTR_ID")"
field "$CTR_ID" .status critical
field "$DOCKER_ID" .runtime docker
field "$DOCKER_ID" .grace_from docker-default
field "$DOCKER_ID" .grace_seconds 10
ctr_json "$DOCKER_ID" | jq -e '(.runtime_log.unread | contains("none of docker'"'"'s data roots"))
	and ([.facts.checks[] | select(.command == "signals") | .facts.stop_paths[0].stop_seconds_estimate][0] == null)' \
	>/dev/null || fail "docker, state out of reach: $(ctr_json "$DOCKER_ID" | jq -c '{runtime_log}')"
echo "ok: with the runtimes' state out of reach: runtime null with a reason, SIGTERM, SIGINT and SIGQUIT judged, critical; docker's 10 s assumed"

# ---- the real stops, judged by pg_controldata ----

t0=$(date +%s%N)
docker_ stop "$DOCKER_ID" >/dev/null || fail "docker stop failed"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
st=$(state_of "$TMP/pg/docker")
[ "$st" = "shut down" ] || fail "docker stop (SIGINT): pg_controldata says '$st', dbpod predicted graceful"
echo "ok: docker stop sent SIGINT: '$st' after $ms ms, as predicted (graceful)"

# ctr task kill without -s sends the signal of the label
ctr_ -n k8s.io task kill "$CTR_ID" >/dev/null || fail "ctr task kill failed"
wait_until sh -c "! kill -0 $CTR_PID1" || fail "the containerd container did not stop on its stop signal"
st=$(state_of "$TMP/pg/containerd")
[ "$st" = "in production" ] ||
	fail "ctr task kill (SIGQUIT): pg_controldata says '$st', dbpod predicted crash recovery"
echo "ok: ctr task kill sent the label's SIGQUIT: '$st' (crash recovery on the next start), as predicted (crash)"
