#include "load_project.h"

#include "core/model/project_yaml.h"

#include <iostream>

namespace codesign::cli {

Result<Project> loadProjectWithNotes(const std::string& path) {
    Result<Project> project = loadProjectFile(path);
    if (project.ok())
        for (const Diagnostic& d : projectNotices(*project))
            std::cerr << "codesign: note: " << d.format() << "\n";
    return project;
}

} // namespace codesign::cli
