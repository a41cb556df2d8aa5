#!/usr/bin/env bash
# Installs the Debian packages fulcrum needs, and only those that are missing.
# Idempotent and quiet when nothing is missing, so `make demo` / `make test` can call it every time.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build make pkg-config
  # C++ libraries (the decided stack: DEVELOPERS.md)
  libboost-dev libboost-graph-dev libeigen3-dev libhdf5-dev hdf5-tools
  catch2 libtomlplusplus-dev libcli11-dev libfmt-dev
  # Python side: always Debian's /usr/bin/python3, never the python3 first on PATH
  python3 python3-numpy python3-h5py python3-pytest python3-pandas python3-xarray python3-matplotlib python3-scipy python3-numba
  pybind11-dev python3-dev jupyter-nbconvert python3-nbclient python3-ipykernel
  # multi-node sweeps: OpenMPI (each rank writes its runs; rank 0 merges them into one file)
  openmpi-bin libopenmpi-dev
  # make fuzz: libFuzzer comes with clang's runtime
  clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
