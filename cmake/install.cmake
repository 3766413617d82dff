# `cmake --install build --prefix P` and `cpack -G DEB` (docs/python.md "Installing"):
#   P/bin/alignsim                       the executable
#   P/lib/libalignsim_{sim,experiment,models}.a  the engine, the experiment library and the
#   P/include/alignsim/{sim,experiment,models}/  models, with their headers (#include
#                                        "sim/engine.hpp", as in the source tree)
#   P/lib/cmake/alignsim/                find_package(alignsim CONFIG) -> alignsim::sim,
#                                        alignsim::experiment, alignsim::models
#   P/lib/python3/dist-packages/alignsim the Python module (python/CMakeLists.txt)
#   P/share/alignsim/scenarios/          the bundled scenarios, found by the binary relative
#                                        to itself (../share/alignsim/scenarios)
#   P/share/doc/alignsim/                README.md and docs/
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ALIGNSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/alignsim)
set(ALIGNSIM_INSTALL_SCENARIODIR ${CMAKE_INSTALL_DATADIR}/alignsim/scenarios)

set_target_properties(alignsim_sim PROPERTIES EXPORT_NAME sim)
set_target_properties(alignsim_models PROPERTIES EXPORT_NAME models)
set_target_properties(alignsim_experiment PROPERTIES EXPORT_NAME experiment)
install(TARGETS alignsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS alignsim_sim alignsim_experiment alignsim_models EXPORT alignsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim ${PROJECT_SOURCE_DIR}/experiment ${PROJECT_SOURCE_DIR}/models
  DESTINATION include/alignsim COMPONENT development
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT alignsimTargets NAMESPACE alignsim:: DESTINATION ${ALIGNSIM_INSTALL_CMAKEDIR}
  COMPONENT development)

# The dependencies the exported static libraries link (privately, so consumers link them too).
set(ALIGNSIM_CONFIG_DEPENDENCIES "find_dependency(Threads)
find_dependency(Eigen3 3.3 NO_MODULE)
find_dependency(yaml-cpp)
find_dependency(nlohmann_json 3)")
if(TARGET NLopt::nlopt)
  string(APPEND ALIGNSIM_CONFIG_DEPENDENCIES "\nfind_dependency(NLopt 2.4 CONFIG)")
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/alignsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/alignsimConfig.cmake
  INSTALL_DESTINATION ${ALIGNSIM_INSTALL_CMAKEDIR}
  PATH_VARS ALIGNSIM_INSTALL_SCENARIODIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/alignsimConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/alignsimConfig.cmake ${PROJECT_BINARY_DIR}/alignsimConfigVersion.cmake
  DESTINATION ${ALIGNSIM_INSTALL_CMAKEDIR} COMPONENT development)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${ALIGNSIM_INSTALL_SCENARIODIR}
  COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

# The build tree has the installed layout's scenario folder too (a link to the sources), so
# build/tools/alignsim finds its bundled scenarios the same way an installed one does
# (../share/alignsim/scenarios), and so does the build's Python package.
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/share/alignsim)
file(CREATE_LINK ${PROJECT_SOURCE_DIR}/scenarios ${PROJECT_BINARY_DIR}/share/alignsim/scenarios SYMBOLIC)

# cpack packages what is built (build first): it does not build every target itself, so the
# Install.deb test, run by CTest after the build, never rebuilds the tree under other tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# cpack -G DEB: one package with everything above, for /usr; its library dependencies are
# found by dpkg-shlibdeps (Debian dpkg-dev).
set(CPACK_PACKAGE_NAME alignsim)
set(CPACK_PACKAGE_VENDOR "alignsim")
set(CPACK_PACKAGE_CONTACT "alignsim maintainers <alignsim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Agent-based simulator of small states' alignment with great powers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3-numpy, python3-pandas")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-matplotlib, python3-tqdm, libeigen3-dev, libyaml-cpp-dev, nlohmann-json3-dev")
set(CPACK_GENERATOR DEB)
include(CPack)
