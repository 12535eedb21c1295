#include "child_process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace codesign {

Result<std::vector<std::string>> splitCommandLine(std::string_view text) {
    std::vector<std::string> args;
    std::string current;
    bool inArg = false;
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < text.size())
                current += text[++i];
            else
                current += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            inArg = true;
        } else if (c == '\\' && i + 1 < text.size()) {
            current += text[++i];
            inArg = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (inArg)
                args.push_back(std::move(current));
            current.clear();
            inArg = false;
        } else {
            current += c;
            inArg = true;
        }
    }
    if (quote)
        return makeError(std::string("unbalanced ") + (quote == '"' ? "double" : "single") +
                         " quote in the command");
    if (inArg)
        args.push_back(std::move(current));
    if (args.empty())
        return makeError("the command is empty");
    return args;
}

namespace {

enum StartStep { kEnterFolder = 1, kOpenLog = 2, kExec = 3 };

std::string startFailure(int step, int error, const std::string& program,
                         const std::string& workdir, const std::string& logPath) {
    const std::string why = std::strerror(error);
    if (step == kEnterFolder)
        return "cannot enter the folder '" + workdir + "' to run '" + program + "': " + why;
    if (step == kOpenLog)
        return "cannot open the log file '" + logPath + "' for '" + program + "': " + why;
    if (error == ENOENT && program.find('/') == std::string::npos)
        return "cannot run '" + program + "': no such program on the PATH";
    return "cannot run '" + program + "': " + why;
}

} // namespace

Result<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                         const std::string& workdir, const std::string& logPath) {
    // The child reports an exec failure through this pipe; a successful exec closes it.
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        return makeError(std::string("cannot create a pipe: ") + std::strerror(errno));
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(report[0]);
        ::close(report[1]);
        return makeError(std::string("cannot start a process: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::close(report[0]);
        // What failed, and errno: the parent words the message (a missing log folder is
        // not a missing program).
        int failure[2] = {0, 0};
        if (!workdir.empty() && ::chdir(workdir.c_str()) != 0)
            failure[0] = kEnterFolder;
        if (failure[0] == 0 && !logPath.empty()) {
            const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (log < 0) {
                failure[0] = kOpenLog;
            } else {
                ::dup2(log, STDOUT_FILENO);
                ::dup2(log, STDERR_FILENO);
                ::close(log);
            }
        }
        if (failure[0] != 0)
            failure[1] = errno;
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            ::dup2(devnull, STDIN_FILENO);
        if (failure[0] == 0) {
            ::execvp(args[0], args.data());
            failure[0] = kExec;
            failure[1] = errno;
        }
        ssize_t ignored = ::write(report[1], failure, sizeof failure);
        (void)ignored;
        ::_exit(127);
    }
    ::setpgid(pid, pid); // also in the parent, against the race with the child's own call
    ::close(report[1]);
    int failure[2] = {0, 0};
    ssize_t n;
    do {
        n = ::read(report[0], failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    ::close(report[0]);
    if (n == sizeof failure) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        return makeError(startFailure(failure[0], failure[1], argv.front(), workdir, logPath));
    }
    ChildProcess p;
    p.pid_ = pid;
    return p;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), exitCode_(other.exitCode_), done_(other.done_) {
    other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        if (pid_ > 0 && !done_)
            kill(0);
        pid_ = other.pid_;
        exitCode_ = other.exitCode_;
        done_ = other.done_;
        other.pid_ = -1;
    }
    return *this;
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !done_)
        kill(0);
}

bool ChildProcess::finished() {
    if (done_ || pid_ <= 0)
        return true;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0)
        return false;
    done_ = true;
    if (r == pid_)
        exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

void ChildProcess::kill(int graceMs) {
    if (pid_ <= 0 || done_)
        return;
    ::kill(-pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(graceMs);
    while (!finished() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!done_) {
        ::kill(-pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        done_ = true;
        exitCode_ = 128 + SIGKILL;
    }
}

} // namespace codesign
