#include "train/torch/archive.hpp"

#include <stdexcept>

namespace sigil::train::detail {

void save_archive(const std::filesystem::path& path, const std::vector<std::pair<std::string, c10::IValue>>& fields,
                  const torch::nn::Module& model, const torch::optim::Optimizer& optimizer) {
    torch::serialize::OutputArchive ar;
    for (const auto& [key, value] : fields) ar.write(key, value);
    torch::serialize::OutputArchive model_ar, opt_ar;
    model.save(model_ar);
    optimizer.save(opt_ar);
    ar.write("model", model_ar);
    ar.write("optimizer", opt_ar);
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    ar.save_to(tmp.string());
    std::filesystem::rename(tmp, path);
}

torch::serialize::InputArchive open_archive(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) throw std::runtime_error("no checkpoint at " + path.string());
    torch::serialize::InputArchive ar;
    try {
        ar.load_from(path.string());
    } catch (const c10::Error&) {
        throw std::runtime_error(path.string() + ": not a checkpoint");
    }
    return ar;
}

std::string read_string(torch::serialize::InputArchive& ar, const std::string& key, const std::filesystem::path& path) {
    c10::IValue v;
    try {
        ar.read(key, v);
    } catch (const c10::Error&) {
        throw std::runtime_error(path.string() + ": not a checkpoint of this kind (no " + key + ")");
    }
    if (!v.isString()) throw std::runtime_error(path.string() + ": checkpoint field " + key + " is not a string");
    return v.toStringRef();
}

}  // namespace sigil::train::detail
