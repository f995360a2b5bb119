/* lib/lint/dockerfile.c and lib/lint/dockerunit.c: the parser, and the final stage
 * as a lint unit. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lint/dockerfile.h"
#include "lint/dockerunit.h"

static int parse(const char *text, struct dbp_dockerfile *df, char *why)
{
	return dbp_dockerfile_parse(text, strlen(text), df, why, 256);
}

static int read_unit(const char *text, struct dbp_lintfile *lf)
{
	return dbp_dockerfile_read(text, strlen(text), NULL, lf);
}

static void test_continuations_comments_and_escape_directive(void **state)
{
	struct dbp_dockerfile df;
	char why[256];

	(void)state;
	assert_int_equal(parse("# escape=`\nFROM x\nRUN a `\n  # dropped\n\n  b\nCMD [\"c\"]\n", &df, why), 0);
	assert_int_equal(df.escape, '`');
	assert_int_equal(df.n, 3);
	assert_string_equal(df.items[1].keyword, "RUN");
	assert_string_equal(df.items[1].args, "a   b");
	assert_int_equal(df.items[1].line, 3);
	assert_int_equal(df.items[1].end_line, 6);
	assert_int_equal(df.items[2].line, 7);
	assert_string_equal(df.items[2].json[0], "c");
	dbp_dockerfile_free(&df);
	/* a comment first ends the directives: escape stays backslash */
	assert_int_equal(parse("# hello\n# escape=`\nFROM x\nRUN a \\\n b\n", &df, why), 0);
	assert_int_equal(df.escape, '\\');
	assert_string_equal(df.items[1].args, "a  b");
	dbp_dockerfile_free(&df);
}

static void test_heredocs_are_not_instructions(void **state)
{
	struct dbp_dockerfile df;
	char why[256];

	(void)state;
	assert_int_equal(parse("FROM x\nRUN <<EOF\nCMD not this\nEOF\nCOPY <<-\"END\" /a\n\tENTRYPOINT no\n\tEND\nCMD [\"y\"]\n",
			       &df, why), 0);
	assert_int_equal(df.n, 4);
	assert_string_equal(df.items[1].heredocs[0], "CMD not this\n");
	assert_string_equal(df.items[2].heredocs[0], "ENTRYPOINT no\n");
	assert_string_equal(df.items[3].keyword, "CMD");
	assert_int_equal(df.items[3].line, 8);
	dbp_dockerfile_free(&df);
}

static void test_exec_form_json_with_escapes_and_shell_form(void **state)
{
	struct dbp_dockerfile df;
	char why[256];

	(void)state;
	assert_int_equal(parse("FROM x\nCMD [\"a\\\"b\", \"\\u0041\\n\"]\nENTRYPOINT [\"x\" \"y\"]\nCMD ['a']\n",
			       &df, why), 0);
	assert_string_equal(df.items[1].json[0], "a\"b");
	assert_string_equal(df.items[1].json[1], "A\n");
	assert_null(df.items[2].json);	/* not JSON: Docker runs it in shell form */
	assert_null(df.items[3].json);
	dbp_dockerfile_free(&df);
}

static void test_errors_name_the_line(void **state)
{
	struct dbp_dockerfile df;
	char why[256];

	(void)state;
	assert_int_equal(parse("FROM x\n\nFORM y\n", &df, why), -EINVAL);
	assert_string_equal(why, "line 3: unknown instruction 'FORM'");
	assert_int_equal(parse("RUN x\n", &df, why), -EINVAL);
	assert_int_equal(parse("# only a comment\n", &df, why), -EINVAL);
	assert_int_equal(dbp_dockerfile_parse("FROM x\0", 7, &df, why, sizeof(why)), -EINVAL);
}

static void test_ignore_comments_cover_the_next_instruction(void **state)
{
	struct dbp_dockerfile df;
	char why[256];

	(void)state;
	assert_int_equal(parse("FROM x\n# dbpod ignore=DBI601, dbi603 reason: legacy image\nCMD a \\\n b\n"
			       "# dbpod ignore=DBI604\nSTOPSIGNAL 15\n", &df, why), 0);
	assert_int_equal(df.ignores.n, 2);
	assert_string_equal(df.ignores.items[0].ids, "DBI601,DBI603");
	assert_string_equal(df.ignores.items[0].reason, "legacy image");
	assert_int_equal(df.ignores.items[0].from, 3);
	assert_int_equal(df.ignores.items[0].to, 4);
	assert_string_equal(df.ignores.items[1].reason, "");
	assert_int_equal(df.ignores.items[1].from, 6);
	dbp_dockerfile_free(&df);
}

static void test_final_stage_inherits_and_resolves(void **state)
{
	struct dbp_lintfile lf;

	(void)state;
	assert_int_equal(read_unit("ARG V=16\nFROM postgres:${V} AS base\nENV S=SIGQUIT\n"
				   "FROM base\nSTOPSIGNAL ${S}\nUSER ${U:-postgres}\n", &lf), 0);
	assert_int_equal(lf.units.n, 1);
	assert_string_equal(lf.units.items[0].img.entrypoint[0], "docker-entrypoint.sh");
	assert_string_equal(lf.units.items[0].img.cmd[0], "postgres");
	assert_string_equal(lf.units.items[0].img.stop_signal, "SIGQUIT");
	assert_string_equal(lf.units.items[0].img.user, "postgres");
	assert_int_equal(lf.units.items[0].img.db, DBP_DB_POSTGRES);
	assert_int_equal(lf.units.items[0].img.script_execs, 1);	/* the official entrypoint */
	assert_int_equal(lf.units.items[0].stop_signal_at.line, 5);
	assert_string_equal(lf.units.items[0].img.name, "stage 2 (FROM base)");
	dbp_lintfile_free(&lf);
}

static void test_entrypoint_resets_inherited_cmd_and_shell_form(void **state)
{
	struct dbp_lintfile lf;

	(void)state;
	assert_int_equal(read_unit("FROM postgres:16\nENTRYPOINT [\"tini\", \"--\"]\n", &lf), 0);
	assert_int_equal(lf.units.items[0].cmd_reset, 1);
	assert_null(lf.units.items[0].img.cmd);
	dbp_lintfile_free(&lf);
	/* a CMD in the same stage, before or after, survives */
	assert_int_equal(read_unit("FROM postgres:16\nCMD [\"postgres\"]\nENTRYPOINT [\"tini\", \"--\"]\n", &lf), 0);
	assert_int_equal(lf.units.items[0].cmd_reset, 0);
	assert_string_equal(lf.units.items[0].img.cmd[0], "postgres");
	dbp_lintfile_free(&lf);
	/* shell form: SHELL's words, or /bin/sh -c */
	assert_int_equal(read_unit("FROM debian\nSHELL [\"/bin/bash\", \"-c\"]\nCMD exec postgres\n", &lf), 0);
	assert_string_equal(lf.units.items[0].img.cmd[0], "/bin/bash");
	assert_string_equal(lf.units.items[0].img.cmd[2], "exec postgres");
	dbp_lintfile_free(&lf);
	assert_int_equal(read_unit("FROM debian\nRUN apt-get install -y dumb-init\nENV PG_OOM_ADJUST_VALUE=0\n", &lf), 0);
	assert_int_equal(lf.units.items[0].init_installed, 1);
	assert_int_equal(lf.units.items[0].pg_oom_value, 1);
	assert_int_equal(lf.units.items[0].pg_oom_file, 0);
	assert_int_equal(lf.units.items[0].img.command_unknown, 1);
	dbp_lintfile_free(&lf);
}

/* fuzz/corpus: an ARG list long enough to move while it was read
 * (a use after free), and Docker's order of ENV assignments */
static void test_env_and_arg_references(void **state)
{
	struct dbp_lintfile lf;

	(void)state;
	assert_int_equal(read_unit("FROM x\nARG A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8 I=9 J=10 K=11 M=$Z\nARG L=$A\n"
				   "ENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n"
				   "USER ${def}:${ghi}\nSTOPSIGNAL $L${K:+0}\n", &lf), 0);
	assert_string_equal(lf.units.items[0].img.user, "hello:bye");
	assert_string_equal(lf.units.items[0].img.stop_signal, "10");
	dbp_lintfile_free(&lf);
}

static void test_script_from_a_heredoc_is_read(void **state)
{
	struct dbp_lintfile lf;

	(void)state;
	assert_int_equal(read_unit("FROM debian\nCOPY <<EOF /usr/local/bin/start.sh\n#!/bin/sh\nprep\n"
				   "exec \"$@\"\nEOF\nENTRYPOINT [\"start.sh\"]\nCMD [\"redis-server\"]\n", &lf), 0);
	assert_int_equal(lf.units.items[0].img.script_execs, 1);
	assert_string_equal(lf.units.items[0].init_file, "a heredoc");
	dbp_lintfile_free(&lf);
}

static void test_script_execs(void **state)
{
	(void)state;
	assert_int_equal(dbp_script_execs("#!/bin/sh\nset -e\nexec \"$@\"\n"), 1);
	assert_int_equal(dbp_script_execs("if x; then\n\texec gosu pg \"$0\" \"$@\"\nfi\n"), 1);
	assert_int_equal(dbp_script_execs("exec >/var/log/x 2>&1\n\"$@\"\n"), -1);
	assert_int_equal(dbp_script_execs("# exec \"$@\"\n\"$@\"\n"), -1);
	assert_int_equal(dbp_script_execs("executable=1\n"), -1);
	assert_int_equal(dbp_script_execs(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continuations_comments_and_escape_directive),
		cmocka_unit_test(test_heredocs_are_not_instructions),
		cmocka_unit_test(test_exec_form_json_with_escapes_and_shell_form),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_ignore_comments_cover_the_next_instruction),
		cmocka_unit_test(test_final_stage_inherits_and_resolves),
		cmocka_unit_test(test_entrypoint_resets_inherited_cmd_and_shell_form),
		cmocka_unit_test(test_env_and_arg_references),
		cmocka_unit_test(test_script_from_a_heredoc_is_read),
		cmocka_unit_test(test_script_execs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
