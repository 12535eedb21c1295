# embed_text_files(OUTPUT <cpp> NAMESPACE <ns> BASE_DIR <dir> FILES <f>...)
# Generates a C++ source that holds each file's text as a string_view, keyed by its path
# relative to BASE_DIR, and a lookup function. Keeps the core free of Qt resources.
function(embed_text_files)
    cmake_parse_arguments(EMBED "" "OUTPUT;NAMESPACE;BASE_DIR" "FILES" ${ARGN})
    set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedFilesScript.cmake")
    add_custom_command(
        OUTPUT "${EMBED_OUTPUT}"
        COMMAND ${CMAKE_COMMAND} -DOUTPUT=${EMBED_OUTPUT} -DNAMESPACE=${EMBED_NAMESPACE}
                -DBASE_DIR=${EMBED_BASE_DIR} "-DFILES=${EMBED_FILES}" -P "${script}"
        DEPENDS ${EMBED_FILES} "${script}"
        COMMENT "Embedding ${EMBED_NAMESPACE} text files"
        VERBATIM)
endfunction()
