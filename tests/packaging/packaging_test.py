#!/usr/bin/python3
"""The packaging suite (ctest -L packaging): one check per ctest test.

    packaging_test.py CHECK --source-dir SRC --build-dir BUILD --version VERSION

CHECK:
  install         cmake --install into a temporary DESTDIR: the expected files are there,
                  desktop-file-validate and appstreamcli validate --explain report nothing (no
                  error, warning or info), icons have their sizes, the metainfo's newest release
                  is the project's version
  manpages        man -l renders both installed pages without a warning; check_manpage.py: the
                  pages document every command and option --help lists (and it does catch a
                  missing one)
  bash-completion the installed completion completes commands, options, profile names
  flatpak         the Flatpak manifest parses and has what the issue asks for
  deb             scripts/package builds the .deb from BUILD; lintian reports no error or
                  warning; dpkg -i into a private mount namespace (overlays on /usr, /etc, /var;
                  nothing stays on the host), then the installed programs start from /usr/bin in
                  English and German (relaydeck under Xvfb), the desktop entry, its icon and
                  both man pages are found
Exit 77 (skipped) when a tool the check needs is missing; scripts/test installs them all.
"""
import argparse
import configparser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

APP_ID = "org.relaydeck.Relaydeck"
SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
PNG_SIZES = [16, 22, 24, 32, 48, 64, 128, 256]


class Failure(Exception):
    pass


def need(*tools):
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        print(f"SKIP: not installed: {' '.join(missing)} (scripts/test installs them)")
        sys.exit(SKIP)


def run(command, check=True, **kwargs):
    print("$ " + " ".join(command), flush=True)
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 300)
    result = subprocess.run(command, check=False, **kwargs)
    if check and result.returncode != 0:
        raise Failure(f"{command[0]} exited with {result.returncode}:\n{result.stdout}"
                      f"{result.stderr}")
    return result


def expect(condition, message):
    if not condition:
        raise Failure(message)


def english():
    return dict(os.environ, LANGUAGE="", LC_ALL="C.UTF-8", LANG="C.UTF-8")


def german():
    environment = dict(os.environ, LANGUAGE="de", LANG="de_DE.UTF-8")
    environment.pop("LC_ALL", None)
    environment.pop("LC_MESSAGES", None)
    return environment


def install_tree(args, destdir):
    run(["cmake", "--install", args.build_dir, "--prefix", "/usr"],
        env=dict(os.environ, DESTDIR=destdir))
    return os.path.join(destdir, "usr")


def expected_files():
    files = ["bin/relaydeck", "bin/relaydeck-cli",
             f"share/applications/{APP_ID}.desktop",
             f"share/metainfo/{APP_ID}.metainfo.xml",
             f"share/icons/hicolor/scalable/apps/{APP_ID}.svg",
             "share/man/man1/relaydeck.1.gz", "share/man/man1/relaydeck-cli.1.gz",
             "share/bash-completion/completions/relaydeck-cli",
             "share/doc/relaydeck/copyright", "share/doc/relaydeck/changelog.Debian.gz"]
    files += [f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png" for size in PNG_SIZES]
    return files


def png_size(path):
    with open(path, "rb") as png:
        header = png.read(24)
    expect(header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    return struct.unpack(">II", header[16:24])


def read_desktop_entry(path):
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def find_theme_icon(name, data_dirs):
    """The icon theme spec's lookup in hicolor: the directories index.theme lists."""
    index = "/usr/share/icons/hicolor/index.theme"  # from hicolor-icon-theme
    expect(os.path.exists(index), f"{index} is missing (package hicolor-icon-theme)")
    parser = configparser.RawConfigParser(interpolation=None, strict=False)
    parser.read(index, encoding="utf-8")
    directories = parser["Icon Theme"]["Directories"].split(",")
    found = []
    for data_dir in data_dirs:
        theme = os.path.join(data_dir, "icons", "hicolor")
        for directory in directories:
            for extension in ("png", "svg"):
                candidate = os.path.join(theme, directory.strip(), f"{name}.{extension}")
                if os.path.exists(candidate):
                    found.append(candidate)
    return found


# --- install ---------------------------------------------------------------------------------

def check_install(args):
    need("desktop-file-validate", "appstreamcli")
    with tempfile.TemporaryDirectory() as destdir:
        prefix = install_tree(args, destdir)
        for path in expected_files():
            expect(os.path.isfile(os.path.join(prefix, path)), f"not installed: /usr/{path}")
        for binary in ("relaydeck", "relaydeck-cli"):
            expect(os.access(os.path.join(prefix, "bin", binary), os.X_OK),
                   f"/usr/bin/{binary} is not executable")

        desktop = os.path.join(prefix, "share/applications", f"{APP_ID}.desktop")
        result = run(["desktop-file-validate", desktop], check=False)
        expect(result.returncode == 0 and not (result.stdout + result.stderr).strip(),
               f"desktop-file-validate reports:\n{result.stdout}{result.stderr}")
        print("desktop-file-validate: no findings")
        entry = read_desktop_entry(desktop)
        for key in ("Name", "GenericName", "Comment", "Keywords"):
            expect(key in entry and f"{key}[de]" in entry, f"the desktop entry lacks {key} "
                                                            f"or {key}[de]")
        expect(entry["Categories"] == "Network;Email;Qt;", "Categories is not Network;Email;Qt;")
        expect(entry["Icon"] == APP_ID, f"Icon={entry['Icon']}, not {APP_ID}")
        expect(entry["StartupWMClass"] == "relaydeck", "StartupWMClass is not relaydeck")
        expect(entry.get("X-GNOME-SingleWindow") == "true", "no single-window hint")
        icons = find_theme_icon(entry["Icon"], [os.path.join(prefix, "share")])
        expect(any(icon.endswith(".svg") for icon in icons), "no scalable icon for Icon=")

        metainfo = os.path.join(prefix, "share/metainfo", f"{APP_ID}.metainfo.xml")
        result = run(["appstreamcli", "validate", "--explain", "--no-net", metainfo],
                     check=False)
        print(result.stdout + result.stderr)
        findings = re.findall(r"^([EWI]): ", result.stdout, re.MULTILINE)
        expect(result.returncode == 0 and not findings,
               "appstreamcli validate reports errors, warnings or infos (see above)")
        component = ElementTree.parse(metainfo).getroot()
        expect(component.findtext("id") == APP_ID, "the metainfo id is not the app id")
        expect(component.findtext("launchable") == f"{APP_ID}.desktop",
               "the metainfo's launchable is not the desktop entry")
        releases = component.findall("releases/release")
        expect(releases and releases[0].get("version") == args.version,
               f"the newest <release> in {APP_ID}.metainfo.xml is not the project's version "
               f"{args.version}: add a <release> for it")
        binaries = {element.text for element in component.findall("provides/binary")}
        expect(binaries == {"relaydeck", "relaydeck-cli"}, f"provides: {binaries}")
        for element in ("summary", "description", "developer_name", "content_rating",
                        "screenshots/screenshot/image", "url"):
            expect(component.find(element) is not None, f"the metainfo has no <{element}>")

        # The screenshots (taken by the ui-smoke test) are published from packaging/screenshots/.
        for image in component.findall("screenshots/screenshot/image"):
            shot = os.path.join(args.source_dir, "packaging", "screenshots",
                                os.path.basename(image.text))
            expect(os.path.isfile(shot) and png_size(shot) == (1280, 800),
                   f"{image.text}: no 1280×800 {shot} (copy it from the ui-smoke artifacts)")

        for size in PNG_SIZES:
            path = os.path.join(prefix, f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png")
            expect(png_size(path) == (size, size), f"{path} is {png_size(path)}, not {size}²")
        svg = ElementTree.parse(os.path.join(prefix, "share/icons/hicolor/scalable/apps",
                                             f"{APP_ID}.svg")).getroot()
        expect(svg.tag.endswith("svg"), "the scalable icon is not an SVG")
    print("install: every file in place and valid")


# --- manpages --------------------------------------------------------------------------------

def check_manpages(args):
    need("man")
    sys.path.insert(0, HERE)
    import check_manpage  # noqa: E402 (next to this script)

    with tempfile.TemporaryDirectory() as destdir:
        prefix = install_tree(args, destdir)
        for page, needed in (("relaydeck.1.gz", "relaydeck - manage and test SMTP"),
                             ("relaydeck-cli.1.gz", "relaydeck-cli - manage and test SMTP")):
            path = os.path.join(prefix, "share/man/man1", page)
            result = run(["man", "--warnings", "-l", path], check=False,
                         env=dict(english(), MANWIDTH="80", MAN_KEEP_FORMATTING=""))
            expect(result.returncode == 0, f"man -l {page} failed:\n{result.stderr}")
            expect(not result.stderr.strip(), f"man -l {page} warns:\n{result.stderr}")
            # Justified text: compare with single spaces.
            expect(needed in " ".join(result.stdout.split()),
                   f"man -l {page} does not render its NAME")
            expect("EXAMPLES" in result.stdout and "EXIT STATUS" in result.stdout,
                   f"{page}: no EXAMPLES or EXIT STATUS")
            print(f"man -l {page}: {len(result.stdout.splitlines())} lines, no warnings")

    cli = os.path.join(args.build_dir, "app", "relaydeck-cli")
    gui = os.path.join(args.build_dir, "app", "relaydeck")
    cli_page = os.path.join(args.build_dir, "packaging", "man", "relaydeck-cli.1")
    gui_page = os.path.join(args.build_dir, "packaging", "man", "relaydeck.1")
    checker = os.path.join(HERE, "check_manpage.py")
    result = run([sys.executable, checker, "cli", cli, cli_page], check=False)
    print(result.stdout + result.stderr)
    expect(result.returncode == 0, "relaydeck-cli.1 does not match relaydeck-cli --help")
    if os.path.exists(gui):
        result = run([sys.executable, checker, "gui", gui, gui_page], check=False)
        print(result.stdout + result.stderr)
        expect(result.returncode == 0, "relaydeck.1 does not match relaydeck --help")

    # The checker must catch what it is for: drop one option item and one command block.
    help_text = check_manpage.run_help(cli, "--help")
    command_help = {command: check_manpage.run_help(cli, "help", command)
                    for command in check_manpage.help_commands(help_text)}
    with open(cli_page, encoding="utf-8") as page:
        text = page.read()
    without_option = re.sub(r"\.TP\n\.B \\-\\-transcript\n", "", text)
    without_command = re.sub(r"\.SS import\n.*?(?=\.SH )", "", text, flags=re.DOTALL)
    expect(without_option != text and without_command != text, "mutations did not apply")
    problems = check_manpage.check_cli(help_text, command_help, without_option)
    expect(any("--transcript" in problem for problem in problems),
           f"the checker missed an undocumented --transcript: {problems}")
    problems = check_manpage.check_cli(help_text, command_help, without_command)
    expect(any("'import'" in problem for problem in problems),
           f"the checker missed an undocumented command: {problems}")
    with_new_command = help_text.replace("Commands:\n", "Commands:\n  frobnicate X\n      F.\n")
    problems = check_manpage.check_cli(with_new_command,
                                       dict(command_help, frobnicate="Options:\n  --wide  W\n"),
                                       text)
    expect(any("'frobnicate'" in problem for problem in problems),
           f"the checker missed a new command: {problems}")
    print("check_manpage.py catches a missing option, a missing and a new command")


# --- bash-completion -------------------------------------------------------------------------

def check_bash_completion(args):
    bash_completion = "/usr/share/bash-completion/bash_completion"
    if not os.path.exists(bash_completion):
        print("SKIP: bash-completion is not installed (scripts/test installs it)")
        sys.exit(SKIP)
    cli_dir = os.path.join(os.path.abspath(args.build_dir), "app")
    with tempfile.TemporaryDirectory() as work:
        prefix = install_tree(args, os.path.join(work, "root"))
        script = os.path.join(prefix, "share/bash-completion/completions/relaydeck-cli")
        config = os.path.join(work, "config")
        cli = os.path.join(cli_dir, "relaydeck-cli")
        for name in ("office", "my relay"):
            run([cli, "--config-dir", config, "add", name, "--host", "mail.example.org",
                 "--auth", "none"], env=english())

        def complete(*words):
            """COMPREPLY for the command line WORDS (the last one is being completed)."""
            line = " ".join(words)
            driver = (f"source {bash_completion}\nsource {script}\n"
                      "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); "
                      f"COMP_LINE={json.dumps(line)}; COMP_POINT=${{#COMP_LINE}}\n"
                      "_relaydeck_cli\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
            result = run(["bash", "-c", driver, "bash", *words],
                         env=dict(english(), PATH=cli_dir + os.pathsep + os.environ["PATH"],
                                  RELAYDECK_CONFIG_DIR=""))
            return [line for line in result.stdout.splitlines() if line]

        commands = complete("relaydeck-cli", "")
        expect({"list", "add", "test", "export", "import", "help"} <= set(commands),
               f"commands: {commands}")
        expect(complete("relaydeck-cli", "te") == ["test"], "'te' does not complete to test")
        options = complete("relaydeck-cli", "test", "--")
        expect({"--transcript", "--send-to", "--host", "--all", "--json"} <= set(options),
               f"test options: {options}")
        expect(set(complete("relaydeck-cli", "--config-dir", config, "show", "")) ==
               {"office", "my\\ relay"}, "profile names are not offered (quoted)")
        expect(complete("relaydeck-cli", "--config-dir", config, "test", "my\\ r") ==
               ["my\\ relay"], "a quoted partial name does not complete")
        expect(complete("relaydeck-cli", "add", "x", "--preset", "offi") == ["office365"],
               "preset ids do not complete")
        expect(complete("relaydeck-cli", "test", "--security", "") == ["none", "starttls", "tls", "auto"],
               "--security values do not complete")
    print("bash completion: commands, options, profile names, presets and values")


# --- flatpak ---------------------------------------------------------------------------------

def check_flatpak(args):
    path = os.path.join(args.source_dir, "packaging", "flatpak", f"{APP_ID}.json")
    with open(path, encoding="utf-8") as manifest_file:
        manifest = json.load(manifest_file)
    expect(manifest.get("id") == APP_ID, f"id is not {APP_ID}")
    expect(manifest.get("runtime") == "org.kde.Platform", "runtime is not org.kde.Platform")
    expect(manifest.get("sdk") == "org.kde.Sdk", "sdk is not org.kde.Sdk")
    expect(re.fullmatch(r"6\.\d+", str(manifest.get("runtime-version", ""))),
           "runtime-version is not a KDE 6.x runtime")
    expect(manifest.get("command") == "relaydeck", "command is not relaydeck")
    finish_args = manifest.get("finish-args", [])
    for arg in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
                "--talk-name=org.freedesktop.secrets"):
        expect(arg in finish_args, f"finish-args lacks {arg}")
    expect(not any(arg.startswith("--filesystem=home") or arg == "--filesystem=host"
                   for arg in finish_args), "finish-args gives away the home folder")
    modules = manifest.get("modules", [])
    names = [module.get("name") for module in modules]
    expect(names[-1:] == ["relaydeck"], "the last module is not relaydeck")
    expect("qtkeychain" in names, "QtKeychain is not built as a module")
    for module in modules:
        expect(module.get("buildsystem") in ("cmake", "cmake-ninja"),
               f"module {module.get('name')} does not build with CMake")
        expect(module.get("sources"), f"module {module.get('name')} has no sources")
        for source in module["sources"]:
            if source.get("type") == "git":
                expect(re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")),
                       f"{module['name']}: a git source needs a pinned commit")
            elif source.get("type") in ("archive", "file"):
                expect(re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")),
                       f"{module['name']}: an archive needs its sha256")
            else:
                expect(source.get("type") == "dir", f"{module['name']}: unknown source type")
    keychain = modules[names.index("qtkeychain")]
    expect(any("BUILD_WITH_QT6=ON" in option for option in keychain.get("config-opts", [])),
           "QtKeychain is not built for Qt 6")
    relaydeck = modules[-1]
    expect("-DRELAYDECK_BUILD_TESTS=OFF" in relaydeck.get("config-opts", []),
           "the Flatpak build would build the tests")
    source_dir = relaydeck["sources"][0]
    expect(source_dir.get("type") == "dir" and os.path.isfile(os.path.join(
        os.path.dirname(path), source_dir["path"], "CMakeLists.txt")),
        "relaydeck's dir source does not point at the project")
    print(f"{os.path.basename(path)}: parses, and has the runtime, permissions and modules")


# --- deb -------------------------------------------------------------------------------------

def check_deb(args):
    need("cpack", "dpkg-deb", "dpkg-shlibdeps", "lintian", "file", "man", "strings", "xvfb-run",
         "xwininfo", "xprop", "desktop-file-validate")
    work = tempfile.mkdtemp(prefix="relaydeck-deb.")
    try:
        result = run([os.path.join(args.source_dir, "scripts", "package"), "--build-dir",
                      args.build_dir, "--no-build", "--output", work])
        deb = result.stdout.strip().splitlines()[-1]
        expect(os.path.basename(deb).startswith(f"relaydeck_{args.version}-1_"),
               f"{deb}: not the project's version {args.version}")
        control = run(["dpkg-deb", "--field", deb]).stdout
        print(control)
        for field in ("Section: mail", "Priority: optional", "Homepage: ", "Maintainer: ",
                      "libqt6core6", "libqt6widgets6", "libqt6keychain1", "libc6"):
            expect(field in control, f"the control file lacks {field!r}")

        lintian = run(["lintian", "--info", "--display-info", deb], check=False,
                      timeout=600)
        print(lintian.stdout + lintian.stderr)
        tags = re.findall(r"^([EW]): .*$", lintian.stdout, re.MULTILINE)
        expect(lintian.returncode == 0 and not tags, "lintian reports errors or warnings")
        print("lintian: no error, no warning")

        if try_namespace(deb, work):
            return
        install_on_host(deb, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def try_namespace(deb, work):
    """True when the install check ran in a private mount namespace (its result raises)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    before = host_state()
    probe = run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                 f"mount -t tmpfs tmpfs {work} && mkdir {work}/u {work}/w && "
                 f"mount -t overlay overlay -o lowerdir=/usr,upperdir={work}/u,workdir={work}/w "
                 "/usr"], check=False)
    if probe.returncode != 0:
        print("No private mount namespace with overlayfs here: installing on the host")
        return False
    result = run(["unshare", "--mount", "--propagation", "private", sys.executable,
                  os.path.abspath(__file__), "deb-inside", deb, "--work", work,
                  "--version", ARGS.version], check=False, timeout=600)
    print(result.stdout + result.stderr)
    expect(result.returncode == 0, "the installed package does not work (see above)")
    expect(host_state() == before, "the install in the namespace changed the host")
    return True


def host_state():
    """What an install would change on the host: dpkg's record, the files."""
    status = run(["dpkg-query", "-W", "-f=${Status}", "relaydeck"], check=False).stdout
    return status, [os.path.exists("/usr/" + path) for path in expected_files()]


def install_on_host(deb, work):
    """dpkg -i, the checks, dpkg --purge: only when relaydeck is not installed already."""
    if os.geteuid() != 0:
        print("SKIP: installing the .deb needs root (or a private mount namespace)")
        sys.exit(SKIP)
    if run(["dpkg-query", "-W", "-f=${Status}", "relaydeck"], check=False).stdout.endswith(
            "installed"):
        print("SKIP: relaydeck is installed on this machine already; not touching it")
        sys.exit(SKIP)
    try:
        inside_checks(deb, work)
    finally:
        run(["dpkg", "--purge", "relaydeck"], check=False)


def deb_inside(deb, work):
    """Runs in the private mount namespace: overlays, then the install checks."""
    os.makedirs(work + "/overlay")
    run(["mount", "-t", "tmpfs", "tmpfs", work + "/overlay"])
    for directory in ("/usr", "/etc", "/var"):
        upper = f"{work}/overlay{directory}/upper"
        lower_work = f"{work}/overlay{directory}/work"
        os.makedirs(upper)
        os.makedirs(lower_work)
        run(["mount", "-t", "overlay", "overlay", "-o",
             f"lowerdir={directory},upperdir={upper},workdir={lower_work}", directory])
    inside_checks(deb, work)


def inside_checks(deb, work):
    # The package's man pages and docs even where dpkg excludes them (Docker images).
    run(["dpkg", "--path-include=/usr/share/man/*", "--path-include=/usr/share/doc/relaydeck/*",
         "-i", deb], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    status = run(["dpkg-query", "-W", "-f=${Status} ${Version}", "relaydeck"]).stdout
    expect(status == f"install ok installed {ARGS.version}-1", f"dpkg says: {status}")
    listed = set(run(["dpkg", "-L", "relaydeck"]).stdout.split())
    for path in expected_files():
        expect(f"/usr/{path}" in listed, f"the package does not install /usr/{path}")

    # relaydeck-cli from its installed path, in English and German.
    path_env = {"PATH": "/usr/bin:/bin"}
    cli = shutil.which("relaydeck-cli", path="/usr/bin:/bin")
    expect(cli == "/usr/bin/relaydeck-cli", f"relaydeck-cli is found at {cli}")
    version = run([cli, "--version"], env=dict(english(), **path_env)).stdout.strip()
    expect(version == f"relaydeck-cli {ARGS.version}", f"--version prints {version!r}")
    english_help = run([cli, "--help"], env=dict(english(), **path_env)).stdout
    german_help = run([cli, "--help"], env=dict(german(), **path_env)).stdout
    expect("Commands:" in english_help, "relaydeck-cli --help is not English")
    expect("Befehle:" in german_help, "relaydeck-cli --help is not German under LANGUAGE=de")
    config = os.path.join(work, "config")
    run([cli, "--config-dir", config, "add", "relay", "--host", "mail.example.org",
         "--auth", "none"], env=english())
    listing = run([cli, "--config-dir", config, "list"], env=german()).stdout
    expect("relay" in listing and "mail.example.org" in listing, f"list: {listing}")
    print(f"{cli} --version: {version}; English and German help")

    # man finds the installed pages by name.
    for page in ("relaydeck", "relaydeck-cli"):
        result = run(["man", "--warnings", page], env=dict(english(), MANWIDTH="80"),
                     check=False)
        expect(result.returncode == 0 and not result.stderr.strip() and
               f"{page} - manage and test SMTP" in " ".join(result.stdout.split()),
               f"man {page}: {result.stderr}")
    print("man relaydeck, man relaydeck-cli: found and rendered")

    # The menu entry: found on the data dirs, its Exec and Icon resolve to installed files.
    desktop = f"/usr/share/applications/{APP_ID}.desktop"
    expect(os.path.isfile(desktop), f"{desktop} is missing")
    result = run(["desktop-file-validate", desktop], check=False)
    expect(result.returncode == 0 and not result.stdout.strip(), result.stdout)
    entry = read_desktop_entry(desktop)
    exec_path = shutil.which(entry["Exec"].split()[0], path="/usr/local/bin:/usr/bin:/bin")
    expect(exec_path == "/usr/bin/relaydeck", f"Exec= resolves to {exec_path}")
    icons = find_theme_icon(entry["Icon"], ["/usr/local/share", "/usr/share"])
    expect(f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg" in icons and
           f"/usr/share/icons/hicolor/48x48/apps/{APP_ID}.png" in icons,
           f"the icon {entry['Icon']} is not found in hicolor: {icons}")
    print(f"desktop entry {desktop}: Exec {exec_path}, icon found ({len(icons)} sizes)")

    # The desktop app from /usr/bin under Xvfb, in English and German.
    for language, environment, expected_help in (
            ("en", english(), "manage and test SMTP connections"),
            ("de", german(), "SMTP-Verbindungen verwalten und testen")):
        start_gui(language, environment, expected_help, entry, work)


def start_gui(language, environment, expected_help, entry, work):
    config = os.path.join(work, f"gui-{language}")
    os.makedirs(config, exist_ok=True)
    inside = os.path.join(work, f"gui-{language}.sh")
    with open(inside, "w", encoding="utf-8") as script:
        script.write(GUI_SCRIPT)
    environment = dict(environment, PATH="/usr/bin:/bin", QT_QPA_PLATFORM="xcb",
                       HOME=work)
    result = run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "bash", inside, config],
                 env=environment, check=False, timeout=120)
    print(result.stdout + result.stderr)
    expect(result.returncode == 0, f"relaydeck did not start in {language} (see above)")
    expect(expected_help in result.stdout, f"relaydeck --help is not in {language}")
    wm_class = re.search(r'WM_CLASS\(STRING\) = "([^"]*)", "([^"]*)"', result.stdout)
    expect(wm_class and wm_class.group(2) == entry["StartupWMClass"],
           "the window's WM_CLASS does not match the desktop entry's StartupWMClass")
    # X11 matches the window to its launcher by WM_CLASS (above); Qt's xcb plugin does not
    # publish the desktop file name (Wayland's app id), so look for it in the binary.
    names = run(["strings", "-e", "l", "/usr/bin/relaydeck"]).stdout.split()
    expect(APP_ID in names, "the installed relaydeck does not set its desktop file name")
    print(f"relaydeck ({language}) put up its window, matched to {APP_ID}.desktop")


# Inside Xvfb: --help, then the window; prints xprop of the main window.
GUI_SCRIPT = r"""
set -euo pipefail
config=$1
command -v relaydeck
relaydeck --help
relaydeck --config-dir "$config" >"$config/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
    kill -0 "$app" 2>/dev/null || { echo "relaydeck exited early:"; cat "$config/app.log"; exit 1; }
    for window in $(xwininfo -root -tree | grep -F '"relaydeck")' | awk '{print $1}'); do
        info=$(xwininfo -id "$window")
        width=$(awk '/Width:/{print $2}' <<<"$info")
        if grep -q "IsViewable" <<<"$info" && [ "${width:-0}" -gt 200 ]; then
            xprop -id "$window" WM_CLASS WM_NAME
            exit 0
        fi
    done
    sleep 0.2
done
echo "no relaydeck window appeared"; cat "$config/app.log"; exit 1
"""


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=["install", "manpages", "bash-completion", "flatpak",
                                          "deb", "deb-inside"])
    parser.add_argument("deb", nargs="?")
    parser.add_argument("--source-dir")
    parser.add_argument("--build-dir")
    parser.add_argument("--version", required=True)
    parser.add_argument("--work")
    ARGS = parser.parse_args()
    checks = {"install": check_install, "manpages": check_manpages,
              "bash-completion": check_bash_completion, "flatpak": check_flatpak,
              "deb": check_deb}
    try:
        if ARGS.check == "deb-inside":
            deb_inside(ARGS.deb, ARGS.work)
        else:
            checks[ARGS.check](ARGS)
    except Failure as failure:
        print(f"FAIL: {failure}")
        return 1
    return 0


ARGS = None

if __name__ == "__main__":
    sys.exit(main())
