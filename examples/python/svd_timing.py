"""The notebook's benchmark() helper on its example, the singular values of
a 500×500 matrix: the first (cold) call timed alone, then `warmup` discarded
calls and `trials` timed ones with time.perf_counter(). Prints one JSON line.

    python3 svd_timing.py --n 500 --warmup 2 --trials 10
"""
import argparse
import json
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    a = np.random.default_rng(1).standard_normal((args.n, args.n))

    def call():
        return np.linalg.svd(a, compute_uv=False)

    start = time.perf_counter()
    call()
    first_s = time.perf_counter() - start
    for _ in range(args.warmup):
        call()
    times = []
    for _ in range(args.trials):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    print(json.dumps({"n": args.n, "warmup": args.warmup, "first_s": first_s,
                      "trials_s": times}))


if __name__ == "__main__":
    main()
