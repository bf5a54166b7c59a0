// Prompt templates of the classification and multiple-choice tasks: text with placeholders such as
// {text}, {text_pair}, {context} and {mask}. A brace pair around a placeholder name is replaced; a
// name in braces that is not one of the task's placeholders is an error (a typo such as {txt} would
// otherwise reach the model as is); any other brace is literal text.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hubbench::suites {

class Template {
public:
    // `names` are the placeholders the task fills; `what` names the template in errors
    // ("classification: template"). Error(usage) for an unknown placeholder.
    static Template parse(std::string_view text, const std::vector<std::string>& names, const std::string& what);

    bool has(const std::string& name) const;
    // Error(usage) unless the template has the placeholder: "<what> needs {text}".
    void require(const std::string& name) const;
    // The text with every placeholder replaced; a placeholder missing from `values` stays empty.
    std::string fill(const std::map<std::string, std::string>& values) const;
    // fill() split at the single placeholder `at` (cloze: the text before and after {mask}).
    std::pair<std::string, std::string> fill_around(const std::string& at, const std::map<std::string, std::string>& values) const;

private:
    struct Part {
        std::string text;   // literal text, or the placeholder's name
        bool placeholder = false;
    };
    std::vector<Part> parts_;
    std::string what_;
};

}  // namespace hubbench::suites
