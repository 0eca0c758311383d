"""The notebook's I/O experiment: `tasks` waits of `ms` milliseconds
(time.sleep releases the GIL), one after another and on `tasks` threads.
Prints one JSON line: seconds per trial for each way.

    python3 sleep_threads.py --tasks 10 --ms 100 --trials 3
"""
import argparse
import json
import threading
import time

from timing import timed


def task_io_bound(seconds):
    time.sleep(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--ms", type=float, default=100)
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    seconds = args.ms / 1000

    def sequential():
        for _ in range(args.tasks):
            task_io_bound(seconds)

    def threaded():
        threads = [threading.Thread(target=task_io_bound, args=(seconds,))
                   for _ in range(args.tasks)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    print(json.dumps({"tasks": args.tasks, "ms": args.ms, "trials": args.trials,
                      "seq_s": timed(sequential, args.trials),
                      "threads_s": timed(threaded, args.trials)}))


if __name__ == "__main__":
    main()
