"""``newsprism spark`` as a script, for spark-submit (which runs a file, not a module):

    PYSPARK_PYTHON=.venv/bin/python .venv/bin/spark-submit --master 'local[2]' \
        src/newsprism/spark/__main__.py ../shared/corpora/seeds --out spark-tables

The arguments are those of ``newsprism spark``; the master is spark-submit's unless
``--master`` is given after the script. ``python -m newsprism.spark`` runs it too.
"""
import sys

from newsprism.cli import app

if __name__ == "__main__":
    app(["spark", *sys.argv[1:]], prog_name="newsprism spark")
