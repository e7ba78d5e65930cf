#!/usr/bin/env bash
# The report test renders the HTML report in headless Chromium (Debian's `chromium` package).
# Install it (and a CJK font, so screenshots show Chinese) when missing and we may (root with
# apt-get); otherwise that test skips and says why.
set -u
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && fc-list 2>/dev/null | grep -qi wqy; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the report browser test …"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null) \
    || echo "could not install chromium; the browser test will be skipped"
fi
exit 0
