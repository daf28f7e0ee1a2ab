"""The balloon story's reading aid, run against this story's build.py and paras.py."""
import os
import runpy
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)),"..","..","balloon","annotation","view.py"),run_name="__main__")
