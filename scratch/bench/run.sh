#!/bin/sh
# Cold mypy --strict and pyright strict timings: use_db.py vs use_sa.py (median of 3).
# Run from the worktree root: sh scratch/bench/run.sh
V=/work/main/.venv/bin
for f in use_db use_sa; do
  for tool in mypy pyright; do
    for i in 1 2 3; do
      c=$(mktemp -d)
      s=$(date +%s.%N)
      if [ $tool = mypy ]; then
        $V/mypy --config-file scratch/mypy.ini --no-incremental --cache-dir "$c" scratch/bench/$f.py >/dev/null
      else
        $V/pyright --pythonpath $V/python -p scratch/pyrightconfig.json scratch/bench/$f.py >/dev/null
      fi
      e=$(date +%s.%N); rm -rf "$c"
      echo "$f $tool $(echo "$e - $s" | bc)"
    done
  done
done
