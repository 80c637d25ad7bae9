/*
 * cli.h - the subcommands of the qingling binary (git's builtin/ layout:
 * one file per subcommand, each with a cmd_xxx(argc, argv) entry point)
 * and the small option parser they share.
 */
#ifndef QL_CLI_H
#define QL_CLI_H

#include <stdbool.h>

#include "../store/store.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_generate(int argc, char **argv);

/* One option: "--db VALUE" sets *value; a flag (value NULL) sets *flag. */
struct cli_opt {
	const char *name;
	const char **value;
	bool *flag;
};

/* Parses argv[first..] against opts; positional arguments go into pos
 * (at most npos).  Prints a one-line error and returns -1 on an unknown
 * option, a missing value or too many positionals; returns 1 if --help
 * was given (after printing usage), 0 otherwise. */
int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts, const char **pos,
	      int npos, const char *cmd, const char *usage);
/* Prints "qingling CMD: message" on one line to stderr; returns 1. */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the database and checks it is at this binary's schema version
 * (unless for init).  NULL after printing the error. */
struct db *cli_open_db(const char *cmd, const char *target, bool check_schema);
/* The actor recorded in the audit trail for command-line changes. */
extern const struct actor cli_actor;

#endif
