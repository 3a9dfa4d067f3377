# Sourced by setup.sh and fuzz.sh once ROOT is set. Where the machine has ccache (nothing installs it), every
# build compiles through it, with paths taken relative to the tree, so that a clone elsewhere (CI's) reuses the
# objects of an earlier build of the same sources. CONVSCOPE_CCACHE=0 turns it off.
COMPILER_CACHE=()
if [ "${CONVSCOPE_CCACHE:-1}" = 1 ] && command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
  COMPILER_CACHE=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
