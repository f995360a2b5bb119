#!/bin/bash
# .dbpod.yaml as an attacker leaves it: planted by another user in a
# directory everyone can write (it silenced root's lint: CRITICAL became
# "No findings", exit 0), writable by anyone, a FIFO, a directory or a
# symbolic link ("Unknown error 4096"), under a name that holds terminal
# escapes. lint reads only a configuration of its project that is its
# user's or root's, says what it passes over, and names on stderr, escaped,
# what it cannot read.
. "$(dirname "$0")/lib.sh"
need_cmd jq setpriv timeout mkfifo
[ "$(id -u)" = 0 ] || skip "needs root to write a file as another user"
set -e

COMPOSE=$'services:\n  db:\n    image: postgres\n'
SILENCE=$'ignore: [DBI603, DBK701, DBO309]\nfailure-threshold: none\n'
# a directory anyone may write, as /tmp is, with a configuration nobody
# planted at its top
SHARED=$TMP/shared
mkdir -p "$SHARED/work"
chmod 1777 "$SHARED"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c 'printf "%s" "$1" >"$2"' sh "$SILENCE" "$SHARED/.dbpod.yaml"
printf '%s' "$COMPOSE" >"$SHARED/work/compose.yaml"

# lint_in DIR ARGS...: dbpod lint ARGS run in DIR, no .git above it
lint_in() {
	local d=$1
	shift
	set +e
	OUT=$(cd "$d" && timeout 20 "$DBPOD" lint "$@" 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
	[ "$RC" != 124 ] || fail "dbpod lint $* hung"
}
expect_err() {
	printf '%s' "$ERR" | grep -qF -- "$1" || fail "stderr lacks '$1':
$ERR"
}

# 1. outside a repository, a directory above is not searched
lint_in "$SHARED/work" compose.yaml
expect_judged
expect_out " DBI603 "
[ -z "$ERR" ] || fail "a configuration outside the project was looked at: $ERR"
note "outside a repository: only the current directory's .dbpod.yaml counts"

# 2. in the directory itself, another user's configuration is passed over
cp "$SHARED/work/compose.yaml" "$SHARED/"
lint_in "$SHARED" compose.yaml
expect_judged
expect_out " DBI603 "
expect_err "not reading the configuration '$SHARED/.dbpod.yaml': it is owned by uid 65534 (nobody), neither you nor root"
# nor is one of root's that anyone may write
rm -f "$SHARED/.dbpod.yaml"
printf '%s' "$SILENCE" >"$SHARED/.dbpod.yaml"
chmod 666 "$SHARED/.dbpod.yaml"
lint_in "$SHARED" compose.yaml
expect_judged
expect_err "not reading the configuration '$SHARED/.dbpod.yaml': anyone may write it (mode 0666)"
# but root's own, and one named with --config, are read
chmod 644 "$SHARED/.dbpod.yaml"
lint_in "$SHARED" compose.yaml
expect_rc 0
chown 65534:65534 "$SHARED/.dbpod.yaml"
lint_in "$SHARED" --config=.dbpod.yaml compose.yaml
expect_rc 0
note "another user's or a world-writable configuration: passed over, and said"

# 3. within a repository, up to its root and no further
mkdir -p "$TMP/repo/.git" "$TMP/repo/a/b"
printf '%s' "$COMPOSE" >"$TMP/repo/a/b/compose.yaml"
printf '%s' "$SILENCE" >"$TMP/repo/.dbpod.yaml"
lint_in "$TMP/repo/a/b" compose.yaml
expect_rc 0
mv "$TMP/repo/.dbpod.yaml" "$TMP/.dbpod.yaml"
lint_in "$TMP/repo/a/b" compose.yaml
expect_judged
rm -f "$TMP/.dbpod.yaml"

# 4. what is not a regular file: named, exit 3, at once, never read
declare -A WHAT=(
	[fifo]='a FIFO (named pipe)' [dir]='a directory'
	[symlink]="a symbolic link to '$TMP/real.yaml'"
	[dangling]="a symbolic link to '$TMP/nowhere.yaml', which does not exist"
)
printf '%s' "$SILENCE" >"$TMP/real.yaml"
for k in fifo dir symlink dangling; do
	C=$TMP/repo/.dbpod.yaml
	rm -rf "$C"
	case $k in
	fifo) mkfifo "$C" ;;
	dir) mkdir "$C" ;;
	symlink) ln -s "$TMP/real.yaml" "$C" ;;
	dangling) ln -s "$TMP/nowhere.yaml" "$C" ;;
	esac
	lint_in "$TMP/repo/a/b" compose.yaml
	expect_rc 3
	expect_err "cannot read the configuration: '$C' is ${WHAT[$k]}, not a regular file"
	lint_in "$TMP/repo" --config="$C" a/b/compose.yaml
	expect_rc 3
	expect_err "is ${WHAT[$k]}, not a regular file"
	printf '%s' "$ERR" | grep -q "Unknown error" && fail "$k: $ERR"
	note "$k as .dbpod.yaml: exit 3, named"
done
rm -rf "$TMP/repo/.dbpod.yaml"

# 5. a name that would retitle the terminal and ring its bell is printed
# escaped
EVIL=$TMP/$'evil\e]0;owned\a\n'
mkdir -p "$EVIL"
printf '%s' "$COMPOSE" >"$EVIL/compose.yaml"
mkfifo "$EVIL/.dbpod.yaml"
lint_in "$EVIL" compose.yaml
expect_rc 3
printf '%s' "$ERR" | grep -q $'\e' && fail "a raw ESC reached stderr"
printf '%s' "$ERR" | grep -q $'\a' && fail "a raw BEL reached stderr"
expect_err 'evil\e]0;owned\a\n/.dbpod.yaml'
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || fail "the name broke the line: $ERR"
note "a name with ESC, BEL and a newline: escaped on stderr"
echo "ok: hostile configuration"
