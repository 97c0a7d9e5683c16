#!/usr/bin/env bash
# Installs Suricata 7 for the firewall rule tests (root only; run with sudo):
# - Debian 12 (bookworm): from bookworm-backports. The backports source is derived from the machine's own Debian
#   archive stanza (/etc/apt/sources.list.d/debian.sources), so no archive host is written here.
# - Ubuntu 24.04 (noble, the GitHub runner): from Ubuntu's own archive (universe), which carries Suricata 7.
# The system is detected from /etc/os-release.
set -euo pipefail

if command -v suricata >/dev/null 2>&1 && suricata -V 2>/dev/null | grep -q 'version 7\.'; then
  suricata -V
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-suricata: must run as root (apt-get): sudo bash scripts/install-suricata.sh" >&2
  exit 1
fi
if [ ! -r /etc/os-release ]; then
  echo "install-suricata: no /etc/os-release; supported: Debian 12, Ubuntu 24.04" >&2
  exit 1
fi
# shellcheck disable=SC1091
. /etc/os-release
export DEBIAN_FRONTEND=noninteractive

case "${ID:-}:${VERSION_ID:-}" in
  debian:12)
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
    apt-get update -qq
    apt-get install -y -qq -t bookworm-backports --no-install-recommends suricata >/dev/null
    ;;
  ubuntu:24.04)
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends suricata >/dev/null
    ;;
  *)
    echo "install-suricata: ${PRETTY_NAME:-this system} is not supported (Debian 12 or Ubuntu 24.04); install Suricata 7 by hand" >&2
    exit 1
    ;;
esac

if ! suricata -V | grep -q 'version 7\.'; then
  echo "install-suricata: installed $(suricata -V), not Suricata 7" >&2
  exit 1
fi
suricata -V
