#!/usr/bin/env bash
# install-deps.sh — installs everything scipix needs to build, test and train,
# from Debian's packages (and, for the converter's reference renderers, the npm
# registry).  Idempotent: packages already present are skipped quickly.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --train    also what `make model` needs (PyTorch)
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang
  libleptonica-dev libjansson-dev libxxhash-dev
  check valgrind
  python3 python3-numpy python3-pil
  texlive-latex-base texlive-latex-recommended texlive-fonts-recommended
  texlive-latex-extra lmodern dvipng
)
# Node.js runs the reference renderers (KaTeX, MathJax) in the tests.  Some
# machines carry a Node.js build that bundles npm and conflicts with Debian's
# npm package, so ask for the packages only when the commands are absent.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--train" ]]; then
  # OpenBLAS replaces the reference BLAS behind python3-torch's linear layers:
  # training steps run 2.3 times faster on 2 cores (tools/train/train.py).
  packages+=(python3-torch libopenblas0-pthread)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages used by the test suite live in tools/js (package-lock.json pins them).
if [[ -f tools/js/package.json && ! -d tools/js/node_modules ]]; then
  (cd tools/js && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: all dependencies present"
