#!/bin/bash
# The stop-truth table in real containers (podman): the official postgres
# image's replica, --init, wrappers; stopped with `podman stop -t N`.
. "$top_srcdir/tests/truth/podman.sh"
set -e
main
[ "$BAD" = 0 ] || fail "$BAD container stop(s) predicted wrong"
echo "ok: every container stop agreed with its prediction"
