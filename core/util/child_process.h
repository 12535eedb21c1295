#pragma once

#include "result.h"

#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// Splits a command template into arguments: whitespace separates, single and double quotes
// group, backslash escapes the next character. No shell is involved.
Result<std::vector<std::string>> splitCommandLine(std::string_view text);

// A program run without a shell, in its own process group, its stdout and stderr going to a
// log file. start() reports a program that cannot be started at all as an error rather than
// as exit status 127, naming the step that failed: entering `workdir` (empty: the current
// folder), opening the log, or executing the program.
class ChildProcess {
public:
    static Result<ChildProcess> start(const std::vector<std::string>& argv,
                                      const std::string& workdir, const std::string& logPath);
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess(); // kills a process still running

    // Non-blocking; true once the process has ended. exitCode() is its status, or
    // 128 + signal when a signal ended it.
    bool finished();
    int exitCode() const { return exitCode_; }
    // Ends the whole process group: SIGTERM, then SIGKILL after `graceMs`.
    void kill(int graceMs = 200);

private:
    ChildProcess() = default;
    int pid_ = -1;
    int exitCode_ = -1;
    bool done_ = false;
};

} // namespace codesign
