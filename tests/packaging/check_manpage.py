#!/usr/bin/python3
"""Checks that a man page documents every command and option the program's help lists.

    check_manpage.py cli RELAYDECK_CLI MAN_PAGE     relaydeck-cli: --help and 'help COMMAND'
    check_manpage.py gui RELAYDECK MAN_PAGE         relaydeck: --help

Walks what the help prints (in English), so new commands and options are checked without
changes here. The man page's layout (see the comment at the top of relaydeck-cli.1.in):

    .SH OPTIONS              the global options (--config-dir, --help, --version, ...)
    .SH COMMANDS
    .SS NAME                 one block per command, a .TP item per option of its own
    .SH "CONNECTION OPTIONS" the CONN options, for commands whose synopsis shows [CONN]

An option counts as documented when it is in the tag line of a .TP item (the line after .TP).
It also reports documentation of commands and options the help no longer lists. Exit status 1
with one line per problem, saying where to add what.
"""
import os
import re
import subprocess
import sys

GENERIC_OPTIONS = {"-h", "--help", "--help-all", "--config-dir"}
REQUIRED_SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT",
                     "FILES", "EXAMPLES", "SEE ALSO"]
OPTION_RE = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")


def run_help(program, *arguments):
    environment = dict(os.environ, LANGUAGE="", LC_ALL="C.UTF-8", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([program, *arguments], capture_output=True, text=True,
                            env=environment, timeout=60, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{program} {' '.join(arguments)} exited with {result.returncode}:\n"
                         f"{result.stderr}")
    return result.stdout


def help_options(text):
    """The options of a QCommandLineParser help text ("  -o, --output <FILE>  ...")."""
    options = set()
    for line in text.splitlines():
        match = re.match(r"^  (-[-\w]+(?:, -[-\w]+)*)(?:\s|$)", line)
        if match:
            options.update(name.strip() for name in match.group(1).split(","))
    return options


def help_commands(text):
    """{command: synopsis} from the "Commands:" section of relaydeck-cli --help."""
    commands = {}
    lines = text.splitlines()
    if "Commands:" not in lines:
        raise SystemExit("relaydeck-cli --help has no 'Commands:' section")
    for line in lines[lines.index("Commands:") + 1:]:
        if not line.strip():
            break
        match = re.match(r"^  ([a-z][\w-]*)(?: (.*))?$", line)
        if match:
            commands[match.group(1)] = match.group(2) or ""
    return commands


def plain(roff):
    """A roff line without macro name, font escapes and quotes, '\\-' as '-'."""
    text = re.sub(r"^\.\w+\s*", "", roff)
    text = text.replace("\\-", "-").replace("\\e", "\\")
    text = re.sub(r"\\f[BIRP]|\\f\(\w\w|\\\(\w\w|\\&", "", text)
    return text.replace('"', "")


class ManPage:
    """Sections, command blocks and the options in the .TP items of each."""

    def __init__(self, text):
        self.sections = []                # .SH names in order
        self.items = {}                   # (section, subsection or None) -> set of options
        section, subsection = None, None
        lines = text.splitlines()
        for index, line in enumerate(lines):
            if line.startswith(".SH"):
                section, subsection = plain(line).strip(), None
                self.sections.append(section)
                self.items.setdefault((section, None), set())
            elif line.startswith(".SS"):
                subsection = plain(line).strip()
                self.items.setdefault((section, subsection), set())
            elif line.startswith(".TP") and index + 1 < len(lines):
                tag = plain(lines[index + 1])
                self.items.setdefault((section, subsection), set()).update(OPTION_RE.findall(tag))

    def options(self, section, subsection=None):
        return self.items.get((section, subsection), set())

    def subsections(self, section):
        return [sub for (sec, sub) in self.items if sec == section and sub is not None]


def check_sections(page, name):
    return [f"{name}: no '.SH {section}' section" for section in REQUIRED_SECTIONS
            if section not in page.sections]


def check_cli(help_text, command_help, page_text, name="relaydeck-cli.1"):
    """Problems, one string each; command_help maps a command to its 'help COMMAND' text."""
    page = ManPage(page_text)
    problems = check_sections(page, name)
    commands = help_commands(help_text)
    for option in sorted({"--config-dir", "--help", "-h", "--version", "-v", "--help-all"}
                         - page.options("OPTIONS")):
        problems.append(f"{name}: the global option {option} has no .TP item under .SH OPTIONS")
    conn_documented = page.options("CONNECTION OPTIONS")
    conn_line = next((line for line in help_text.splitlines() if line.startswith("CONN options:")),
                     "")
    for option in sorted(set(OPTION_RE.findall(conn_line)) - conn_documented):
        problems.append(f"{name}: the CONN option {option} (relaydeck-cli --help) has no .TP "
                        f"item under .SH \"CONNECTION OPTIONS\"")
    conn_accepted = set()
    for command, synopsis in commands.items():
        options = help_options(command_help[command]) - GENERIC_OPTIONS
        takes_conn = "CONN" in synopsis
        own = page.options("COMMANDS", command)
        if command not in page.subsections("COMMANDS"):
            problems.append(f"{name}: the command '{command}' (relaydeck-cli --help) has no "
                            f"'.SS {command}' block under .SH COMMANDS: add one with its "
                            f"synopsis and a .TP item per option")
            continue
        if takes_conn:
            conn_accepted |= options
        for option in sorted(options):
            if option in own or (takes_conn and option in conn_documented):
                continue
            where = (f"the '.SS {command}' block or .SH \"CONNECTION OPTIONS\"" if takes_conn
                     else f"the '.SS {command}' block")
            problems.append(f"{name}: '{command}' takes {option} (relaydeck-cli help {command}), "
                            f"which has no .TP item in {where}")
        for option in sorted(own - options):
            problems.append(f"{name}: the '.SS {command}' block documents {option}, which "
                            f"'relaydeck-cli help {command}' does not list")
    for command in sorted(set(page.subsections("COMMANDS")) - set(commands)):
        problems.append(f"{name}: '.SS {command}' documents a command relaydeck-cli --help does "
                        f"not list")
    for option in sorted(conn_documented - conn_accepted):
        problems.append(f"{name}: .SH \"CONNECTION OPTIONS\" documents {option}, which no "
                        f"command with [CONN] takes")
    return problems


def check_gui(help_text, page_text, name="relaydeck.1"):
    page = ManPage(page_text)
    problems = check_sections(page, name)
    options = help_options(help_text)
    documented = page.options("OPTIONS")
    for option in sorted(options - documented):
        problems.append(f"{name}: relaydeck --help lists {option}, which has no .TP item under "
                        f".SH OPTIONS")
    for option in sorted(documented - options):
        problems.append(f"{name}: .SH OPTIONS documents {option}, which relaydeck --help does "
                        f"not list")
    return problems


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("cli", "gui"):
        raise SystemExit(__doc__)
    kind, program, page_path = sys.argv[1:]
    with open(page_path, encoding="utf-8") as page_file:
        page_text = page_file.read()
    help_text = run_help(program, "--help")
    if kind == "cli":
        command_help = {command: run_help(program, "help", command)
                        for command in help_commands(help_text)}
        problems = check_cli(help_text, command_help, page_text)
        checked = f"{len(command_help)} commands"
    else:
        problems = check_gui(help_text, page_text)
        checked = f"{len(help_options(help_text))} options"
    for problem in problems:
        print(f"FAIL: {problem}")
    if problems:
        return 1
    print(f"{os.path.basename(page_path)} documents everything {os.path.basename(program)} "
          f"--help lists ({checked})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
