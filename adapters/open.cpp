#include "adapters/open.hpp"

#include "adapters/native/native_adapter.hpp"
#include "adapters/remote/openai_adapter.hpp"
#include "core/error.hpp"
#include "hub/cache.hpp"

namespace hubbench::adapters {

std::unique_ptr<Adapter> open_model(const std::string& spec, const OpenOptions& options) {
    if (spec.empty()) throw Error(ErrorKind::usage, "no model given (--model DIR or org/name)");
    if (is_remote_spec(spec)) {
        RemoteSpec remote = parse_remote_spec(spec);
        if (remote.api_key_env.empty()) remote.api_key_env = options.api_key_env;
        return open_remote(remote);
    }
    NativeOptions native;
    native.threads = options.threads;
    native.dtype = options.dtype;
    return open_native(hub::resolve_model_dir(spec), native);
}

}  // namespace hubbench::adapters
