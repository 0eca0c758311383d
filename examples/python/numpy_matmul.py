"""The notebook's NumPy matmul benchmark: A @ B for n×n float64 at each
size, `trials` timed runs after one warm-up, with the BLAS threads NumPy
starts with and — when threadpoolctl is installed — limited to 1 thread at
run time (threadpool_limits). Prints one JSON line: per size, seconds per
trial for each thread setting, and what threadpoolctl saw of the BLAS.

    python3 numpy_matmul.py --sizes 500,1000 --trials 3
"""
import argparse
import json

import numpy as np

from timing import timed

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:
    threadpool_info = threadpool_limits = None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,1000,2000,3000")
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    answer = {"numpy": np.__version__, "trials": args.trials, "sizes": []}
    if threadpool_info is not None:
        blas = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if blas:
            answer["blas"] = {k: blas[0].get(k) for k in
                              ("internal_api", "version", "num_threads", "threading_layer",
                               "architecture")}
    for n in (int(s) for s in args.sizes.split(",")):
        a = rng.standard_normal((n, n))
        b = rng.standard_normal((n, n))
        row = {"n": n, "default_s": timed(lambda: a @ b, args.trials, warmup=1)}
        if threadpool_limits is not None:
            with threadpool_limits(limits=1, user_api="blas"):
                row["one_thread_s"] = timed(lambda: a @ b, args.trials, warmup=1)
        answer["sizes"].append(row)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
