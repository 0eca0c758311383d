// parlab_test_plugin_no_entry: a shared library that is no parlab plugin.
extern "C" __attribute__((visibility("default"))) int parlab_test_not_a_plugin(void) { return 42; }
