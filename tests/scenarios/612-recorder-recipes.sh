#!/bin/bash
# Every recipe of the man pages, the README and deploy/ that starts a
# long-running dbpod (snapshot -o, snapshot without -n, doctor --every)
# runs where no database server can reap it, and is run here as it says,
# in a PID namespace shaped like its place. recipes.py finds them and
# names each place; one in the background of a shell, one that joins the
# database's own PID namespace, or one that names no place fails:
#   exec, exec-shell  kubectl exec (or exec from its shell) into a
#                     container whose PID 1 is the postmaster: nsenter,
#                     PPID 0 inside. It records, and SIGKILLed it is
#                     nothing to PostgreSQL; it ends with PID 1, without
#                     its end line, which is why the sidecar exists
#   sidecar           a pod's namespace held by pause (catatonit -P), the
#                     postmaster and the recorder each started from
#                     outside: the recorder outlives the database and
#                     records its end, then stops cleanly
#   node              doctor --all-containers --every, and the node recorder
#                     (snapshot --all-containers), from the node
. "$(dirname "$0")/lib.sh"
need_root; need_pg; need_cmd jq python3 catatonit
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed (./bootstrap --install-test-deps)"
set -e
mkdir -p "$TMP/out"

python3 "$top_srcdir/tests/scenarios/recipes.py" "$top_srcdir" "$TMP" >"$TMP/recipes" 2>"$TMP/recipes.err" ||
	fail "recipes that a database server could reap, or that die with it:
$(cat "$TMP/recipes.err")"
for shape in exec exec-shell sidecar node; do
	grep -q "^$shape	" "$TMP/recipes" || fail "no $shape recipe found: recipes.py lost them"
done
note "$(wc -l <"$TMP/recipes") recipes: $(cut -f1 "$TMP/recipes" | sort | uniq -c | tr -s ' \n' ' ')"

crashed() { grep -E 'terminated by signal|exited with exit code [^01]|reinitializing' "$1"; }
keyed() { grep -q '"k":"key"' "$1" 2>/dev/null; }

# start SHAPE...: each recipe of these shapes, started as its place starts
# it; WHAT, OUTS, BGS: the recipe, where it writes (its -o, else its
# standard output), its nsenter (whose child is dbpod) or dbpod on the host
WHAT=(); OUTS=(); BGS=()
start() {
	local shapes=" $* " shape where recipe args out i
	local -a a cmd
	while IFS=$'\t' read -r shape where recipe args; do
		case $shapes in *" $shape "*) ;; *) continue ;; esac
		IFS=$'\x1f' read -r -a a <<<"$args"
		i=${#WHAT[@]}
		out=$TMP/out/stdout.$i
		for ((k = 0; k < ${#a[@]}; k++)); do
			case ${a[k]} in
			-o) out=${a[k + 1]} ;;
			--output=*) out=${a[k]#--output=} ;;
			esac
		done
		# a simple command, so that $! is the nsenter (or dbpod) itself
		# shellcheck disable=SC2016
		case $shape in
		exec | sidecar) cmd=(nsenter -t "$NS_PID" -p -m -- "$DBPOD" "${a[@]}") ;;
		exec-shell) cmd=(nsenter -t "$NS_PID" -p -m -- sh -c 'exec "$0" "$@"' "$DBPOD" "${a[@]}") ;;
		node) cmd=("$DBPOD" "${a[@]}") ;;
		esac
		"${cmd[@]}" >"$TMP/out/stdout.$i" 2>"$TMP/out/err.$i" </dev/null &
		BGS+=("$!"); track_first "$!"
		WHAT+=("$where: $recipe"); OUTS+=("$out")
	done <"$TMP/recipes"
}

# running FROM: every recipe from index FROM on has written (a recording
# its first key, a text view a line, node mode its file)
running() {
	local i
	for ((i = $1; i < ${#WHAT[@]}; i++)); do
		case ${OUTS[i]} in
		*.jsonl) WAIT_SECONDS=10 wait_until keyed "${OUTS[i]}" ;;
		*) WAIT_SECONDS=10 wait_until test -s "${OUTS[i]}" ;;
		esac || fail "${WHAT[i]}: it did not run: $(cat "$TMP/out/err.$i")"
		! grep -q "refusing" "$TMP/out/err.$i" || fail "${WHAT[i]}: refused: $(cat "$TMP/out/err.$i")"
	done
}

# 1. a container whose PID 1 is the postmaster (the official image)
pg_logging_start
start exec exec-shell
running 0
n=${#WHAT[@]}
[ "$(ns_exec ps -o ppid= -C dbpod | tr -d ' ' | sort -u)" = 0 ] ||
	fail "a recorder's PPID is not 0: $(ns_exec ps -o pid,ppid,args -C dbpod)"
[ "$(ns_exec pgrep -c -x dbpod)" = "$n" ] || fail "not $n recorders: $(ns_exec ps -o pid,ppid,args -C dbpod)"
# the OOM killer takes them all: nothing to PostgreSQL
for b in "${BGS[@]}"; do
	kill -KILL "$(pgrep -P "$b")"
	{ wait "$b"; } 2>/dev/null || true	# bash's "Killed"
done
wait_until sh -c "! nsenter -t $NS_PID -p -m pgrep -x dbpod" ||
	fail "a recorder survived SIGKILL: $(ns_exec ps -eo pid,ppid,stat,args)"
pg_isready -q -h "$PGSOCK" -U postgres || fail "PostgreSQL is not up"
! crashed "$SERVERLOG" || fail "a recipe's recorder, SIGKILLed, crash-restarted PostgreSQL"

# and when PID 1 ends, the kernel takes the recorder with it: no end line
# (as with the old docker recipe, --pid=container:pg)
LAST=$TMP/out/last.jsonl
ns_exec "$DBPOD" snapshot -i 0.1 -o "$LAST" </dev/null 2>/dev/null &
B=$!; track_first "$B"
wait_until keyed "$LAST" || fail "the last recorder did not record"
kill -INT "$NS_PID"	# a fast shutdown: the postmaster exits
set +e
{ wait "$B"; } 2>/dev/null
RC=$?
set -e
[ "$RC" = 137 ] || fail "the recorder in the postmaster's namespace ended with $RC, not SIGKILL"
[ "$(tail -n 1 "$LAST" | jq -r .k)" != end ] || fail "the recorder wrote its end line"
wait_until sh -c "! kill -0 $NS_PID" || fail "PostgreSQL did not stop"
# postmortem says so, and why it likely was
run_host postmortem "$LAST" --json
expect_rc 1
expect_jq '.findings[] | select(.id == "DBM707") | .severity' warning
expect_jq '.findings[] | select(.id == "DBM707") | .message | test("was cut off: .* ends after the sample of ")' true
expect_jq '.findings[] | select(.id == "DBM707") | .message | test("PID 1 of the recorded PID namespace was postgres, a PostgreSQL server")' true
note "$n exec recipes recorded with PPID 0, were SIGKILLed with no crash, and end with PID 1"

# 2. a pod sharing its PID namespace: pause is PID 1, the database and the
# sidecar are each their runtime's
ns_start catatonit -P
ns_exec "${PG_CMD[@]}" >"$TMP/pg2.log" 2>&1 </dev/null &
track_first "$!"
pg_wait
pg_shm_at_exit	# a kill -9 leaves it behind
first=${#WHAT[@]}
start sidecar
running "$first"
PM=$(ns_exec pgrep -x -P 0 postgres)
[ -n "$PM" ] || fail "no postmaster with PPID 0 in the pod"
# a recording being written is not cut off: postmortem names its writer
run_host postmortem "${OUTS[first]}" --json
expect_jq '.findings[] | select(.id == "DBM707") | .severity' info
expect_jq '.findings[] | select(.id == "DBM707") | .message | test("PID '"$(pgrep -P "${BGS[first]}")"' has it open for writing")' true

# 3. node mode from the node, while the pod runs
node=${#WHAT[@]}
start node
running "$node"
for ((i = node; i < ${#WHAT[@]}; i++)); do
	kill -TERM "${BGS[i]}"
	set +e
	wait "${BGS[i]}"
	RC=$?
	set -e
	[ "$RC" -le 2 ] || fail "${WHAT[i]}: ended with $RC: $(cat "$TMP/out/err.$i")"
done

# the database container ends (its processes killed, as a runtime does);
# every sidecar sees it go and goes on
# (a child may exit on its own once the postmaster is gone, before kill
# reaches it: "No such process" is no failure)
# shellcheck disable=SC2046
ns_exec kill -KILL $(ns_exec pgrep -x postgres) 2>/dev/null || true
wait_until sh -c "! nsenter -t $NS_PID -p -m pgrep -x postgres" || fail "PostgreSQL survived kill -9"
for ((i = first; i < node; i++)); do
	WAIT_SECONDS=10 wait_until sh -c "jq -e -s '[.[] | select(.k == \"delta\") | .gone[]? |
		select(.[0] == $PM)] | length > 0' '${OUTS[i]}'" ||
		fail "${WHAT[i]}: the postmaster's end is not in the recording"
done
[ "$(ns_exec pgrep -c -x dbpod)" = $((node - first)) ] || fail "a sidecar died with the database"
for ((i = first; i < node; i++)); do
	kill -TERM "$(pgrep -P "${BGS[i]}")"
	set +e
	wait "${BGS[i]}"
	RC=$?
	set -e
	[ "$RC" = 0 ] || fail "${WHAT[i]}: SIGTERM ended it with $RC: $(cat "$TMP/out/err.$i")"
	[ "$(tail -n 1 "${OUTS[i]}" | jq -r .k)" = end ] || fail "${WHAT[i]}: no end line"
done
echo "ok: ${#WHAT[@]} recipes run where no database server can reap them; the sidecars outlive it"
