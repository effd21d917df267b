#!/usr/bin/env bash
# Sets up a real print queue for tests/test_print_cups.py: CUPS with a cups-pdf queue that "prints"
# to PDF files. Debian, as root, no systemd: installs what is missing, starts cupsd, adds the queue.
#
# Usage: bash .ci/cups-setup.sh [QUEUE_NAME]   (default SafeGroundPDF)
# On success the queue exists and the last line on stdout is the queue's name. On failure it says
# why on stderr and exits non-zero; .ci/run then goes on, and the CUPS test fails (it never skips
# in CI) with the reason.
set -euo pipefail

queue="${1:-SafeGroundPDF}"
log="$(mktemp -t safeground-cups-setup.XXXXXX)"
trap 'rm -f "$log"' EXIT

say() { printf 'cups-setup: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# Runs a noisy command quietly; shows the tail of its output only when it fails.
quietly() {
    if ! "$@" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        fail "failed: $*"
    fi
}

if [ "$(id -u)" -ne 0 ]; then
    fail "needs root to install and start CUPS (running as $(id -un))"
fi

# -- packages ------------------------------------------------------------------------------------
# fonts-dejavu-core: the Unicode font the PDFs use; poppler-utils: pdftotext, a second extractor
# the PDF tests use when it is there.
wanted=(cups cups-client cups-bsd printer-driver-cups-pdf fonts-dejavu-core poppler-utils)
missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null || fail "apt-get not found: this script sets up CUPS on Debian only"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    quietly apt-get update -qq
    quietly apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# -- the scheduler -------------------------------------------------------------------------------
scheduler_running() { LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running"; }

if ! scheduler_running; then
    cupsd_bin="$(command -v cupsd || echo /usr/sbin/cupsd)"
    [ -x "$cupsd_bin" ] || fail "cupsd not found after installing cups"
    mkdir -p /run/cups /var/spool/cups-pdf
    say "starting $cupsd_bin"
    "$cupsd_bin" || true   # daemonizes by itself; whether it came up is checked next
    for _ in $(seq 1 60); do
        scheduler_running && break
        sleep 0.5
    done
    scheduler_running || fail "cupsd did not come up within 30 seconds (lpstat -r: $(lpstat -r 2>&1 | head -n 1))"
fi

# -- the queue -----------------------------------------------------------------------------------
if ! LC_ALL=C lpstat -p "$queue" >/dev/null 2>&1; then
    model="$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF_opt\.ppd/ {print $1; exit}')"
    [ -n "$model" ] || model="$(lpinfo -m 2>/dev/null | awk 'tolower($0) ~ /cups-pdf/ {print $1; exit}')"
    [ -n "$model" ] || fail "no cups-pdf model in 'lpinfo -m'; is printer-driver-cups-pdf installed?"
    say "adding queue $queue ($model)"
    quietly lpadmin -p "$queue" -E -v cups-pdf:/ -m "$model"
fi
# cups-filters turns the PDF into PostScript for cups-pdf; its default (Ghostscript) loses the
# text's Unicode mapping, so the PDF cups-pdf writes could not be searched. Poppler's pdftocairo
# keeps it. (Real printers don't care: they print pixels.)
quietly lpadmin -p "$queue" -o pdftops-renderer-default=pdftocairo
quietly cupsenable "$queue"
quietly cupsaccept "$queue"

echo "$queue"
