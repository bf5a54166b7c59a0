#include <iostream>

#include "cli/app.hpp"
#include "core/interrupt.hpp"

int main(int argc, char** argv) {
    hubbench::install_interrupt_handlers();
    hubbench::cli::Args args(argv + 1, argv + argc);
    try {
        int code = hubbench::cli::run_cli(args, std::cout);
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "hubbench: error: cannot write to standard output\n";
            return 1;
        }
        return code;
    } catch (...) {
        return hubbench::cli::report_error(std::cerr);
    }
}
