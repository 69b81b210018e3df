"""Test-suite settings shared by the unit tests and the notebooks run by nbval.

The suite always runs in fast mode: every notebook kernel started by nbval
inherits this environment, so lessons train with their CI budgets.
"""

import os

os.environ.setdefault("GAN_LESSONS_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Under pytest-xdist the workers already share out the cores (one per core, pyproject.toml's `-n auto`): each worker,
# and each notebook kernel it starts, gets its share of threads for TensorFlow's ops and for the BLAS of numpy and
# scikit-learn, instead of every process spreading its ops over every core and fighting the others for them.  Set
# before anything imports TensorFlow or numpy; a value already in the environment wins; `pytest -n 0` leaves all as is.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    _SHARE = str(max(1, (os.cpu_count() or 1) // _WORKERS))
    for _name in ("TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_name, _SHARE)
