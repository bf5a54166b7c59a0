#include "cli/task_options.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/error.hpp"

namespace hubbench::cli {
namespace {

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) items.push_back(item);
    return items;
}

// "128,256" or "128" -> [128, 256]; a bad number is a usage error naming the option.
nlohmann::json count_list(const std::string& command, const std::string& option, const std::string& text) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& item : split_commas(text)) {
        std::size_t used = 0;
        unsigned long long v = 0;
        try {
            v = std::stoull(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || item[0] == '-') {
            throw Error(ErrorKind::usage, command + ": --" + option + " takes whole numbers separated by commas, got '" + text + "'");
        }
        list.push_back(v);
    }
    if (list.empty()) throw Error(ErrorKind::usage, command + ": --" + option + " needs a value");
    return list;
}

const char* value_name(suites::ParamType type) {
    switch (type) {
        case suites::ParamType::count: return "N";
        case suites::ParamType::number: return "X";
        case suites::ParamType::counts: return "N[,N...]";
        case suites::ParamType::text: return "TEXT";
        case suites::ParamType::texts: return "TEXT[,TEXT...]";
        case suites::ParamType::map: return "JSON";
    }
    return "VALUE";
}

}  // namespace

std::string option_name(const std::string& param) {
    std::string name = param;
    for (char& c : name)
        if (c == '_') c = '-';
    return name;
}

po::options_description task_parameter_options(const std::vector<const suites::TaskEntry*>& entries,
                                               const std::string& caption) {
    struct Option {
        suites::ParamType type;
        std::vector<std::string> choices;
        std::map<std::string, std::vector<std::string>> tasks_by_help;  // help -> tasks
        std::vector<std::string> help_order;
    };
    std::map<std::string, Option> options;
    std::vector<std::string> order;
    for (const suites::TaskEntry* entry : entries) {
        for (const auto& p : entry->params) {
            auto [it, fresh] = options.try_emplace(p.name);
            if (fresh) {
                it->second.type = p.type;
                order.push_back(p.name);
            }
            for (const auto& c : p.choices)
                if (std::find(it->second.choices.begin(), it->second.choices.end(), c) == it->second.choices.end())
                    it->second.choices.push_back(c);
            auto& tasks = it->second.tasks_by_help[p.help];
            if (tasks.empty()) it->second.help_order.push_back(p.help);
            tasks.push_back(entry->name);
        }
    }
    po::options_description description(caption);
    for (const auto& name : order) {
        const Option& o = options.at(name);
        std::string help;
        const bool shared = o.help_order.size() > 1;
        for (const auto& h : o.help_order) {
            if (!help.empty()) help += "; ";
            if (shared) {
                std::string tasks;
                for (const auto& t : o.tasks_by_help.at(h)) tasks += (tasks.empty() ? "" : ", ") + t;
                help += tasks + ": ";
            }
            help += h;
        }
        if (!o.choices.empty()) {
            std::string list;
            for (const auto& c : o.choices) list += (list.empty() ? "" : " | ") + c;
            help += " (" + list + ")";
        }
        const std::string option = option_name(name);
        if (o.type == suites::ParamType::count) {
            description.add_options()(option.c_str(), po::value<std::size_t>()->value_name(value_name(o.type)), help.c_str());
        } else if (o.type == suites::ParamType::number) {
            description.add_options()(option.c_str(), po::value<double>()->value_name(value_name(o.type)), help.c_str());
        } else {
            description.add_options()(option.c_str(), po::value<std::string>()->value_name(value_name(o.type)), help.c_str());
        }
    }
    return description;
}

nlohmann::json task_parameters(const po::variables_map& vm, const suites::TaskEntry& entry,
                               const std::vector<const suites::TaskEntry*>& offered, const std::string& command) {
    nlohmann::json params = nlohmann::json::object();
    std::set<std::string> own;
    for (const auto& p : entry.params) {
        own.insert(p.name);
        const std::string option = option_name(p.name);
        if (!vm.count(option)) continue;
        switch (p.type) {
            case suites::ParamType::count:
                params[p.name] = vm[option].as<std::size_t>();
                break;
            case suites::ParamType::number: {
                const double v = vm[option].as<double>();
                if (!(v >= 0.0) || !std::isfinite(v)) throw Error(ErrorKind::usage, command + ": --" + option + " must be a number >= 0");
                params[p.name] = v;
                break;
            }
            case suites::ParamType::counts:
                params[p.name] = count_list(command, option, vm[option].as<std::string>());
                break;
            case suites::ParamType::text:
                params[p.name] = vm[option].as<std::string>();
                break;
            case suites::ParamType::texts: {
                const auto items = split_commas(vm[option].as<std::string>());
                if (items.empty()) throw Error(ErrorKind::usage, command + ": --" + option + " needs a value");
                params[p.name] = items.size() == 1 ? nlohmann::json(items[0]) : nlohmann::json(items);
                break;
            }
            case suites::ParamType::map: {
                const auto& text = vm[option].as<std::string>();
                auto value = nlohmann::json::parse(text, nullptr, false);
                if (value.is_discarded() || !value.is_object()) {
                    throw Error(ErrorKind::usage, command + ": --" + option +
                                                      " takes a JSON object of texts, e.g. '{\"0\":\" negative\",\"1\":\" positive\"}', got '" +
                                                      text + "'");
                }
                params[p.name] = std::move(value);
                break;
            }
        }
    }
    for (const suites::TaskEntry* other : offered) {
        for (const auto& p : other->params) {
            if (own.count(p.name) == 0 && vm.count(option_name(p.name))) {
                throw Error(ErrorKind::usage, command + ": --" + option_name(p.name) + " does not apply to task " + entry.name);
            }
        }
    }
    return params;
}

}  // namespace hubbench::cli
