#!/bin/bash
# Starts the real relaydeck under Xvfb, waits for its window, saves a screenshot (PNG).
#   smoke.sh RELAYDECK ARTIFACT_DIR first-start|connections-de
# first-start:     empty configuration, English: the empty window invites to create a connection.
# connections-de:  three connections, German (LANG=de_DE.UTF-8, LANGUAGE=de): the list and the
#                  editor; also checks that the German translation is the one in use.
# Exit 77 (skipped) when Xvfb, xwininfo or ImageMagick are not installed.
set -euo pipefail

binary=$1
artifacts=$2
variant=$3

for tool in xvfb-run xwininfo import identify; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed"
        exit 77
    fi
done

mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config="$work/config"
mkdir -p "$config"
shot="$artifacts/relaydeck-$variant.png"
rm -f "$shot"

case "$variant" in
first-start)
    export LANG=en_US.UTF-8 LANGUAGE=en LC_ALL=
    ;;
connections-de)
    export LANG=de_DE.UTF-8 LANGUAGE=de LC_ALL=
    cat >"$config/connections.json" <<'JSON'
{
    "format": "relaydeck-profiles",
    "version": 1,
    "profiles": [
        {"id": "6f1c0d52-3a1e-4c55-9d43-2b8f0f0c1a01", "name": "Büro-Relay",
         "description": "Relay im Serverraum", "host": "relay.example.org", "port": 25,
         "security": "starttls", "sender": "it@example.org",
         "auth": {"mechanism": "none"}},
        {"id": "6f1c0d52-3a1e-4c55-9d43-2b8f0f0c1a02", "name": "Gmail Newsletter",
         "host": "smtp.gmail.com", "port": 0, "security": "tls", "preset": "gmail",
         "auth": {"mechanism": "auto", "username": ""}},
        {"id": "6f1c0d52-3a1e-4c55-9d43-2b8f0f0c1a03", "name": "SES Frankfurt",
         "host": "email-smtp.eu-central-1.amazonaws.com", "port": 587,
         "security": "starttls", "preset": "ses", "auth": {"mechanism": "none"}}
    ]
}
JSON
    ;;
*)
    echo "unknown variant $variant" >&2
    exit 2
    ;;
esac

# Everything below runs inside the virtual display.
cat >"$work/inside.sh" <<'INSIDE'
#!/bin/bash
set -euo pipefail
binary=$1; config=$2; shot=$3; variant=$4; work=$5

if [ "$variant" = connections-de ]; then
    # The language follows the system locale: the help text must be German.
    "$binary" --help >"$work/help.txt" 2>&1 || true
    if ! grep -q "SMTP-Verbindungen verwalten und testen" "$work/help.txt"; then
        echo "FAIL: relaydeck --help is not German under LANG=$LANG LANGUAGE=$LANGUAGE:"
        cat "$work/help.txt"
        exit 1
    fi
fi

"$binary" --config-dir "$config" >"$work/app.log" 2>&1 &
app=$!
# Wait (up to 30 s) until a viewable top-level window of relaydeck exists.
window=""
for _ in $(seq 1 150); do
    if ! kill -0 "$app" 2>/dev/null; then
        echo "FAIL: relaydeck exited early:"; cat "$work/app.log"; exit 1
    fi
    # Found by its WM_CLASS (the title is translated); Qt also creates a 1×1 leader window:
    # take the viewable, large one.
    for candidate in $(xwininfo -root -tree 2>/dev/null | grep -F '("relaydeck" "relaydeck")' \
                       | awk '{print $1}'); do
        info=$(xwininfo -id "$candidate" 2>/dev/null || true)
        width=$(awk '/Width:/{print $2}' <<<"$info")
        if grep -q "Map State: IsViewable" <<<"$info" && [ "${width:-0}" -gt 200 ]; then
            window=$candidate
            break
        fi
    done
    [ -n "$window" ] && break
    sleep 0.2
done
if [ -z "$window" ]; then
    echo "FAIL: no Relaydeck window appeared"; cat "$work/app.log"
    kill "$app" 2>/dev/null || true
    exit 1
fi
geometry=$(xwininfo -id "$window" | awk '/Width:/{w=$2} /Height:/{h=$2} END{print w "x" h}')
echo "window $window ($geometry)"
# Let the first frames paint before taking the picture.
sleep 1.5
import -window root "$shot"
kill "$app"
wait "$app" 2>/dev/null || true
INSIDE
chmod +x "$work/inside.sh"

xvfb-run -a -s "-screen 0 1280x800x24" "$work/inside.sh" "$binary" "$config" "$shot" "$variant" \
    "$work"

if [ ! -s "$shot" ]; then
    echo "FAIL: no screenshot"
    exit 1
fi
size=$(identify -format '%wx%h' "$shot")
colours=$(identify -format '%k' "$shot")
echo "screenshot $shot ($size, $colours colours)"
if [ "$size" != "1280x800" ] || [ "$colours" -lt 50 ]; then
    echo "FAIL: the screenshot looks empty"
    exit 1
fi
