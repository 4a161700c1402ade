#!/usr/bin/env bash
# Install Debian's Chromium for the HTML-view test (tests/test_render.py); idempotent.
# Without root or apt the test is skipped with a message, and everything else still runs.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "setup-browser: not root and no sudo; the Chromium test will be skipped" >&2; exit 0; fi
fi
if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q chromium >/dev/null 2>&1 \
        || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null 2>&1; } \
        || echo "setup-browser: could not install chromium; the Chromium test will be skipped" >&2
else
    echo "setup-browser: no apt-get; install Chromium yourself or the Chromium test is skipped" >&2
fi
exit 0
