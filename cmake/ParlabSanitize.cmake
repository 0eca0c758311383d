# PARLAB_SANITIZE applies to everything, including generated code, so that
# instrumented and uninstrumented frames never mix.
if(PARLAB_SANITIZE)
  add_compile_options(-fsanitize=${PARLAB_SANITIZE} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${PARLAB_SANITIZE})
  if(PARLAB_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()
