#!/usr/bin/python3
"""Start-up: time from process start to the first map (first Expose) of the main window,
Relaydeck against a bare QMainWindow built with the same Qt (relaydeck-bare-window), and against
the same window showing one label (relaydeck-bare-window --label): the floor any window with text
pays for the font database and its first font.

Both executables print "exposed" at their window's first Expose event and quit when
RELAYDECK_STARTUP_PROBE=1 (app/bench/FirstExposeProbe.h). Each runs --runs times, alternating,
under one private Xvfb (or Qt's offscreen platform with --platform offscreen); the table shows
the medians and the ratios. Relaydeck starts with --profiles stored connections (added with
relaydeck-cli), last results of a previous session, a private HOME/XDG folders and no D-Bus
session (the keychain is not reachable, as before a keyring is unlocked).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def free_display():
    for number in range(90, 200):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and not os.path.exists(
            f"/tmp/.X{number}-lock"
        ):
            return number
    raise SystemExit("startup.py: no free X display")


def time_to_expose(command, env, timeout=30):
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if line.strip() != b"exposed":
        raise SystemExit(f"startup.py: {command[0]} never reported its first expose")
    return elapsed * 1000.0


def seed(cli, config_dir, count, env):
    for i in range(count):
        subprocess.run(
            [cli, "--config-dir", config_dir, "add", f"relay-{i:02d}", "--host",
             f"smtp{i}.example.org", "--port", "587", "--security", "starttls", "--user",
             f"user{i}@example.org"],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relaydeck", required=True)
    parser.add_argument("--bare", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profiles", type=int, default=12)
    parser.add_argument("--platform", choices=["xvfb", "offscreen"], default="xvfb")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="relaydeck-startup-")
    xvfb = None
    try:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
            "XDG_RUNTIME_DIR": home,
            "LANG": "C.UTF-8",
            "RELAYDECK_STARTUP_PROBE": "1",
        }
        config_dir = os.path.join(home, "relaydeck")
        seed(args.cli, config_dir, args.profiles, env)
        if args.platform == "xvfb":
            display = free_display()
            xvfb = subprocess.Popen(
                ["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            for _ in range(100):
                if os.path.exists(f"/tmp/.X11-unix/X{display}"):
                    break
                time.sleep(0.05)
            env["DISPLAY"] = f":{display}"
            env["QT_QPA_PLATFORM"] = "xcb"
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"

        commands = {
            "relaydeck": [args.relaydeck, "--config-dir", config_dir],
            "bare": [args.bare],
            "label": [args.bare, "--label"],
        }
        # One run each to warm the page cache, then alternate.
        for command in commands.values():
            time_to_expose(command, env)
        times = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(time_to_expose(command, env))
        median = {name: statistics.median(values) for name, values in times.items()}
        print(f"start-up to first window ({args.platform}, median of {args.runs}, "
              f"{args.profiles} connections)")
        print(f"{'':32} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
        for name, label in (("relaydeck", "Relaydeck"), ("bare", "bare QMainWindow"),
                            ("label", "bare QMainWindow with a label")):
            values = times[name]
            print(f"{label:32} {median[name]:10.1f} {min(values):8.1f} {max(values):8.1f}")
        print(f"{'ratio Relaydeck / bare':32} {median['relaydeck'] / median['bare']:10.2f}x")
        print(f"{'ratio with a label / bare':32} {median['label'] / median['bare']:10.2f}x")
    finally:
        if xvfb:
            xvfb.terminate()
            xvfb.wait()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
