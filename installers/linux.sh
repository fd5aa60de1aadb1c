#!/usr/bin/env bash
# One-command setup for Debian/Ubuntu: system packages, .venv in the repo root, Python packages.
# Idempotent: re-running skips what is already there. Set DESKPILOT_SKIP_APT=1 to skip system packages.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(xvfb xserver-xephyr xdotool x11-utils xterm chromium chromium-driver fonts-dejavu-core
  libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-image0 libxcb-render-util0 libdbus-1-3
  dbus at-spi2-core bubblewrap gnome-keyring galculator featherpad
  sway grim xdg-desktop-portal xdg-desktop-portal-wlr xdg-desktop-portal-gtk pipewire mousepad adwaita-icon-theme
  breeze-icon-theme oxygen-icon-theme tango-icon-theme libcairo2 gtk-3-examples)
# galculator, mousepad (GTK 3) and featherpad (Qt 5): real applications for the accessibility tests and the
# AT-SPI ground truth of `deskpilot bench screen`; adwaita-icon-theme: the icons GTK draws, which name icon-only
# buttons in pixels mode (grounding/theme_icons.py); breeze, oxygen and Tango (with Adwaita): the pictures of the
# standard actions in four artists' styles that an application's own icons are named by (grounding/icon_refs.py;
# libcairo2 renders the SVG ones); gtk-3-examples: gtk3-widget-factory, every GTK 3 widget in Adwaita, an application
# none of the screen model's rules was written on (tests/test_gtk_widgets_live.py)
# sway will not run as root: headless Wayland (--session wayland) runs it as this unprivileged user
WAYLAND_USER="${DESKPILOT_WAYLAND_USER:-deskpilot}"

say() { printf '[install] %s\n' "$*"; }

install_system() {
  if [ "${DESKPILOT_SKIP_APT:-0}" = "1" ]; then say "skipping system packages (DESKPILOT_SKIP_APT=1)"; return; fi
  if ! command -v apt-get >/dev/null; then
    say "no apt-get here: install these yourself: ${APT_PACKAGES[*]}"; return
  fi
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "system packages present"; return; fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wayland_user() {
  [ "$(id -u)" -eq 0 ] || return 0  # not root: sway runs as the person running DeskPilot
  if id -u "$WAYLAND_USER" >/dev/null 2>&1; then return; fi
  say "creating the unprivileged user $WAYLAND_USER for headless sway (sway refuses to run as root)"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$WAYLAND_USER"
}

install_python() {
  local py="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv with $($py --version)"
    $py -m venv .venv
  fi
  local pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
  if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
    say "NVIDIA GPU found: the CUDA build of torch is used by the [vlm] extra"
  elif ! .venv/bin/python -c "import torch" 2>/dev/null; then
    say "no NVIDIA GPU: installing the CPU build torch==2.13.0"
    "${pip[@]}" torch==2.13.0 || say "torch CPU build not available here; local VLM features stay off"
  fi
  say "installing DeskPilot and its Python packages"
  "${pip[@]}" -e ".[test]"
}

install_system
wayland_user
install_python
say "done: try 'make run' or '.venv/bin/deskpilot doctor'"
