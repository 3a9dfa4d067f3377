# convscope_embed(TARGET NAME FILES...): embeds each file into a generated C++ source as a string, with a lookup
# `std::string_view convscope::embedded::NAME(std::string_view file_name)` returning "" when absent. Used for
# shaders/*.comp so the installed executable needs no files beside it.
function(convscope_embed target name)
  set(out_cpp ${CMAKE_CURRENT_BINARY_DIR}/embedded_${name}.cpp)
  set(inputs ${ARGN})
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNAME=${name} "-DINPUTS=${inputs}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    COMMENT "Embedding ${name}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out_cpp})
endfunction()
