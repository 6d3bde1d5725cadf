/*
 * main.c — entry point of the `scipix` program: global help and dispatch
 * to the subcommands listed in sp_cli_commands.  Results go to stdout,
 * diagnostics to stderr.
 */
#include "cli/cli.h"
#include "scipix.h"

#include <stdio.h>
#include <string.h>

static const sp_cli_command sp_cli_commands[] = {
    {"version", "print the version of scipix", sp_cmd_version},
    {"ocr", "recognize formulas in images, print LaTeX or JSON", sp_cmd_ocr},
    {"image-info", "decode images and describe them (no model needed)", sp_cmd_image_info},
    {"convert", "convert LaTeX to MathML, AsciiMath, text, LaTeX or Mathpix JSON", sp_cmd_convert},
};
#define SP_CLI_NCOMMANDS (sizeof sp_cli_commands / sizeof sp_cli_commands[0])

static void sp_cli_usage(FILE *out) {
    fprintf(out,
            "scipix %s — OCR for printed math\n\n"
            "usage: scipix <command> [options] [args]\n"
            "       scipix --help | --version\n\ncommands:\n",
            scipix_version());
    for (size_t i = 0; i < SP_CLI_NCOMMANDS; i++)
        fprintf(out, "  %-12s %s\n", sp_cli_commands[i].name, sp_cli_commands[i].summary);
    fprintf(out, "\nRun `scipix <command> --help` for a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        sp_cli_usage(stderr);
        return SP_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        sp_cli_usage(stdout);
        return SP_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) return sp_cmd_version(1, argv + 1);
    for (size_t i = 0; i < SP_CLI_NCOMMANDS; i++)
        if (!strcmp(argv[1], sp_cli_commands[i].name))
            return sp_cli_commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "scipix: unknown command '%s' (see scipix --help)\n", argv[1]);
    return SP_EXIT_USAGE;
}
