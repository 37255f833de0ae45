# Sourced by the scripts: where the tools live and how Trunk must behave (see ../shared/TOOLCHAIN.md).
export PARTA_TOOLS="${PARTA_TOOLS:-$HOME/.parta-tools}"
export PATH="$PARTA_TOOLS/bin:$HOME/.cargo/bin:$PATH"
# Trunk must never reach for the network: no update check, no tool downloads, cargo offline.
export TRUNK_SKIP_VERSION_CHECK=true
