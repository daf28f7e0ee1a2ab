#!/usr/bin/env python3
"""Check the Prigozhin gold (stdlib only; reads only the files next to this script).

    python tests/gold/wh/prigozhin/check.py     # exit 1 on any problem, prints counts

The checks are balloon's (`../balloon/check.py`: spans, fields, links, clusters), run on this
folder: both stories share one annotation format, so one checker keeps them from drifting apart.
This story has seven propositions, which the brief allows (4-7).
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    path = os.path.join(os.path.dirname(HERE), "balloon", "check.py")
    spec = importlib.util.spec_from_file_location("balloon_check", path)
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    checker.HERE = HERE
    checker.MAX_PROPOSITIONS = 7
    return checker.main()


if __name__ == "__main__":
    sys.exit(main())
