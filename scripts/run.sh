#!/usr/bin/env bash
# Installs what is missing, builds Release, and opens ConvScope on its bundled example (the lecture's stepper).
# Extra arguments go to convscope, e.g. `./scripts/run.sh assets/camera.png`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec "$BUILD_DIR/app/convscope" "$@"
