// parlab_test_plugin_clash: a plugin whose one kernel takes a built-in's name.
#include <parlab/kernel.h>

namespace {

struct Sum : parlab::plugin::KernelDefaults {
  static constexpr const char* kName = "sum";
  static parlab::plugin::Result Run(const parlab::plugin::Params& /*params*/,
                                    parlab::plugin::ConstBytes /*input*/,
                                    parlab::plugin::Bytes /*output*/) {
    return parlab::plugin::Result{1, 0, 0};
  }
};
PARLAB_KERNEL(Sum);

}  // namespace
