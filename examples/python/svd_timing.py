"""The notebook's benchmark() helper on its example, the singular values of
a 500×500 matrix: the first (cold) call timed alone, then `warmup` discarded
calls and `trials` timed ones with time.perf_counter(). Prints one JSON line.

    python3 svd_timing.py --n 500 --warmup 2 --trials 10
"""
import argparse
import json

import numpy as np

from timing import timed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    a = np.random.default_rng(1).standard_normal((args.n, args.n))

    def call():
        return np.linalg.svd(a, compute_uv=False)

    first_s = timed(call, 1)[0]
    times = timed(call, args.trials, warmup=args.warmup)
    print(json.dumps({"n": args.n, "warmup": args.warmup, "first_s": first_s,
                      "trials_s": times}))


if __name__ == "__main__":
    main()
