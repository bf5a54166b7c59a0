#include "results/canonical_json.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"

namespace hubbench::results {

namespace {

void append_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        throw Error(ErrorKind::invalid_input, "parameters: NaN and infinite numbers are not valid JSON");
    }
    // Integral doubles that an int64 holds exactly print as integers: 512.0 and 512 are one key.
    if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) {  // 2^53
        out += std::to_string(static_cast<std::int64_t>(value));
        return;
    }
    char buffer[64];
    // std::to_chars without a precision gives the shortest round-trip form.
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
}

void append(std::string& out, const nlohmann::json& value) {
    using T = nlohmann::json::value_t;
    switch (value.type()) {
        case T::object: {
            // nlohmann::json keeps objects in a std::map: iteration is already in key order.
            out += '{';
            bool first = true;
            for (const auto& [key, item] : value.items()) {
                if (!first) out += ',';
                first = false;
                out += nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
                out += ':';
                append(out, item);
            }
            out += '}';
            return;
        }
        case T::array: {
            out += '[';
            bool first = true;
            for (const auto& item : value) {
                if (!first) out += ',';
                first = false;
                append(out, item);
            }
            out += ']';
            return;
        }
        case T::number_float: append_number(out, value.get<double>()); return;
        case T::number_integer: out += std::to_string(value.get<std::int64_t>()); return;
        case T::number_unsigned: out += std::to_string(value.get<std::uint64_t>()); return;
        case T::binary: throw Error(ErrorKind::invalid_input, "parameters: binary values are not valid JSON");
        case T::discarded: throw Error(ErrorKind::invalid_input, "parameters: discarded JSON value");
        default:
            // null, booleans and strings: nlohmann's compact dump is already minimal and strict
            // UTF-8 checking rejects invalid byte sequences.
            out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
            return;
    }
}

}  // namespace

std::string canonical_json(const nlohmann::json& value) {
    std::string out;
    try {
        append(out, value);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::invalid_input, std::string("parameters: ") + e.what());
    }
    return out;
}

std::string canonical_json_text(std::string_view text) {
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::invalid_input, std::string("parameters are not JSON: ") + e.what());
    }
    return canonical_json(value);
}

}  // namespace hubbench::results
