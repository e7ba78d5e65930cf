#!/usr/bin/env bash
# The report test renders the HTML report in headless Chromium (Debian's `chromium` package).
# Install it when missing and we may (root with apt-get); otherwise that test skips and says why.
# No CJK system font is installed on purpose: the test reads the DOM, not pixels, and a system CJK
# font makes pdfium substitute (and slowly load) glyphs for PDFs whose fonts are not embedded.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the report browser test …"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; the browser test will be skipped"
fi
exit 0
