#!/usr/bin/env bash
# The GPU check, for the day a GPU is at hand (issue 23). From a clone of the repository:
#
#     scripts/gpu_check.sh              # the GPU's own choices; on a CPU, mixed_bfloat16 and XLA forced on
#     scripts/gpu_check.sh --float16    # on a CPU: Colab's T4 path instead, mixed_float16 (loss scaling) and XLA
#
# It runs `gan-lessons doctor --full --json` with the clone's .venv: the doctor's report (this machine's own choices),
# then, under the GPU path's choices (GAN_LESSONS_DEVICE, read by gan_lessons/core/device.py), the DCGAN speed check
# with mixed precision and XLA, lesson 02 top to bottom in fast mode and the tests that exercise device choices
# (pytest -m device). It prints ONE JSON line (the report, with its "full" part: each part's status, passed, failed
# or skipped, and seconds; progress goes to standard error) and exits with 1 if any part failed. Under five minutes is
# the aim on a GPU.
#
# Options and variables:
#   --float16            force GAN_LESSONS_DEVICE=precision=mixed_float16,xla=on, the float16 branch (the trainer's
#                        loss scaling) that the default mixed_bfloat16 on a CPU does not take; a CPU emulates float16,
#                        so there it is slow (the JSON line gives each part's seconds)
#   GAN_LESSONS_DEVICE   set it to force any choice yourself, e.g. "precision=mixed_bfloat16,xla=on,
#                        steps_per_execution=20" (slow on a CPU); it wins over --float16
#   PYTHON               the interpreter (default: the clone's .venv/bin/python)
#   other options        passed on to gan-lessons doctor (e.g. --no-bench: skip the first, unforced speed check)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"

doctor_args=()
for arg in "$@"; do
  case "$arg" in
    --float16) export GAN_LESSONS_DEVICE="${GAN_LESSONS_DEVICE:-precision=mixed_float16,xla=on}" ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) doctor_args+=("$arg") ;;
  esac
done

if [[ ! -x "$python" ]] && ! command -v "$python" >/dev/null; then
  echo "gpu_check: no $python: create the clone's environment first (README.md, the two commands)" >&2
  exit 2
fi
cd "$root"
exec "$python" -m gan_lessons doctor --full --json "${doctor_args[@]}"
