#!/usr/bin/env bash
# Installs the Debian packages the toolkit builds against and the peers its tests start, when missing.
# As root it runs apt-get; otherwise it prints the one line to run.
set -euo pipefail
packages=(libdcmtk-dev dcmtk libzstd-dev libtesseract-dev tesseract-ocr-eng tesseract-ocr-fra fonts-dejavu-core fonts-liberation2
          dicom3tools orthanc iproute2 python3 openssl zlib1g-dev chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# pynetdicom (PyPI) is a peer of the interoperability tests.
python3 -c 'import pynetdicom' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pynetdicom >/dev/null 2>&1 \
    || echo "could not install pynetdicom with pip: its interoperability test will fail" >&2
# pillow (PyPI) renders the burned-in text of the OCR evaluation set, independently of the code that finds it.
python3 -c 'import PIL' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pillow >/dev/null 2>&1 \
    || echo "could not install pillow with pip: the burned-in text tests will fail" >&2
# icalendar (PyPI) parses rota-plan's calendars in the tests, independently of the code that writes them.
python3 -c 'import icalendar' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check icalendar >/dev/null 2>&1 \
    || echo "could not install icalendar with pip: the calendar test will fail" >&2
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
