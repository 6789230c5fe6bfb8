# SPDX-License-Identifier: BSD-3-Clause
"""Appending a run to perf/RESULTS.md: one heading with date, commit (and whether the tree
was dirty) and title, then the text. Shared by the Python benchmarks in perf/."""

import datetime
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def record(title, text):
    git = ['git', '-C', ROOT]
    rev = subprocess.run(git + ['rev-parse', '--short', 'HEAD'], capture_output=True,
                         text=True).stdout.strip() or 'unknown'
    dirty = subprocess.run(git + ['status', '--porcelain', '-uno'], capture_output=True,
                           text=True).stdout.strip()
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    with open(os.path.join(ROOT, 'perf', 'RESULTS.md'), 'a') as f:
        f.write(f'\n## {now} — {rev}{" (dirty)" if dirty else ""}: {title}\n\n{text}\n')
