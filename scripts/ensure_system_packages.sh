#!/usr/bin/env bash
# Debian packages the tests use: chromium (the report is rendered in a headless browser) and a CJK
# TrueType font (fonts-wqy-zenhei): pdfium needs a system CJK font to lay out test PDFs whose fonts
# are not embedded (without one it drops lone glyphs such as a final "。"), and the PDF benchmark
# embeds it as published reports embed theirs.
#
# By default this only says what is missing, what it costs and how to install it: without chromium
# the browser tests skip and say why; without the font a PDF reader test (a paragraph over a page
# break, in tests/unit/test_pdf_reader.py) fails. It installs (with apt-get, as root) only when asked:
# INSTALL_SYSTEM_PACKAGES=1 (`make system-packages`), or CI=true, where a clean machine must run
# every test; it says so before it does.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
[ ${#missing[@]} -eq 0 ] && exit 0
install=0
if [ "${INSTALL_SYSTEM_PACKAGES:-}" = "1" ]; then install=1; why="INSTALL_SYSTEM_PACKAGES=1"; fi
if [ "${CI:-}" = "true" ]; then install=1; why="CI=true"; fi
if [ "$install" = "1" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages ($why): ${missing[*]} …"
    if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null); then
      exit 0
    fi
    echo "could not install ${missing[*]}; the browser tests will skip, a PDF reader test may fail"
  else
    echo "cannot install ${missing[*]} (needs root and apt-get); the browser tests will skip, a PDF reader test may fail"
  fi
  exit 0
fi
echo "note: missing Debian packages: ${missing[*]}"
for package in "${missing[@]}"; do
  case "$package" in
    chromium) echo "      chromium: the report browser tests skip (tests/integration/test_report_browser.py)" ;;
    fonts-wqy-zenhei) echo "      fonts-wqy-zenhei: pdfium drops glyphs of CJK PDFs without embedded fonts; a PDF reader test fails" ;;
  esac
done
echo "      install them with: make system-packages   (or: sudo apt-get install -y ${missing[*]})"
exit 0
