# PARLAB_SANITIZE applies to everything, including generated code, so that
# instrumented and uninstrumented frames never mix. Line tables (-g1) are all
# a report's stack needs; full debug info, and -O2 (the presets ask for -O1),
# doubled the build of Eigen's and protobuf's templates for no better report.
if(PARLAB_SANITIZE)
  add_compile_options(-fsanitize=${PARLAB_SANITIZE} -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=${PARLAB_SANITIZE})
  if(PARLAB_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()
