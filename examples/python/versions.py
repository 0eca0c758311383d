"""What this python3 offers parlab tour: its version, NumPy's, threadpoolctl's.

Prints one JSON line; a missing library is null (the tour then says so).
"""
import json
import platform

answer = {"python": platform.python_version(), "numpy": None, "threadpoolctl": None}
try:
    import numpy
    answer["numpy"] = numpy.__version__
except ImportError:
    pass
try:
    import threadpoolctl
    answer["threadpoolctl"] = threadpoolctl.__version__
except ImportError:
    pass
print(json.dumps(answer))
