# glad 2 generated at build time from Debian's python3-glad. --reproducible keeps it off the network (it uses the
# specifications bundled with the package). The result is a static library, convscope_glad, with the GL 4.3 core
# and EGL 1.5 loaders.
find_program(GLAD_EXECUTABLE glad REQUIRED)
set(GLAD_OUT ${CMAKE_BINARY_DIR}/glad)
set(GLAD_SOURCES ${GLAD_OUT}/src/gl.c ${GLAD_OUT}/src/egl.c)
add_custom_command(
  OUTPUT ${GLAD_SOURCES} ${GLAD_OUT}/include/glad/gl.h ${GLAD_OUT}/include/glad/egl.h
  COMMAND ${GLAD_EXECUTABLE} --reproducible --quiet --api gl:core=4.3,egl=1.5 --out-path ${GLAD_OUT} c --loader
  COMMENT "Generating the glad 2 GL 4.3 / EGL 1.5 loader"
  VERBATIM)
add_library(convscope_glad STATIC ${GLAD_SOURCES})
target_include_directories(convscope_glad SYSTEM PUBLIC ${GLAD_OUT}/include)
target_link_libraries(convscope_glad PUBLIC ${CMAKE_DL_LIBS})
set_target_properties(convscope_glad PROPERTIES POSITION_INDEPENDENT_CODE ON)
