#!/usr/bin/python3
"""Exim 4 (Debian's exim4-daemon-heavy, run from its unpacked package) on a private, generated
configuration, for Relaydeck's integration tests.

    exim.py --dir DIR --cert PEM --key PEM --user NAME --password-env VAR
            [--host 127.0.0.1] [--exim-root DIR] [--ready-file FILE] [--exit-with-parent]
    exim.py --fetch [--exim-root DIR]

Exim conflicts with Postfix as a Debian package, so it is never installed: --fetch (and a
start that finds no binary) runs `apt-get download exim4-daemon-heavy` and unpacks it with
`dpkg -x` into --exim-root (default $RELAYDECK_EXIM_ROOT or /var/cache/relaydeck-tests/exim4).
The heavy daemon is the one with the `spa` (NTLM) authenticator; its libraries come from
Debian as ordinary packages (scripts/test installs them).

The binary insists on a few fixed things: the user "Debian-exim" (which only the package's
maintainer scripts create) and its own path /usr/sbin/exim4 (it re-executes itself to deliver).
So it runs as root in a private mount namespace (`unshare --mount`) where a copy of
/etc/passwd and /etc/group with that user and the unpacked /usr/sbin are bind-mounted; nothing
outside the namespace changes, /etc included. The configuration (`-C`), spool, log, pid file,
TLS files and maildir all live in DIR.

Two listeners on free loopback ports: "submission" (STARTTLS through GnuTLS) and "submissions"
(implicit TLS). Authenticators: plaintext PLAIN and LOGIN (advertised only after TLS, as in
Debian's default configuration), cram_md5 (CRAM-MD5) and spa (NTLM, NTLMv1 only). Relaying
needs authentication; every accepted message is delivered to the maildir DIR/maildir (new/).
The one user's password is read from the environment variable named by --password-env into a
file readable only by Exim's user, which the configuration reads (never on a command line).

Once both ports answer with a 220 greeting, one JSON line goes to stdout and to --ready-file:
{"submission": PORT, "submissions": PORT, "maildir": DIR}. Exit 77 when Exim cannot run here
(not root, no package). SIGTERM/SIGINT stop Exim and exit 0.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from launcher_common import (ServerLauncher, absolute_server_paths,  # noqa: E402
                             add_handshake_arguments, add_server_arguments, die_with_us,
                             free_port, password_from_environment, stop_process,
                             write_atomically)
from dovecot import read_greeting  # noqa: E402
import launcher_common  # noqa: E402

PACKAGE = "exim4-daemon-heavy"
DEFAULT_ROOT = os.environ.get("RELAYDECK_EXIM_ROOT", "/var/cache/relaydeck-tests/exim4")
EXIM_USER = "Debian-exim"
START_ATTEMPTS = 3
START_SECONDS = 20
UNAVAILABLE = 77


def log(message):
    launcher_common.log("exim.py", message)


def binary(root):
    return os.path.join(root, "usr/sbin/exim4")


def fetch(root):
    """apt-get download + dpkg -x of the heavy daemon into root (idempotent)."""
    if os.access(binary(root), os.X_OK):
        return True
    os.makedirs(root, exist_ok=True)
    with tempfile.TemporaryDirectory() as download:
        os.chmod(download, 0o755)  # apt's _apt user writes the .deb here
        result = subprocess.run(["apt-get", "download", "-q", PACKAGE], cwd=download,
                                stdout=sys.stderr)
        debs = glob.glob(os.path.join(download, f"{PACKAGE}_*.deb"))
        if result.returncode != 0 or not debs:
            log(f"apt-get download {PACKAGE} failed")
            return False
        unpacked = tempfile.mkdtemp(dir=root)
        if subprocess.run(["dpkg", "-x", debs[0], unpacked]).returncode != 0:
            shutil.rmtree(unpacked, ignore_errors=True)
            return False
        for name in ("usr", "etc"):
            target = os.path.join(root, name)
            if os.path.exists(os.path.join(unpacked, name)):
                shutil.rmtree(target, ignore_errors=True)
                os.rename(os.path.join(unpacked, name), target)
        shutil.rmtree(unpacked, ignore_errors=True)
    return os.access(binary(root), os.X_OK)


def free_id(path):
    """A uid/gid that no entry of the passwd/group file at path uses."""
    used = set()
    with open(path) as file:
        for line in file:
            fields = line.split(":")
            if len(fields) > 2 and fields[2].isdigit():
                used.add(int(fields[2]))
    candidate = 64900
    while candidate in used:
        candidate += 1
    return candidate


def write_config(options, directory, uid, ports):
    submission, submissions = ports
    spool, logs, maildir = (os.path.join(directory, name) for name in ("spool", "log", "maildir"))
    user = options.user  # checked: letters, digits and @._+- only
    password = "${readfile{" + os.path.join(directory, "password") + "}}"

    def checks(name, secret_variable):
        return ("${if and{{eq{" + name + "}{" + user + "}}{eq{" + secret_variable + "}{"
                + password + "}}}}")

    secret = "${if eq{$auth1}{" + user + "}{" + password + "}fail}"
    config = f"""# Generated by tests/support/servers/exim.py for one test run.
exim_user = {EXIM_USER}
exim_group = {EXIM_USER}
never_users =
keep_environment =
spool_directory = {spool}
log_file_path = {logs}/%slog
pid_file_path = {directory}/exim.pid
primary_hostname = localhost
qualify_domain = localhost
local_interfaces = <; {options.host}
daemon_smtp_ports = {submission} : {submissions}
tls_on_connect_ports = {submissions}
tls_advertise_hosts = *
tls_certificate = {directory}/cert.pem
tls_privatekey = {directory}/key.pem
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = acl_check_rcpt

begin acl
acl_check_rcpt:
  accept authenticated = *
  deny message = Relaying requires authentication

begin routers
everyone:
  driver = accept
  transport = to_maildir

begin transports
to_maildir:
  driver = appendfile
  directory = {maildir}
  maildir_format
  envelope_to_add
  return_path_add
  user = {EXIM_USER}

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = {checks('$auth2', '$auth3')}
  server_set_id = $auth2
  server_advertise_condition = ${{if def:tls_in_cipher}}
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username:: | Password::
  server_condition = {checks('$auth1', '$auth2')}
  server_set_id = $auth1
  server_advertise_condition = ${{if def:tls_in_cipher}}
cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = {secret}
  server_set_id = $auth1
spa:
  driver = spa
  public_name = NTLM
  server_password = {secret}
  server_set_id = $auth1
"""
    path = os.path.join(directory, "exim.conf")
    write_atomically(path, config)
    return path


class Launcher(ServerLauncher):
    prefix = "exim.py"

    def __init__(self, options, password):
        super().__init__(options, password)
        self.exim = None
        self.directory = options.dir

    def prepare(self):
        """The private files: passwd/group with Debian-exim, TLS files, spool, log, maildir."""
        directory = self.directory
        os.makedirs(directory, exist_ok=True)
        os.chmod(directory, 0o711)
        uid = free_id("/etc/passwd")
        gid = free_id("/etc/group")
        with open("/etc/passwd") as file:
            passwd = file.read()
        with open("/etc/group") as file:
            group = file.read()
        write_atomically(os.path.join(directory, "passwd"),
                         passwd + f"{EXIM_USER}:x:{uid}:{gid}::/nonexistent:/usr/sbin/nologin\n")
        write_atomically(os.path.join(directory, "group"), group + f"{EXIM_USER}:x:{gid}:\n")
        for name in ("spool", "log", "maildir"):
            os.makedirs(os.path.join(directory, name), exist_ok=True)
            os.chown(os.path.join(directory, name), uid, gid)
        for source, name in ((self.options.cert, "cert.pem"), (self.options.key, "key.pem"),
                             (None, "password")):
            path = os.path.join(directory, name)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                if source:
                    with open(source, "rb") as original:
                        file.write(original.read())
                else:
                    file.write(self.password.encode())  # no newline: readfile keeps it
            os.chown(path, uid, gid)
        return uid

    def start_exim(self, uid):
        directory = self.directory
        sbin = os.path.join(self.options.exim_root, "usr/sbin")
        for attempt in range(1, START_ATTEMPTS + 1):
            ports = (free_port(self.options.host), free_port(self.options.host))
            config = write_config(self.options, directory, uid, ports)
            script = (f'mount --bind "{directory}/passwd" /etc/passwd && '
                      f'mount --bind "{directory}/group" /etc/group && '
                      f'mount --bind "{sbin}" /usr/sbin && '
                      f'exec /usr/sbin/exim4 -C "{config}" -bdf')
            self.exim = subprocess.Popen(
                ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                stdout=sys.stderr, stdin=subprocess.DEVNULL, preexec_fn=die_with_us)
            deadline = time.monotonic() + START_SECONDS
            while time.monotonic() < deadline and not self.stopping:
                if self.exim.poll() is not None:
                    break
                if (read_greeting(self.options.host, ports[0], False)
                        and read_greeting(self.options.host, ports[1], True)):
                    return ports
                time.sleep(0.1)
            if self.stopping:
                return None
            log(f"attempt {attempt}: Exim did not come up (exit {self.exim.poll()})")
            self.print_log()
            stop_process(self.exim, 10)
        sys.exit("exim.py: Exim did not start; its log is above")

    def print_log(self):
        for path in glob.glob(os.path.join(self.directory, "log", "*")):
            with open(path, errors="replace") as file:
                sys.stderr.write(file.read())

    def start(self):
        ports = self.start_exim(self.prepare())
        if ports is None:
            return None
        return {"submission": ports[0], "submissions": ports[1],
                "maildir": os.path.join(self.directory, "maildir")}

    def watched(self):
        return [("Exim", self.exim)]

    def stop(self):
        stop_process(self.exim, 10)
        self.print_log()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fetch", action="store_true",
                        help="only download and unpack Exim into --exim-root")
    parser.add_argument("--exim-root", default=DEFAULT_ROOT)
    # Not required: --fetch needs none of them (checked below otherwise).
    add_server_arguments(parser, "private folder for config, spool, log and maildir",
                         required=False)
    add_handshake_arguments(parser)
    options = parser.parse_args()
    options.exim_root = os.path.abspath(options.exim_root)
    if os.geteuid() != 0:
        log("Exim runs in a private mount namespace, which needs root")
        sys.exit(UNAVAILABLE)
    if not fetch(options.exim_root):
        log(f"no Exim under {options.exim_root} and it could not be fetched")
        sys.exit(UNAVAILABLE)
    if options.fetch:
        return
    for name in ("dir", "cert", "key", "user", "password_env"):
        if not getattr(options, name):
            parser.error(f"--{name.replace('_', '-')} is required")
    if not re.fullmatch(r"[A-Za-z0-9@._+-]+", options.user):
        sys.exit("exim.py: the user name may hold letters, digits and @._+- only")
    absolute_server_paths(options)
    password = password_from_environment(options, "exim.py")
    sys.exit(Launcher(options, password).run())


if __name__ == "__main__":
    main()
