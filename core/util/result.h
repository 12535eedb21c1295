#pragma once

#include "diagnostic.h"

#include <cassert>
#include <utility>
#include <variant>

namespace codesign {

// A value or the Diagnostic that explains why there is none (std::expected arrives in C++23).
template <class T> class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Diagnostic error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<T>(state_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<T>(state_);
    }
    T&& value() && {
        assert(ok());
        return std::get<T>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Diagnostic& error() const {
        assert(!ok());
        return std::get<Diagnostic>(state_);
    }
    Diagnostic& error() {
        assert(!ok());
        return std::get<Diagnostic>(state_);
    }

private:
    std::variant<T, Diagnostic> state_;
};

// For operations that produce nothing but may fail.
struct Void {};
using Status = Result<Void>;
inline Status okStatus() {
    return Void{};
}

} // namespace codesign
