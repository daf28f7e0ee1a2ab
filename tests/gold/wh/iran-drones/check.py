#!/usr/bin/env python3
"""Check the iran-drones gold (stdlib only; reads only the files next to this script).

    python tests/gold/wh/iran-drones/check.py     # exit 1 on any problem, prints counts

The story uses balloon's layout and conventions, so it uses balloon's checker too: that checker
is loaded and pointed at this folder, rather than copied, so a fix to it reaches both stories.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BALLOON_CHECK = os.path.join(os.path.dirname(HERE), "balloon", "check.py")


def main():
    spec = importlib.util.spec_from_file_location("balloon_check", BALLOON_CHECK)
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    checker.HERE = HERE  # every file it reads is resolved against HERE
    return checker.main()


if __name__ == "__main__":
    sys.exit(main())
