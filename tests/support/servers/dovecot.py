#!/usr/bin/python3
"""Dovecot's SMTP submission server (Debian packages dovecot-core + dovecot-submissiond) run
from a private, generated configuration, for Relaydeck's integration tests.

    dovecot.py --dir DIR --cert PEM --key PEM --user NAME --password-env VAR
               [--host 127.0.0.1] [--relay-port N | --maildir DIR] [--ready-file FILE]
               [--mechanisms "plain login cram-md5 scram-sha-1 scram-sha-256"]
               [--exit-with-parent] [--oauth2-introspection-url URL]
               [--gssapi-keytab KEYTAB --krb5-config FILE]

Everything Dovecot writes (config, base_dir, state, passwd-file) stays in DIR; nothing under
/etc/dovecot or /run/dovecot is read or touched, and the system's own Dovecot (if one runs) is
not disturbed. Two listeners on free loopback ports: "submission" (STARTTLS, 587-style) and
"submissions" (implicit TLS, 465-style). Accepted mail is relayed to an SMTP server: the one on
--relay-port, or else an aiosmtpd (smtp_server.py, plaintext, no AUTH) this script starts and
stops itself, saving every message in --maildir (default DIR/mail).

The one user's password is read from the environment variable named by --password-env and
stored as {PLAIN.b64} in a passwd-file readable only by Dovecot's auth process, so every SASL
mechanism (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1/-256) can check it. Dovecot's log goes to
stderr (passwords are never logged: auth_debug_passwords stays off).

As root, Dovecot runs its processes as it would in production: login processes as "dovenull",
internal ones as "dovecot" (both created by the dovecot-core package), the submission process
as "nobody"; as any other user, everything runs as that user and nothing is chrooted.

Once both ports answer with a 220 greeting, one JSON line goes to stdout and to --ready-file
(written atomically): {"submission": PORT, "submissions": PORT, "relay": PORT, "maildir": DIR}.
SIGTERM/SIGINT stop Dovecot (and the relay) and exit 0.

With --oauth2-introspection-url, the passdb is Dovecot's "oauth2" driver instead: XOAUTH2 and
OAUTHBEARER are the only mechanisms, and every bearer token is checked by POSTing it to that
RFC 7662 introspection endpoint (the URL may carry the resource server's client credentials as
http://id:secret@host/...). The token must be active and its "sub" must be the user name the
client gives. The passwd-file stays the userdb (uid, home); --password-env is then optional.

With --gssapi-keytab, Dovecot also offers GSSAPI (Kerberos V5, RFC 4752) with the service keys
of (a private copy of) that keytab (any principal in it: auth_gssapi_hostname = "$ALL") in the realm the krb5.conf of
--krb5-config describes (given to the auth process as KRB5_CONFIG). The Kerberos principal's
first component is the user name (alice@REALM is the user alice of the passwd-file).
"""

import argparse
import base64
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from launcher_common import (ServerLauncher, absolute_server_paths,  # noqa: E402
                             add_handshake_arguments, add_server_arguments, die_with_us,
                             free_port, stop_process, write_atomically)
import launcher_common  # noqa: E402

PYTHON = "/usr/bin/python3"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
START_ATTEMPTS = 3
START_SECONDS = 20


def log(message):
    launcher_common.log("dovecot.py", message)


def read_greeting(host, port, implicit_tls, timeout=2.0):
    """True when the port answers with a 220 greeting (over TLS for implicit TLS)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            connection = raw
            if implicit_tls:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE  # only checking that it is up
                connection = context.wrap_socket(raw)
            connection.settimeout(timeout)
            data = b""
            while b"\n" not in data:
                chunk = connection.recv(512)
                if not chunk:
                    return False
                data += chunk
            connection.sendall(b"QUIT\r\n")
            return data.startswith(b"220")
    except (OSError, ssl.SSLError):
        return False


class Accounts:
    """Which system users Dovecot's processes run as."""

    def __init__(self):
        self.root = os.geteuid() == 0
        if self.root:
            self.internal = pwd.getpwnam("dovecot")
            self.login = pwd.getpwnam("dovenull")
            self.mail = pwd.getpwnam("nobody")
        else:
            self.internal = self.login = self.mail = pwd.getpwuid(os.geteuid())


def check_searchable(directory, account):
    """Dovecot's unprivileged processes open files and sockets in DIR by path: every folder
    above it must let them through. We only change DIR itself, never a caller's folders."""
    path = os.path.dirname(directory)
    while True:
        info = os.stat(path)
        if info.st_uid == account.pw_uid:
            ok = info.st_mode & 0o100
        elif info.st_gid == account.pw_gid:
            ok = info.st_mode & 0o010
        else:
            ok = info.st_mode & 0o001
        if not ok:
            sys.exit(f"dovecot.py: user {account.pw_name} cannot reach {directory}: {path} is "
                     f"mode {info.st_mode & 0o777:o}; use chmod o+x {path} or another --dir")
        if path == os.path.dirname(path):
            return
        path = os.path.dirname(path)


def write_users(path, user, password, accounts, home):
    """The passwd-file (user:{PLAIN.b64}password:uid:gid::home) read by the auth process. The
    PLAIN scheme keeps the password retrievable (CRAM-MD5 and SCRAM need it); its base64
    encoding lets it hold any character, ':' included. Returns path."""
    encoded = base64.b64encode(password.encode()).decode()
    fields = [user, "{PLAIN.b64}" + encoded, str(accounts.mail.pw_uid),
              str(accounts.mail.pw_gid), "", home]
    if any(c in user for c in ":\n\r"):
        sys.exit("dovecot.py: the user name must not contain ':' or a line break")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(":".join(fields) + "\n")
    if accounts.root:
        os.chown(path, accounts.internal.pw_uid, accounts.internal.pw_gid)
    return path


def write_config(options, accounts, password, submission_port, submissions_port, relay_port):
    directory = options.dir
    base_dir = os.path.join(directory, "run")
    state_dir = os.path.join(directory, "state")
    home = os.path.join(directory, "home")
    for path in (base_dir, state_dir, home):
        os.makedirs(path, exist_ok=True)
    # Dovecot's unprivileged processes connect to sockets under base_dir by path, so every
    # folder above it must be searchable by them.
    os.chmod(directory, 0o711)
    os.chmod(home, 0o755)
    if accounts.root:
        os.chown(home, accounts.mail.pw_uid, accounts.mail.pw_gid)

    users = write_users(os.path.join(directory, "users"), options.user, password, accounts, home)

    passdb = f"""passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {users}
}}"""
    mechanisms = options.mechanisms
    if options.oauth2_introspection_url:
        oauth2 = os.path.join(directory, "oauth2.conf.ext")
        write_atomically(oauth2, f"""introspection_mode = post
introspection_url = {options.oauth2_introspection_url}
tokeninfo_url =
username_attribute = sub
active_attribute = active
active_value = true
timeout_msecs = 10000
""")
        os.chmod(oauth2, 0o600)
        if accounts.root:
            os.chown(oauth2, accounts.internal.pw_uid, accounts.internal.pw_gid)
        passdb = f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {oauth2}
}}"""
        mechanisms = "xoauth2 oauthbearer"

    kerberos = ""
    if options.gssapi_keytab:
        mechanisms = mechanisms + " gssapi"
        # The auth process (default_internal_user) reads the keytab: a private copy it owns.
        keytab = os.path.join(directory, "krb5.keytab")
        shutil.copyfile(options.gssapi_keytab, keytab)
        os.chmod(keytab, 0o600)
        if accounts.root:
            os.chown(keytab, accounts.internal.pw_uid, accounts.internal.pw_gid)
        # %n: alice@TEST.REALM logs on as the passwd-file's alice. KRB5_CONFIG and KRB5_KTNAME
        # reach the auth process only through import_environment.
        kerberos = f"""auth_krb5_keytab = {keytab}
auth_gssapi_hostname = "$ALL"
auth_username_format = %n
auth_debug = yes
import_environment = $import_environment KRB5_CONFIG={options.krb5_config} KRB5_KTNAME={keytab}
"""

    no_chroot = "" if accounts.root else "  chroot =\n"
    auth_worker_user = "" if accounts.root else "  user = $default_internal_user\n"
    dh = "/usr/share/dovecot/dh.pem"
    config = f"""# Generated by tests/support/servers/dovecot.py for one test run.
protocols = submission
listen = {options.host}
base_dir = {base_dir}
state_dir = {state_dir}
instance_name = relaydeck-test-{os.getpid()}
hostname = localhost
log_path = /dev/stderr
info_log_path = /dev/stderr
log_timestamp = "%Y-%m-%d %H:%M:%S "
auth_verbose = yes
auth_debug_passwords = no
default_internal_user = {accounts.internal.pw_name}
default_internal_group = {pwd_group(accounts.internal)}
default_login_user = {accounts.login.pw_name}
first_valid_uid = {accounts.mail.pw_uid}
first_valid_gid = {accounts.mail.pw_gid}
mail_location = maildir:~/Maildir
mail_max_userip_connections = 1000

ssl = required
ssl_cert = <{options.cert}
ssl_key = <{options.key}
{f"ssl_dh = <{dh}" if os.path.exists(dh) else ""}

auth_mechanisms = {mechanisms}
{kerberos}{passdb}
userdb {{
  driver = passwd-file
  args = username_format=%u {users}
}}

submission_relay_host = {options.relay_host}
submission_relay_port = {relay_port}
submission_relay_trusted = no
submission_relay_ssl = no

service submission-login {{
  inet_listener submission {{
    port = {submission_port}
  }}
  inet_listener submissions {{
    port = {submissions_port}
    ssl = yes
  }}
{no_chroot}}}
# No growing penalty (2, 4, 8, 15 s) for repeated failed logins from one IP: tests fail logins
# on purpose, all from 127.0.0.1. The first failure is still answered after 2 s, as usual.
service anvil {{
{no_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service auth-worker {{
{auth_worker_user}}}
"""
    path = os.path.join(directory, "dovecot.conf")
    write_atomically(path, config)
    return path


def pwd_group(account):
    import grp
    return grp.getgrgid(account.pw_gid).gr_name


class Launcher(ServerLauncher):
    prefix = "dovecot.py"

    def __init__(self, options, password):
        super().__init__(options, password)
        self.accounts = Accounts()
        self.relay = None
        self.dovecot = None

    def start_relay(self):
        if self.options.relay_port:
            return self.options.relay_port
        ready = os.path.join(self.options.dir, "relay.port")
        if os.path.exists(ready):
            os.remove(ready)
        self.relay = subprocess.Popen(
            [PYTHON, os.path.join(HERE, "smtp_server.py"), "--security", "none", "--host",
             self.options.relay_host, "--port", "0", "--maildir", self.options.maildir,
             "--ready-file", ready, "--server-name", "relay.localhost"],
            stdout=subprocess.DEVNULL, preexec_fn=die_with_us)
        deadline = time.monotonic() + START_SECONDS
        while not os.path.exists(ready):
            if self.relay.poll() is not None or time.monotonic() > deadline:
                sys.exit("dovecot.py: the relay (smtp_server.py) did not start")
            time.sleep(0.05)
        with open(ready) as file:
            return int(file.read())

    def start_dovecot(self, relay_port):
        for attempt in range(1, START_ATTEMPTS + 1):
            submission = self.options.submission_port or free_port(self.options.host)
            submissions = self.options.submissions_port or free_port(self.options.host)
            config = write_config(self.options, self.accounts, self.password, submission,
                                  submissions, relay_port)
            self.dovecot = subprocess.Popen([DOVECOT, "-F", "-c", config],
                                            stdout=sys.stderr, stdin=subprocess.DEVNULL,
                                            preexec_fn=die_with_us)
            deadline = time.monotonic() + START_SECONDS
            while time.monotonic() < deadline and not self.stopping:
                if self.dovecot.poll() is not None:
                    break  # e.g. a port was taken in between: try new ones
                if (read_greeting(self.options.host, submission, False)
                        and read_greeting(self.options.host, submissions, True)):
                    return submission, submissions
                time.sleep(0.1)
            if self.stopping:
                return None
            log(f"attempt {attempt}: Dovecot did not come up (exit {self.dovecot.poll()})")
            self.stop_dovecot()
        sys.exit("dovecot.py: Dovecot did not start; its log is above")

    def stop_dovecot(self):
        stop_process(self.dovecot, 15)

    def stop(self):
        self.stop_dovecot()
        stop_process(self.relay, 10)

    def start(self):
        relay_port = self.start_relay()
        ports = self.start_dovecot(relay_port)
        if ports is None:
            return None
        return {"submission": ports[0], "submissions": ports[1], "relay": relay_port,
                "maildir": self.options.maildir}

    def watched(self):
        return [("Dovecot", self.dovecot), ("the relay", self.relay)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_server_arguments(parser, "private folder for config and state")
    parser.add_argument("--submission-port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--submissions-port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--relay-host", default="127.0.0.1")
    parser.add_argument("--relay-port", type=int, default=0,
                        help="relay to this SMTP server instead of starting our own")
    parser.add_argument("--maildir", help="where our own relay saves messages (DIR/mail)")
    parser.add_argument("--mechanisms", default="plain login cram-md5 scram-sha-1 scram-sha-256")
    parser.add_argument("--oauth2-introspection-url", metavar="URL",
                        help="check XOAUTH2/OAUTHBEARER tokens at this introspection endpoint")
    parser.add_argument("--gssapi-keytab", metavar="KEYTAB",
                        help="also offer GSSAPI with the service keys of this keytab")
    parser.add_argument("--krb5-config", metavar="FILE",
                        help="the krb5.conf of the Kerberos realm (with --gssapi-keytab)")
    add_handshake_arguments(parser)
    options = parser.parse_args()
    if options.gssapi_keytab:
        if not options.krb5_config:
            sys.exit("dovecot.py: --gssapi-keytab needs --krb5-config")
        options.gssapi_keytab = os.path.abspath(options.gssapi_keytab)
        options.krb5_config = os.path.abspath(options.krb5_config)
        if not os.path.exists("/usr/lib/dovecot/modules/auth/libmech_gssapi.so"):
            sys.exit("dovecot.py: Dovecot's GSSAPI module is missing (dovecot-gssapi)")
    absolute_server_paths(options)
    options.maildir = os.path.abspath(options.maildir or os.path.join(options.dir, "mail"))
    password = os.environ.get(options.password_env)
    if password is None and options.oauth2_introspection_url:
        password = os.urandom(16).hex()  # unused: the oauth2 passdb checks the tokens
    if password is None:
        sys.exit(f"dovecot.py: ${options.password_env} is not set")
    if not os.access(DOVECOT, os.X_OK):
        sys.exit("dovecot.py: dovecot is not installed (Debian: dovecot-core dovecot-submissiond)")
    if not os.path.exists("/usr/lib/dovecot/submission-login"):
        sys.exit("dovecot.py: Dovecot's submission server is missing (dovecot-submissiond)")
    os.makedirs(options.dir, exist_ok=True)
    accounts = Accounts()
    if accounts.root:
        for account in (accounts.internal, accounts.login, accounts.mail):
            check_searchable(options.dir, account)
    sys.exit(Launcher(options, password).run())


if __name__ == "__main__":
    main()
