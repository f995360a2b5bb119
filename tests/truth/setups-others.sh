# The MariaDB and Redis setups of the stop-truth table.
# shellcheck shell=bash

start_mariadb_pid1() { ns_start bash -c "exec $(mariadb_cmd)"; }
start_redis_pid1()   { ns_start bash -c "exec $(redis_cmd)"; }
start_redis_bash()   { ns_start bash -c "$(redis_cmd); true"; }
start_redis_tini()   { ns_start tini -- bash -c "exec $(redis_cmd)"; }

truth_others() {
	need_cmd redis-server tini
	mariadb_template
	truth_header
	truth_row mariadb-pid1     TERM mariadb start_mariadb_pid1
	truth_row mariadb-pid1     INT  mariadb start_mariadb_pid1
	truth_row redis-pid1       TERM redis start_redis_pid1
	truth_row redis-pid1       INT  redis start_redis_pid1
	truth_row redis-bash       TERM redis start_redis_bash
	truth_row redis-bash       INT  redis start_redis_bash
	truth_row redis-tini       TERM redis start_redis_tini
}
