# Shared by scripts/demo and scripts/test. Source it; don't run it.

UV_VERSION="0.13.9"
UV_HOME="${HOME}/.local/share/core20-uv"
export PATH="${HOME}/.local/bin:${PATH}"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root (or sudo) to run: $*" >&2; return 1; fi
}

# Install uv when there is no working one. `command -v` is not enough: pyenv leaves shims
# for tools installed under other Python versions that fail when run.
ensure_uv() {
  if uv --version >/dev/null 2>&1; then return; fi
  log "Installing uv ${UV_VERSION} into ${UV_HOME}"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "${UV_HOME}"
  "${UV_HOME}/bin/pip" install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
  mkdir -p "${HOME}/.local/bin"
  ln -sf "${UV_HOME}/bin/uv" "${HOME}/.local/bin/uv"
  hash -r
  uv --version
}

# Install Debian packages that are missing (checked by package status, not by guessing paths).
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

sync_environment() {
  log "Creating the Python 3.12 environment (uv sync)"
  # --compile-bytecode: write every installed package's .pyc now. Python reads them even
  # where PYTHONDONTWRITEBYTECODE is set (as on some CI machines), which otherwise leaves
  # each new process compiling pandas, SciPy and Django from source: seconds per process,
  # for every test worker, subprocess and command.
  uv sync --frozen --quiet --compile-bytecode
  # The same for the project's own code (stale files are ignored once a source changes).
  uv run --frozen python -m compileall -q -j 0 core20 inequalities tests benchmarks >/dev/null
}
