#include "core/error.hpp"

namespace hubbench {

int Error::exit_code() const noexcept {
    switch (kind_) {
        case ErrorKind::usage:
        case ErrorKind::not_built: return 2;
        case ErrorKind::interrupted: return 130;  // 128 + SIGINT, what shells report for Ctrl-C
        default: return 1;
    }
}

const char* error_kind_name(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::usage: return "usage";
        case ErrorKind::not_built: return "not_built";
        case ErrorKind::invalid_input: return "invalid_input";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::unsupported: return "unsupported";
        case ErrorKind::network: return "network";
        case ErrorKind::io: return "io";
        case ErrorKind::interrupted: return "interrupted";
        case ErrorKind::internal: return "internal";
    }
    return "unknown";
}

std::string one_line(std::string message, std::size_t max_length) {
    for (char& c : message) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    while (!message.empty() && message.back() == ' ') message.pop_back();
    if (message.size() > max_length) {
        message.resize(max_length);
        // Do not leave half a UTF-8 sequence at the cut.
        while (!message.empty() && (static_cast<unsigned char>(message.back()) & 0xC0) == 0x80) message.pop_back();
        if (!message.empty() && (static_cast<unsigned char>(message.back()) & 0x80)) message.pop_back();
        message += "...";
    }
    return message;
}

}  // namespace hubbench
