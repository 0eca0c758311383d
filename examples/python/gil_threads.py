"""The notebook's GIL experiment with CPython's real GIL.

The pure-Python loop `total += i*i` (n iterations) run as `tasks` tasks:
one after another, on `tasks` threads (threading), and on `tasks` processes
(multiprocessing.Pool, started before the clock as parlab starts its workers
apart from the trials). Each is timed `trials` times after one warm-up run.
Prints one JSON line: seconds per trial for each way.

    python3 gil_threads.py --n 5000000 --tasks 2 --trials 3
"""
import argparse
import json
import multiprocessing
import threading

from timing import timed


def pure_python_work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def sequential(n, tasks):
    for _ in range(tasks):
        pure_python_work(n)


def threaded(n, tasks):
    threads = [threading.Thread(target=pure_python_work, args=(n,)) for _ in range(tasks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5_000_000)
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    answer = {"n": args.n, "tasks": args.tasks, "trials": args.trials}
    answer["seq_s"] = timed(lambda: sequential(args.n, args.tasks), args.trials, warmup=1)
    answer["threads_s"] = timed(lambda: threaded(args.n, args.tasks), args.trials, warmup=1)
    with multiprocessing.Pool(processes=args.tasks) as pool:
        answer["procs_s"] = timed(lambda: pool.map(pure_python_work, [args.n] * args.tasks),
                                  args.trials, warmup=1)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
