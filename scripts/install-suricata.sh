#!/usr/bin/env bash
# Installs Suricata 7 from Debian bookworm-backports (root only).
# The backports source is derived from the machine's own Debian archive stanza
# (/etc/apt/sources.list.d/debian.sources), so no archive host is written here.
set -euo pipefail

if command -v suricata >/dev/null 2>&1 && suricata -V 2>/dev/null | grep -q 'version 7\.'; then
  suricata -V
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-suricata: must run as root (apt-get)" >&2
  exit 1
fi

src=/etc/apt/sources.list.d/debian.sources
dst=/etc/apt/sources.list.d/secure-ai-backports.sources
if [ ! -f "$dst" ]; then
  # The stanza whose Suites list "bookworm" (the main archive, not -security).
  uri=$(awk -v RS= '/(^|\n)Suites:[^\n]*bookworm( |\n|$)/' "$src" | awk '/^URIs:/ {print $2; exit}')
  keyring=$(awk -v RS= '/(^|\n)Suites:[^\n]*bookworm( |\n|$)/' "$src" | awk '/^Signed-By:/ {print $2; exit}')
  if [ -z "$uri" ]; then
    echo "install-suricata: no bookworm stanza with URIs in $src" >&2
    exit 1
  fi
  {
    echo "Types: deb"
    echo "URIs: $uri"
    echo "Suites: bookworm-backports"
    echo "Components: main"
    [ -n "$keyring" ] && echo "Signed-By: $keyring"
  } >"$dst"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t bookworm-backports --no-install-recommends suricata >/dev/null
suricata -V
