"""The one way every example times: `warmup` calls discarded, then `trials`
calls, each timed alone with time.perf_counter() (as the notebook does).
Imported by the scripts beside it; run them from this folder or by path."""
import time


def timed(run, trials, warmup=0):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(trials):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times
