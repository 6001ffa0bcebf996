#!/usr/bin/env python3
"""Summarises the execution samples of a JFR recording (`jfr print --events jdk.ExecutionSample --stack-depth 64`):
the most frequent top frames and the wal4j / java.util.concurrent frames by inclusive share.

    jfr print --events jdk.ExecutionSample --stack-depth 64 profile.jfr | python3 wal-bench/jfr-top.py
"""
import collections
import re
import sys

top, inclusive, samples, stack = collections.Counter(), collections.Counter(), 0, None
for line in sys.stdin:
    line = line.strip()
    if line.startswith("stackTrace = ["):
        stack = []
        continue
    if stack is not None:
        if line.startswith("]") or line.startswith("..."):
            if stack:
                samples += 1
                top[stack[0]] += 1
                for frame in set(stack):
                    inclusive[frame] += 1
            stack = None
            continue
        m = re.match(r"(.*?)\s+line:", line)
        stack.append(m.group(1) if m else line)
print(f"samples {samples}")
print("-- top frames (self)")
for frame, n in top.most_common(15):
    print(f"{100 * n / max(samples, 1):5.1f}% {frame}")
print("-- wal4j and java.util.concurrent frames (inclusive)")
shown = 0
for frame, n in inclusive.most_common():
    if frame.startswith(("io.wal4j.adaptor", "io.wal4j.impls", "io.wal4j.api", "io.wal4j.utility",
                         "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.locks")):
        print(f"{100 * n / max(samples, 1):5.1f}% {frame}")
        shown += 1
        if shown == 25:
            break
