// hubbench report: render the stored results of one run, compared with a baseline run, as
// Markdown, CSV, JSON or a self-contained HTML page. Reads the database only (never creates it).
#include <cmath>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/log.hpp"
#include "reports/render.hpp"
#include "results/store.hpp"

namespace hubbench::cli {
namespace {

// "12", "latest", or a run's uuid (ids differ between merged shard databases; uuids do not).
std::optional<results::RunId> parse_run(const results::ResultStore& store, const std::string& option, const std::string& text) {
    if (text == "latest" && option == "run") return std::nullopt;
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 18) {
        return results::RunId{std::stoll(text)};
    }
    if (text.size() == 36) {
        for (const auto& r : store.runs()) {
            if (r.uuid == text) return r.id;
        }
        throw Error(ErrorKind::not_found, "no run with uuid " + text + " in " + store.path().string());
    }
    throw Error(ErrorKind::usage, "report: --" + option + " '" + text + "' is not a run id, a run uuid" +
                                      (option == "run" ? " or 'latest'" : ", 'previous' or 'none'"));
}

double parse_percent(const std::string& option, double value) {
    if (!std::isfinite(value) || value < 0) throw Error(ErrorKind::usage, "report: --" + option + " must be a percentage ≥ 0");
    return value / 100.0;
}

// --output report.html implies --format html when --format is not given.
std::optional<reports::Format> format_from_extension(const fs::path& output) {
    auto ext = output.extension().string();
    if (ext == ".htm") return reports::Format::html;
    if (ext.size() > 1) return reports::parse_format(ext.substr(1));
    return std::nullopt;
}

}  // namespace

int run_report(const Args& args, std::ostream& out) {
    po::options_description options("Report");
    options.add_options()
        ("db", po::value<std::string>()->default_value(results::default_database_path)->value_name("PATH"), "results database to read")
        ("run", po::value<std::string>()->default_value("latest")->value_name("ID"), "run id or uuid, or 'latest'")
        ("baseline", po::value<std::string>()->default_value("previous")->value_name("ID"),
         "run to compare with: an id or uuid, 'previous' (the last earlier run with the same label) or 'none'")
        ("label", po::value<std::string>()->value_name("L"), "choose the latest run labelled L (e.g. nightly)")
        ("night", po::value<std::string>()->value_name("ID"),
         "report a night (the runs sharing a night id: a nightly job's shards) as one run, against the previous night")
        ("last-night", "report the latest night (with --label: the latest so labelled)")
        ("format", po::value<std::string>()->value_name("FMT"), "md|csv|json|html (default: from --output's extension, else md)")
        ("output,o", po::value<std::string>()->value_name("FILE"), "write here (atomically) instead of stdout")
        ("threshold", po::value<double>()->default_value(1.0)->value_name("PCT"),
         "a quality change counts as a regression beyond this many percent (and two standard errors)")
        ("speed-threshold", po::value<double>()->default_value(5.0)->value_name("PCT"),
         "the same for speed and memory figures, which are noisier");
    auto vm = parse_command("report", args, options);
    if (vm.count("help")) {
        print_command_help(out, "report", "[--db PATH] [--run ID|latest | --night ID | --last-night] [--baseline ID|previous|none] [--format md|csv|json|html] [--output FILE]",
                           "Render the stored results of a run: encoders and decoders side by side, regressions since the\n"
                           "baseline run, and the results and candidates that failed and why.",
                           options);
        return 0;
    }

    std::optional<fs::path> output;
    if (vm.count("output")) output = fs::path(vm["output"].as<std::string>());
    std::optional<reports::Format> format;
    if (vm.count("format")) {
        const auto& name = vm["format"].as<std::string>();
        format = reports::parse_format(name);
        if (!format) throw Error(ErrorKind::usage, "report: --format '" + name + "' is not one of md, csv, json, html");
    } else if (output) {
        format = format_from_extension(*output);
    }

    reports::ReportSelection selection;
    selection.relative_tolerance = parse_percent("threshold", vm["threshold"].as<double>());
    selection.speed_relative_tolerance = parse_percent("speed-threshold", vm["speed-threshold"].as<double>());
    if (vm.count("label")) selection.label = vm["label"].as<std::string>();
    if (vm.count("night")) selection.night = vm["night"].as<std::string>();
    selection.last_night = vm.count("last-night") > 0;
    if (selection.night && selection.last_night) throw Error(ErrorKind::usage, "report: --night and --last-night exclude each other");
    if ((selection.night || selection.last_night) && !vm["run"].defaulted()) {
        throw Error(ErrorKind::usage, "report: --run and --night/--last-night exclude each other");
    }

    // Read-only: a missing file is an error, never a new empty database.
    const fs::path db = vm["db"].as<std::string>();
    if (!fs::exists(db)) {
        throw Error(ErrorKind::not_found, db.string() + ": no such results database (run `hubbench run` first, or pass --db PATH)");
    }
    auto store = results::ResultStore::open_for_reading(db);
    selection.run = parse_run(store, "run", vm["run"].as<std::string>());
    const auto& baseline = vm["baseline"].as<std::string>();
    if (baseline == "previous") {
        selection.baseline = reports::BaselineMode::previous;
    } else if (baseline == "none") {
        selection.baseline = reports::BaselineMode::none;
    } else {
        selection.baseline = reports::BaselineMode::explicit_run;
        selection.baseline_run = *parse_run(store, "baseline", baseline);
    }

    auto data = reports::build_report(store, selection);
    if (!data.night.empty()) log::info("report: night {} ({} runs)", data.night, data.runs.size());
    std::string text = reports::render(data, format.value_or(reports::Format::markdown));
    if (output) {
        write_file_atomic(*output, text);
        log::info("report: wrote {} ({} models, run {})", output->string(), data.models.size(), data.run.id.value);
    } else {
        out << text;
    }
    return 0;
}

}  // namespace hubbench::cli
