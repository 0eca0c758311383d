# One INTERFACE target carries the project's warnings (taskflow's error_settings).
# Generated protobuf code does not link it.
add_library(parlab_warnings INTERFACE)
target_compile_options(parlab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wformat=2)
if(PARLAB_WERROR)
  target_compile_options(parlab_warnings INTERFACE -Werror)
endif()
