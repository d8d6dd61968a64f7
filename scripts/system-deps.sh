#!/usr/bin/env bash
# The system packages the tests use besides Node: socat (pseudo-terminal RS485 buses), chromium (browser tests),
# mbpoll and python3-pymodbus (independent Modbus peers), g++ (firmware core). `--check` installs what is
# missing when it can (root with apt-get) and otherwise names the command to run.
set -euo pipefail
declare -A need=([make]=make [socat]=socat [chromium]=chromium [mbpoll]=mbpoll [g++]=g++ [arm-none-eabi-g++]=gcc-arm-none-eabi)
missing=()
for cmd in "${!need[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}"); done
/usr/bin/python3 -c 'import pymodbus' >/dev/null 2>&1 || missing+=(python3-pymodbus)
# pymodbus.server imports these; Debian's python3-pymodbus only recommends them.
/usr/bin/python3 -c 'import serial' >/dev/null 2>&1 || missing+=(python3-serial)
/usr/bin/python3 -c 'import serial_asyncio' >/dev/null 2>&1 || missing+=(python3-serial-asyncio)
if [ ${#missing[@]} -gt 0 ] && ! dpkg -s libstdc++-arm-none-eabi-newlib >/dev/null 2>&1; then missing+=(libstdc++-arm-none-eabi-newlib); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
