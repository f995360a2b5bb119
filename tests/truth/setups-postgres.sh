# The PostgreSQL setups of the stop-truth table: each start_* makes its
# setup PID 1 (and below) of a new PID namespace; truth_row stops it.
# shellcheck shell=bash

PGU=(setpriv --reuid=postgres --regid=postgres --init-groups)

# the postmaster as the user postgres, exec'd: "setpriv ... postgres ..."
pg_exec() { printf '%q ' "${PGU[@]}"; pg_cmd; }

start_pg_pid1()       { ns_start bash -c "exec $(pg_exec)"; }
start_pg_bash()       { ns_start bash -c "$(pg_exec); true"; }
start_pg_dash()       { ns_start dash -c "$(pg_exec); true"; }
start_pg_trap()       {
	# a wrapper whose trap forwards the stop to the server and waits: dbpod
	# reads the trap from the wrapper and follows it to the server (graceful)
	ns_start bash -c "trap 'kill -INT \$p; wait \$p' TERM INT; $(pg_exec) & p=\$!; wait \$p"
}
start_pg_tini()       { ns_start tini -- bash -c "exec $(pg_exec)"; }
start_pg_tini_bash()  { ns_start tini -- bash -c "$(pg_exec); true"; }
start_pg_tini_g_bash(){ ns_start tini -g -- bash -c "$(pg_exec); true"; }
start_pg_dumb_bash()  { ns_start dumb-init bash -c "$(pg_exec); true"; }
start_pg_dumb()       { ns_start dumb-init bash -c "exec $(pg_exec)"; }
start_pg_catatonit()  { ns_start catatonit -- bash -c "exec $(pg_exec)"; }
start_pg_tini_ign()   {
	# the stop signals inherited as ignored (a wrapper's trap ''), then
	# tini: it blocks them, and a blocked signal is never discarded
	ns_start bash -c "trap '' TERM INT; exec tini -- $(pg_exec)"
}
start_pg_gosu()       { ns_start gosu postgres bash -c "exec $(pg_cmd)"; }
start_pg_su()         { ns_start su postgres -s /bin/bash -c "exec $(pg_cmd)"; }
start_pg_runuser()    { ns_start bash -c "exec runuser -u postgres -- $(pg_cmd)"; }

# supervisord running the postmaster, with the program's stopsignal
sv_conf() {
	local sig=$1
	# the server's log, which the judge reads, in a directory of the run
	mkdir -p "$DATA.svlog"
	cat >"$DATA.sv.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$DATA.sv.log
pidfile=$DATA.sv.pid
childlogdir=$DATA.svlog

[program:postgres]
command=$(pg_cmd)
user=postgres
stopsignal=$sig
stopwaitsecs=30
EOF
}
start_pg_sv_int()     { sv_conf INT; ns_start supervisord -n -c "$DATA.sv.conf"; }
start_pg_sv_term()    { sv_conf TERM; ns_start supervisord -n -c "$DATA.sv.conf"; }

# an orphaned root psql, adopted by the postmaster PID 1
prepare_orphan() { orphan_psql; }

truth_postgres() {
	need_pg
	need_cmd tini dumb-init catatonit gosu supervisord
	pg_template
	truth_header
	truth_row pg-pid1            TERM pg start_pg_pid1
	truth_row pg-pid1            INT  pg start_pg_pid1
	truth_row pg-pid1            QUIT pg start_pg_pid1
	truth_row pg-pid1+orphan     INT  pg start_pg_pid1 prepare_orphan
	truth_row pg-pid1+orphan     TERM pg start_pg_pid1 prepare_orphan
	truth_row bash-no-exec       TERM pg start_pg_bash
	truth_row bash-no-exec       INT  pg start_pg_bash
	truth_row dash-no-exec       TERM pg start_pg_dash
	truth_row dash-no-exec       INT  pg start_pg_dash
	truth_row bash-trap-forward  TERM pg start_pg_trap
	truth_row tini               TERM pg start_pg_tini
	truth_row tini               INT  pg start_pg_tini
	truth_row tini+bash          TERM pg start_pg_tini_bash
	truth_row tini+bash          INT  pg start_pg_tini_bash
	truth_row tini-g+bash        TERM pg start_pg_tini_g_bash
	truth_row tini-g+bash        INT  pg start_pg_tini_g_bash
	truth_row dumb-init+bash     TERM pg start_pg_dumb_bash
	truth_row dumb-init+bash     INT  pg start_pg_dumb_bash
	truth_row dumb-init          TERM pg start_pg_dumb
	truth_row catatonit          INT  pg start_pg_catatonit
	truth_row tini+ignored       TERM pg start_pg_tini_ign
	truth_row gosu               INT  pg start_pg_gosu
	truth_row su                 TERM pg start_pg_su
	truth_row su                 INT  pg start_pg_su
	truth_row runuser            TERM pg start_pg_runuser
	truth_row runuser            INT  pg start_pg_runuser
	truth_row supervisord-INT    TERM pg start_pg_sv_int
	truth_row supervisord-TERM   TERM pg start_pg_sv_term
}
