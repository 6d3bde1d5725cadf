/*
 * cli.h — the `scipix` command's subcommand table.  Each subcommand lives in
 * its own file src/cli/cmd_<name>.c and exposes one entry point; main.c only
 * dispatches.  Exit codes: 0 success, 1 a failure on some input, 2 usage.
 */
#ifndef SP_CLI_H
#define SP_CLI_H

typedef struct sp_cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
} sp_cli_command;

#define SP_EXIT_OK 0
#define SP_EXIT_FAIL 1
#define SP_EXIT_USAGE 2

int sp_cmd_version(int argc, char **argv);
int sp_cmd_ocr(int argc, char **argv);
int sp_cmd_image_info(int argc, char **argv);
int sp_cmd_convert(int argc, char **argv);

#endif
