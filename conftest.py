"""Test-suite settings shared by the unit tests and the notebooks run by nbval.

The suite always runs in fast mode: every notebook kernel started by nbval
inherits this environment, so lessons train with their CI budgets.
"""

import os

os.environ.setdefault("GAN_LESSONS_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
