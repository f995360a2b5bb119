#!/bin/bash
# lint on Dockerfiles: the official postgres, mysql, mariadb, redis and
# mongo ones (real files, each folder's SOURCE names the upstream commit
# and the findings checked by hand) and
# hand-written ones for each concern and each piece of syntax. No root.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures/lint
ids() { printf '%s' "$OUT" | jq -r '[.findings | sort_by(.id, .line)[] | "\(.id):\(.severity):\(.line)"] | join(",")'; }
expect_ids() {
	[ "$(ids)" = "$1" ] || fail "findings: expected '$1', got '$(ids)'
$OUT"
}

# the official images: the entrypoint script is read from the build
# context and execs, so only the missing init remains
for d in mysql-8.4/Dockerfile.oracle:DBI603:warning:120 mariadb-11.4/Dockerfile:DBI603:warning:141; do
	f=${d%%:*}
	run_host lint --json "$FIX/$f"
	expect_rc 1
	expect_ids "${d#*:}"
	expect_jq '.findings[0].database' mysql
	expect_jq '.findings[0].file' "$FIX/$f"
	expect_jq '.findings[0].column' 1
done
run_host lint --json "$FIX/postgres-15-bookworm/Dockerfile"
expect_rc 1
expect_ids DBI603:warning:191
expect_jq '.facts.files[0].judged[0].database' postgresql
run_host lint --json "$FIX/redis-7.2-debian/Dockerfile" "$FIX/mongo-8.0/Dockerfile"
expect_rc 1
expect_ids DBI603:warning:122,DBI603:warning:147
expect_jq '[.findings[].database] | sort | join(",")' mongodb,redis

# multi-stage, escape directive, continuation with a comment inside,
# heredoc, ENV/ARG references: the final stage's script does not exec
run_host lint --json "$FIX/syntax/Dockerfile"
expect_rc 2
expect_ids DBI609:critical:28,DBI613:critical:28,DBI690:warning:27
expect_jq '.facts.files[0].judged[0].name' 'stage 2 (FROM debian:bookworm-slim AS runtime)'
expect_jq '[.findings[] | select(.id == "DBI612")] | length' 0	# ignored inline, with a reason
# --no-inline-ignores brings it back
run_host lint --json --no-inline-ignores "$FIX/syntax/Dockerfile"
expect_jq '[.findings[] | select(.id == "DBI612")] | length' 1

# each concern
run_host lint --json "$FIX/dockerfiles/shell-form.Dockerfile"
expect_rc 2
expect_ids DBI601:critical:5,DBI613:critical:5
run_host lint --json "$FIX/dockerfiles/shell-cmd.Dockerfile"
expect_ids DBI607:critical:5,DBI613:critical:4
expect_jq '.findings[] | select(.id == "DBI607") | .advice' 'write CMD in exec form too: `CMD ["postgres", ...]`.'
run_host lint --json "$FIX/dockerfiles/reset-cmd.Dockerfile"
expect_ids DBI602:info:3,DBI608:warning:3
expect_jq '.findings[] | select(.id == "DBI608") | .advice | test("CMD \\[\"postgres\"\\]")' true
expect_rc 1
run_host lint --json "$FIX/dockerfiles/root.Dockerfile"
expect_ids DBI603:warning:3,DBI610:critical:1
run_host lint --json "$FIX/dockerfiles/oom-env.Dockerfile"
expect_ids DBI611:warning:4
run_host lint --json "$FIX/dockerfiles/tini.Dockerfile"
expect_rc 0
expect_ids ""
# the profile decides what it is judged for
run_host lint --json --profile=redis "$FIX/dockerfiles/shell-form.Dockerfile"
expect_jq '[.findings[].database] | unique | join(",")' redis
expect_jq '[.findings[] | select(.id == "DBI604")] | length' 0

# the database is what runs: a MariaDB image on a base that sets PGDATA
# (no PostgreSQL advice), the script followed to `exec gosu mysql mariadbd`
run_host lint --json "$FIX/shared-base/Dockerfile"
expect_rc 1
expect_ids DBI603:warning:13
expect_jq '.facts.files[0].judged[0].database' mysql
expect_jq '.facts.files[0].judged[0].database_hint' 'runs mariadbd'
expect_jq '.facts.files[0].judged[0].stop_path | "\(.signal) \(.outcome)"' 'SIGTERM graceful'
# the stop follows it: SIGINT leaves mariadbd running until SIGKILL
run_host lint --json --stop-signal=SIGINT --grace=30 "$FIX/shared-base/Dockerfile"
expect_rc 2
expect_jq '.facts.files[0].judged[0].stop_path | "\(.outcome) \(.after_seconds)"' 'sigkill 30'
expect_jq '.findings[] | select(.id == "DBI613") | .severity' critical

# COPY scripts/*.sh is followed to start.sh, whose trap only echoes and
# which runs the server in the foreground: the trap never runs in time
run_host lint --json "$FIX/copy-glob/Dockerfile"
expect_rc 2
expect_ids DBI609:critical:7,DBI613:critical:7
expect_jq '.facts.files[0].judged[0].stop_path.outcome' sigkill
expect_jq '.facts.files[0].judged[0].stop_path.steps[1] | test("scripts/start.sh, but it runs postgres in the foreground")' true
run_host lint "$FIX/copy-glob/Dockerfile"
expect_out 'stop with SIGINT   sigkill, at the end of the 10 s grace period'

# the database where only the scripts tell it: a tree copied whole to /
# (COPY rootfs /) is followed five levels down to run.sh, whose
# `cmd=$(command -v postgres); exec "$cmd"` runs the postmaster; a script
# not in the context names its server by its path; mysqld_safe started
# by a script, and su -c 'pg_ctl start', are MySQL and PostgreSQL
run_host lint --json "$FIX/rootfs/Dockerfile"
expect_rc 1
expect_ids DBI603:warning:8,DBI604:warning:5
expect_jq '.facts.files[0].judged[0].database_hint' 'runs postgres'
expect_jq '.facts.files[0].judged[0].stop_path.steps[0]' 'the runtime sends SIGTERM to PID 1 (postgres)'
run_host lint --json "$FIX/rootfs/Dockerfile.redis"
expect_jq '[.findings[] | select(.id == "DBI602") | .database] | join(",")' redis
run_host lint --json "$FIX/starters/Dockerfile.mysqld-safe"
expect_rc 2
expect_ids DBI609:critical:5,DBI613:critical:5
expect_jq '[.findings[].database] | unique | join(",")' mysql
expect_jq '.facts.files[0].judged[0].database_hint' 'runs mysqld'
run_host lint --json "$FIX/starters/Dockerfile.su-pg-ctl"
expect_rc 2
expect_ids DBI601:critical:5,DBI613:critical:5,DBI614:critical:5
expect_jq '[.findings[].database] | unique | join(",")' postgresql

# DBI603 only where the server is PID 1, DBI604 only where the runtime's
# signal reaches it, DBI602 only where PID 1 is a script not followed: a
# script that re-runs itself under dumb-init and hands the stop to runit
# from a trap gets none of them; pg_ctl start under sh keeps sh PID 1;
# sudo relays SIGTERM (a smart shutdown) to the postmaster; an unread
# docker-entrypoint.sh given postgres is taken to exec it
run_host lint --json "$FIX/pid1/Dockerfile.handover"
expect_rc 0
expect_ids ""
expect_jq '.facts.files[0].judged[0].database' postgresql
expect_jq '.facts.files[0].judged[0].chain[1]' 'dumb-init runs `/bin/sh /launch.sh` as its child'
expect_jq '.facts.files[0].judged[0].stop_path.steps[2] | test("passes the stop on: `sv -w 86400 stop patroni` sends SIGTERM")' true
run_host lint --json "$FIX/pid1/Dockerfile.pg-ctl-tail"
expect_ids DBI601:critical:5,DBI613:critical:5,DBI614:critical:5
# the fix names commands, not display names, and exec is no fix for a
# start that forks the server off
expect_jq '.findings[] | select(.id == "DBI601") | .advice | test("CMD \\[\"postgres\", ...\\]")' true
expect_jq '.findings[] | select(.id == "DBI601") | .advice | test("`pg_ctl start` forks the server off and returns, so `exec` at the start of the string would not help")' true
run_host lint --json "$FIX/pid1/Dockerfile.sudo"
expect_ids DBI604:warning:3,DBI605:warning:6
expect_jq '.facts.files[0].judged[0].stop_path.steps[1]' 'sudo (PID 1) relays SIGTERM to its child'
run_host lint --json "$FIX/pid1/Dockerfile.official-name"
expect_ids DBI603:warning:7

# su or sudo where the chain has them resident (DBI605): `exec sudo` in a
# script (above), su -c in supervisord's program, found in the program
# file copied under /etc/supervisor when the configuration it names is
# not in the context; su's SIGTERM kills the shell below it, and the
# postmaster dies unstopped with the container
run_host lint --json "$FIX/supervisord/Dockerfile"
expect_rc 2
expect_ids DBI605:warning:8,DBI613:critical:8,DBI615:warning:8
expect_jq '.findings[] | select(.id == "DBI605") | .message | test("in supervisord.s program")' true
expect_jq '.facts.files[0].judged[0].stop_path.outcome' sigkill

# a start that does not wait for the server (DBI614): pg_ctl start
# inside su -c forks it off, PID 1 adopts it; a server in the background
# of a script that then waits on tail
run_host lint --json "$FIX/starters/Dockerfile.su-pg-ctl"
expect_jq '.findings[] | select(.id == "DBI614") | .message | test("`su postgres -c .pg_ctl start -D /var/lib/postgresql/data.` \\(the build context.s start.sh, line 2\\) starts postgres as a daemon")' true
run_host lint --json "$FIX/starters/Dockerfile.background"
expect_rc 2
expect_ids DBI613:critical:5,DBI614:critical:5
expect_jq '.findings[] | select(.id == "DBI614") | .message | test("in the background and nothing waits for it")' true
expect_jq '.findings[] | select(.id == "DBI614") | .advice | test("exec redis-server")' true
# fg or wait is waiting for it: no DBI614
run_host lint --json "$FIX/starters/Dockerfile.mysqld-safe"
expect_jq '[.findings[] | select(.id == "DBI614")] | length' 0

# supervisord's program against the database: its stopsignal (TERM unless
# set, a smart shutdown; DBI615) and stopwaitsecs (10 unless set, then
# SIGKILL; DBI616, not where su cuts the stop first, above); the program
# that runs the server is chosen among several; told INT and 120 s, none
run_host lint --json "$FIX/supervisord/Dockerfile.official"
expect_rc 1
expect_ids DBI615:warning:7,DBI616:warning:7
expect_jq '.findings[] | select(.id == "DBI615") | .message | test("\\[program:postgres\\] \\(/etc/supervisor/conf.d/postgres.conf\\) with SIGTERM \\(no stopsignal")' true
expect_jq '.findings[] | select(.id == "DBI616") | .advice | test("stopwaitsecs=60")' true
run_host lint --json "$FIX/supervisord/Dockerfile.tuned"
expect_rc 0
expect_ids ""

# a command that starts a program nothing creates (DBI617), only where
# the whole image is known: FROM scratch and the official images, with
# everything else from the context -- a binary copied counts, a RUN that
# names it may make it, another base may hold it
run_host lint --json "$FIX/missing/Dockerfile.scratch"
expect_rc 2
expect_ids DBI602:info:5,DBI617:critical:5
expect_jq '.findings[] | select(.id == "DBI617") | .message | test("starts `/usr/local/bin/start.sh`, which nothing in this image creates: the image starts FROM scratch")' true
run_host lint --json "$FIX/missing/Dockerfile.official"
expect_jq '.findings[] | select(.id == "DBI617") | .message | test("`/app/entrypoint.sh`")' true
for f in made binary unknown-base; do
	run_host lint --json "$FIX/missing/Dockerfile.$f"
	expect_jq '[.findings[] | select(.id == "DBI617")] | length' 0
done

# the build context is read as untrusted: a FIFO named by COPY never
# hangs lint, a source outside the context or a link out of it is never
# opened, a file past 256 KiB is not read; a directory COPY is walked
CTX=$TMP/ctx
mkdir -p "$CTX/bin"
printf '#!/bin/sh\nexec postgres -D /d\n' >"$TMP/outside.sh"
ln -s ../outside.sh "$CTX/link.sh"
mkfifo "$CTX/fifo.sh"
{ printf '#!/bin/sh\n'; head -c 300000 /dev/zero | tr '\0' '#'; printf '\nexec postgres\n'; } >"$CTX/big.sh"
printf '#!/bin/sh\npostgres -D /d\n' >"$CTX/bin/run.sh"
for src in fifo.sh link.sh ../outside.sh ../../../etc/shadow big.sh; do
	printf 'FROM debian:12\nCOPY %s /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n' "$src" >"$CTX/Dockerfile"
	set +e
	# LeakSanitizer cannot run under ptrace (it exits 1): off for the
	# traced run, as in 952
	OUT=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		timeout 20 strace -f -qq -e trace=open,openat,openat2 -o "$TMP/trace" \
		"$DBPOD" lint --json "$CTX/Dockerfile" 2>"$TMP/err")
	RC=$?
	set -e
	[ "$RC" != 124 ] || fail "lint hung on COPY $src"
	ERR=$(cat "$TMP/err")
	expect_rc 0
	expect_jq '.facts.files[0].judged[0].chain[0] | test("entrypoint.sh is run but not read")' true
	if grep -E 'shadow|outside\.sh' "$TMP/trace" | grep -v ENOENT | grep -q .; then
		fail "COPY $src opened a file outside the build context: $(grep -E 'shadow|outside' "$TMP/trace")"
	fi
done
printf 'FROM postgres:16\nCOPY bin/ /opt/bin/\nENTRYPOINT ["/opt/bin/run.sh"]\nCMD ["postgres"]\n' >"$CTX/Dockerfile"
run_host lint --json "$CTX/Dockerfile"
expect_jq '.findings[] | select(.id == "DBI609") | .severity' critical

# a Dockerfile on standard input (detected from its text), and broken ones
run_host lint --json - <"$FIX/dockerfiles/tini.Dockerfile"
expect_rc 0
expect_jq '.facts.files[0].kind' dockerfile
run_host lint --json "$FIX/dockerfiles/broken.Dockerfile"
expect_rc 3
expect_jq '.findings[0].id' DBI600
expect_jq '.findings[0].line' 3
expect_jq '.findings[0].message | test("unknown instruction .FORM.")' true
run_host lint /nonexistent/Dockerfile
expect_rc 3
[ -z "$OUT" ] || fail "output for a missing file: $OUT"
printf '%s' "$ERR" | grep -q "cannot read '/nonexistent/Dockerfile': No such file or directory" ||
	fail "bad message: $ERR"
echo "ok: lint on Dockerfiles"
