#!/usr/bin/env python3
"""Check the Gaza hospital explosion gold with the balloon story's checker (stdlib only).

Reads only the files next to this script and the balloon folder's check.py:

    python tests/gold/wh/gaza-hospital/check.py     # exit 1 on any problem, prints counts
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "balloon_check", os.path.join(HERE, "..", "balloon", "check.py"))
_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_check)
_check.HERE = HERE  # the checker reads every file relative to its HERE

if __name__ == "__main__":
    sys.exit(_check.main())
