#pragma once
// Loading a user's kernel plugin (include/parlab/kernel.h): dlopen it, check
// the ABI version it was built for, and add each of its kernels to the
// registry (kernel.h AddKernel), so that a plugin kernel is one more kernel
// for the whole process — FindKernel finds it in every mode. The coordinator
// loads the plugin before it validates the job; each worker loads it at its
// start (`parlab-worker --plugin PATH`). Plugins are never unloaded.
// Thread-safe.

#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

// Loads the plugin at `path` (absolute, as the workers get it) and returns
// the names of its kernels. The same path again returns them again without a
// second load. Errors are kInvalidArgument and name the path: the file does
// not load (the loader's message), is no parlab plugin (no
// parlab_plugin_entry), was built for another ABI version, holds no kernel,
// a kernel without a name or a run function, a bad name, or a name another
// kernel has (a built-in's or another plugin's). A plugin with an error adds
// none of its kernels.
Result<std::vector<std::string>> LoadPlugin(const std::string& path);

}  // namespace parlab
