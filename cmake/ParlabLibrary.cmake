# parlab_add_library(NAME parlab_x ALIAS x SOURCES a.cc ... HEADERS a.h ...
#                    DEPS lib ... PRIVATE_DEPS lib ...)
# One library per folder, and the link line is where the architecture is
# enforced: a library sees the headers of the libraries it links and no others.
#
# Sources include from the repository root ("shared/shm/ring.h"), but the
# repository root is never an include directory. Instead each library gets an
# include root of its own in the build tree, holding links to its headers at
# their repository paths (build/include/parlab_shm/shared/shm/ring.h ->
# shared/shm/ring.h), and exports it as a PUBLIC include directory. A library
# therefore finds the headers of itself and of what it links (transitively),
# and an include that points the wrong way — runtime including observe —
# fails to compile with "No such file or directory".
function(parlab_add_library)
  cmake_parse_arguments(L "" "NAME;ALIAS" "SOURCES;HEADERS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${L_NAME} STATIC ${L_SOURCES} ${L_HEADERS})
  if(L_ALIAS)
    add_library(parlab::${L_ALIAS} ALIAS ${L_NAME})
  endif()
  file(RELATIVE_PATH folder "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
  set(root "${PROJECT_BINARY_DIR}/include/${L_NAME}")
  file(REMOVE_RECURSE "${root}")  # a removed header must not stay includable
  file(MAKE_DIRECTORY "${root}/${folder}")
  foreach(header ${L_HEADERS})
    file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${header}" "${root}/${folder}/${header}"
         SYMBOLIC)
  endforeach()
  target_include_directories(${L_NAME} PUBLIC "${root}")
  target_link_libraries(${L_NAME} PUBLIC ${L_DEPS} PRIVATE parlab_warnings ${L_PRIVATE_DEPS})
endfunction()
