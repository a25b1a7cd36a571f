"""Shared by socks_proxy.py and http_proxy.py: run a real proxy from Debian's packages with
its own, private view of the system's name databases, and supervise it.

A proxy that checks passwords against the system's password database (dante's `socksmethod:
username`) or resolves host names itself (every proxy doing remote DNS) would otherwise need
real system users and real /etc/hosts entries on the developer's machine. Instead the proxy
runs in a private mount namespace (`unshare --mount`; as a normal user inside a user
namespace too, `unshare --map-root-user --mount`) where generated files are bind-mounted over
/etc/passwd, /etc/group, /etc/shadow, /etc/nsswitch.conf and /etc/hosts. Only that process
tree sees them; the host's files are never changed. nsswitch.conf says "files" only, so the
proxy resolves exactly the names in its private hosts file, and checks exactly the users in
its private passwd/shadow.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# die_with_us is used by socks_proxy.py and http_proxy.py through this module.
from launcher_common import (announce_ready, die_with_us, free_port, log,  # noqa: E402,F401
                             remove_stale_ready_file, set_parent_death_signal, stop_process)

# Launchers exit with this when the proxy cannot run here at all (package missing, namespaces
# not permitted): tests skip instead of failing, saying why.
EXIT_UNAVAILABLE = 77

# Who started us, taken as early as possible: once that process is gone, getppid() says 1 (or
# a subreaper). Set again from --parent-pid, which also covers a parent that died before we ran.
PARENT = os.getppid()

NAME_DATABASES = ("passwd", "group", "shadow", "nsswitch.conf", "hosts")

# Runs inside the new mount namespace: $1 is the folder with the generated files, the rest is
# the proxy's command line. Nothing is mounted outside this namespace.
MOUNT_SCRIPT = r"""set -e
files=$1
shift
for name in passwd group shadow nsswitch.conf hosts; do
    mount --bind "$files/$name" "/etc/$name"
done
exec "$@"
"""


def listening_inodes(port):
    """Socket inodes of every TCP socket listening on port (any address), from /proc/net."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as file:
                next(file)  # the header
                for line in file:
                    fields = line.split()
                    local, state, inode = fields[1], fields[3], fields[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(inode)
        except (OSError, IndexError, ValueError, StopIteration):
            continue
    return inodes


def owns_listener(pid, port):
    """True when process pid holds the socket listening on port, so a probe that succeeded
    reached our proxy and not another process that took the port in between. True as well when
    /proc cannot tell (then the probe alone decides)."""
    inodes = listening_inodes(port)
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return True
    if not inodes:
        return True  # no /proc/net here: the probe decides
    for descriptor in descriptors:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def exit_with_parent():
    """--exit-with-parent: SIGTERM (our clean stop) when the process that started us ends,
    from the kernel, however it ends; also when it ended before we got here."""
    set_parent_death_signal()  # without it, Supervisor.run() still polls getppid()
    if os.getppid() != PARENT:
        sys.exit(0)


def crypt_sha512(password):
    """A shadow(5) SHA-512 crypt hash; the password goes to openssl on stdin, never argv."""
    try:
        result = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password.encode(),
                                capture_output=True, check=False)
    except OSError as error:
        raise RuntimeError(f"cannot run openssl (Debian package openssl): {error}") from error
    hashed = result.stdout.decode().strip()
    if result.returncode != 0 or not hashed.startswith("$6$"):
        raise RuntimeError(f"openssl passwd failed: {result.stderr.decode().strip()}")
    return hashed


def unshare_command():
    command = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        # A user namespace in which we are root: enough to mount, nothing beyond it.
        command[1:1] = ["--user", "--map-root-user"]
    return command


def check_namespaces():
    """None when a private mount namespace with our files over /etc works here, else why not."""
    missing = [name for name in NAME_DATABASES if not os.path.exists(f"/etc/{name}")]
    if missing:
        return f"/etc/{missing[0]} does not exist, so nothing can be mounted over it"
    if not shutil.which("unshare"):
        return "unshare is missing (Debian package util-linux)"
    probe = subprocess.run(unshare_command() + ["true"], capture_output=True, check=False)
    if probe.returncode != 0:
        how = "as root" if os.geteuid() == 0 else "in a user namespace (unshare --map-root-user)"
        return (f"cannot create a private mount namespace {how}: "
                f"{probe.stderr.decode().strip()}")
    return None


class Sandbox:
    """The generated name databases and the command that runs a program on top of them."""

    def __init__(self, directory, hosts=(), users=None):
        """hosts: (name, address) pairs for the private /etc/hosts (localhost is always
        there); users: {name: password} for the private passwd/shadow (besides root and
        nobody, which daemons need to start and drop privileges)."""
        self.root = os.geteuid() == 0
        self.files = os.path.join(directory, "etc")
        os.makedirs(self.files, mode=0o755, exist_ok=True)
        os.chmod(self.files, 0o755)
        users = users or {}

        passwd = ["root:x:0:0:root:/root:/bin/sh",
                  "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"]
        group = ["root:x:0:", "nogroup:x:65534:"]
        shadow = ["root:*:19000:0:99999:7:::", "nobody:*:19000:0:99999:7:::"]
        for index, (name, password) in enumerate(sorted(users.items())):
            uid = 20000 + index
            passwd.append(f"{name}:x:{uid}:{uid}:Relaydeck proxy test user:/nonexistent:"
                          "/usr/sbin/nologin")
            group.append(f"{name}:x:{uid}:")
            shadow.append(f"{name}:{crypt_sha512(password)}:19000:0:99999:7:::")
        hosts_lines = ["127.0.0.1 localhost", "::1 localhost ip6-localhost ip6-loopback"]
        hosts_lines += [f"{address} {name}" for name, address in hosts]
        contents = {
            "passwd": passwd,
            "group": group,
            "shadow": shadow,
            "nsswitch.conf": ["passwd: files", "group: files", "shadow: files",
                              "gshadow: files", "hosts: files"],
            "hosts": hosts_lines,
        }
        for name, lines in contents.items():
            path = os.path.join(self.files, name)
            # Daemons read hosts/passwd after dropping to nobody; shadow only as root.
            mode = 0o600 if name == "shadow" else 0o644
            if os.path.exists(path):
                os.remove(path)
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "w") as file:
                file.write("\n".join(lines) + "\n")
            os.chmod(path, mode)  # whatever the umask took away

    def command(self, argv):
        return unshare_command() + ["sh", "-c", MOUNT_SCRIPT, "sh", self.files] + argv


class Supervisor:
    """Starts a proxy on a free port (retrying when the port is taken in between), waits until
    it answers, announces the port, and stops it on SIGTERM/SIGINT or when our parent ends."""

    ATTEMPTS = 3
    START_SECONDS = 20

    def __init__(self, name, options, start, probe):
        """start(port) -> Popen of the proxy listening on port; probe(port) -> True once it
        answers like the proxy we configured."""
        self.name = name
        self.options = options
        self.start_proxy = start
        self.probe = probe
        self.process = None
        self.stopping = False

    def stop(self):
        stop_process(self.process, 10)

    def start(self):
        for attempt in range(1, self.ATTEMPTS + 1):
            port = self.options.port or free_port(self.options.host)
            self.process = self.start_proxy(port)
            deadline = time.monotonic() + self.START_SECONDS
            while time.monotonic() < deadline and not self.stopping:
                if self.process.poll() is not None:
                    break  # e.g. the port was taken in between: try another
                if self.probe(port) and owns_listener(self.process.pid, port):
                    return port
                time.sleep(0.05)
            if self.stopping:
                return None
            log(self.name, f"attempt {attempt}: the proxy did not come up on port {port} "
                           f"(exit {self.process.poll()})")
            self.stop()
        sys.exit(f"{self.name}: the proxy did not start; its log is above")

    def run(self, on_ready=None):
        def on_signal(signum, frame):
            self.stopping = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        if self.options.exit_with_parent and os.getppid() != PARENT:
            return 0  # gone while we prepared: its SIGTERM came before our handler
        remove_stale_ready_file(self.options.ready_file)
        try:
            port = self.start()
            if port is None:
                return 0
            if on_ready:
                on_ready()
            announce_ready(self.options.ready_file, port)
            log(self.name, f"ready on {self.options.host}:{port}")
            while not self.stopping:
                if self.options.exit_with_parent and os.getppid() != PARENT:
                    log(self.name, "the process that started us is gone")
                    return 0
                if self.process.poll() is not None:
                    log(self.name, f"the proxy exited unexpectedly ({self.process.returncode})")
                    return 1
                time.sleep(0.2)
            return 0
        finally:
            self.stop()


def add_common_arguments(parser):
    parser.add_argument("--dir", required=True, help="private folder for config and files")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--user", help="the one proxy user (no authentication without)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="environment variable holding the user's password")
    parser.add_argument("--allow-port", type=int, action="append", default=[], metavar="PORT",
                        help="a loopback destination port the proxy connects to (repeatable); "
                             "every other destination is refused")
    parser.add_argument("--hosts-entry", action="append", default=[], metavar="NAME=ADDRESS",
                        help="a name only the proxy resolves (repeatable)")
    parser.add_argument("--ready-file", help="write the listening port here once ready")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started us ends (a crashed test)")
    parser.add_argument("--parent-pid", type=int, metavar="PID",
                        help="with --exit-with-parent: the process that started us (default: "
                             "our parent when we start, which is already wrong when it died "
                             "between starting us and our start)")


def parse_common(parser, prefix, program, package):
    global PARENT
    options = parser.parse_args()
    if options.parent_pid:
        PARENT = options.parent_pid
    if options.exit_with_parent:
        exit_with_parent()
    if options.user and not options.password_env:
        parser.error("--user needs --password-env (a password never goes on the command line)")
    options.password = None
    if options.user:
        options.password = os.environ.get(options.password_env)
        if not options.password:
            sys.exit(f"{prefix}: ${options.password_env} is not set or empty")
    hosts = []
    for entry in options.hosts_entry:
        name, separator, address = entry.partition("=")
        if not separator or not name or not address:
            parser.error(f"--hosts-entry expects NAME=ADDRESS, not {entry!r}")
        hosts.append((name, address))
    options.hosts = hosts
    options.dir = os.path.abspath(options.dir)
    os.makedirs(options.dir, exist_ok=True)
    options.program = shutil.which(program) or next(
        (path for path in (f"/usr/sbin/{program}", f"/usr/bin/{program}")
         if os.access(path, os.X_OK)), None)
    if not options.program:
        log(prefix, f"{program} is not installed (Debian package {package})")
        sys.exit(EXIT_UNAVAILABLE)
    return options


def make_sandbox(prefix, options):
    problem = check_namespaces()
    if problem:
        log(prefix, problem)
        sys.exit(EXIT_UNAVAILABLE)
    users = {options.user: options.password} if options.user else {}
    try:
        return Sandbox(options.dir, options.hosts, users)
    except RuntimeError as error:
        sys.exit(f"{prefix}: {error}")
