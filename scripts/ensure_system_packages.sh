#!/usr/bin/env bash
# Debian packages the tests use: chromium (the report is rendered in a headless browser) and a CJK
# TrueType font (fonts-wqy-zenhei): pdfium needs a system CJK font to lay out test PDFs whose fonts
# are not embedded (without one it drops lone glyphs such as a final "。"), and the PDF benchmark
# embeds it as published reports embed theirs. Installed when missing and we may (root with
# apt-get); otherwise the tests that need them skip or say why.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${missing[*]} …"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
    || echo "could not install ${missing[*]}; tests that need them will skip"
else
  echo "missing Debian packages (${missing[*]}); tests that need them will skip"
fi
exit 0
