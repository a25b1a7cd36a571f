#!/bin/sh
# A throw-away test CA and a server certificate it signed, for the real test servers.
#
#   make_certs.sh DIR [NAME...]
#
# Writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key (and DIR/server-chain.pem =
# leaf + CA). The leaf is valid for localhost, 127.0.0.1 and ::1 plus every extra NAME (a DNS
# name or an IP address), for 7 days. Keys are EC P-256, unencrypted, mode 600: they protect
# nothing but a test run.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 DIR [NAME...]" >&2
    exit 2
fi
dir=$1
shift
mkdir -p "$dir"
umask 077

names="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
    case $name in
        *[!0-9.]*) case $name in *:*) names="$names,IP:$name" ;; *) names="$names,DNS:$name" ;; esac ;;
        *) names="$names,IP:$name" ;;
    esac
done

quiet() { "$@" >/dev/null 2>"$dir/openssl.log" || { cat "$dir/openssl.log" >&2; exit 1; }; }

quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 7 -subj "/O=Relaydeck tests/CN=Relaydeck Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
quiet openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/O=Relaydeck tests/CN=localhost"
cat >"$dir/server.ext" <<EOF
subjectAltName=$names
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
EOF
quiet openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -out "$dir/server.pem" -days 7 -extfile "$dir/server.ext"
cat "$dir/server.pem" "$dir/ca.pem" >"$dir/server-chain.pem"
rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl" "$dir/openssl.log"
# Readable by the unprivileged service user a server may drop to (the key is a test key).
chmod 644 "$dir"/*.pem "$dir"/*.key
chmod 755 "$dir"
