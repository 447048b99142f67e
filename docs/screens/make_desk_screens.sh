#!/bin/sh
# The 360x740 screens of the booking offer (in Arabic) and of the audit log in words,
# saved here as PNG files by the browser test that checks them. Run from the checkout:
#   sh docs/screens/make_desk_screens.sh
# with DATABASE_URL (and REDIS_URL) set as for the tests; Chromium from CHROMIUM_PATH.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
SCREENS_DIR="$here" CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" \
	.venv/bin/python -m pytest tests/browser/test_booking_offer.py -q -p no:cacheprovider
