#include <cmath>
#include <numbers>
#include <stdexcept>

#include "train/data/split.hpp"
#include "train/ops.hpp"

namespace sigil::train {

std::string_view to_string(Operation v) noexcept {
    switch (v) {
        case Operation::train: return "train";
        case Operation::finetune: return "finetune";
        case Operation::distill: return "distill";
    }
    return "unknown";
}
std::string_view to_string(Optimizer v) noexcept { return v == Optimizer::sgd ? "sgd" : "adam"; }
std::string_view to_string(Schedule v) noexcept {
    switch (v) {
        case Schedule::constant: return "constant";
        case Schedule::step: return "step";
        case Schedule::cosine: return "cosine";
    }
    return "unknown";
}
std::string_view to_string(Shift v) noexcept { return v == Shift::none ? "none" : "invert"; }

double learning_rate(const TrainOptions& o, std::uint32_t epoch) noexcept {
    switch (o.schedule) {
        case Schedule::constant: return o.lr;
        case Schedule::step: return o.lr * std::pow(o.gamma, static_cast<double>(epoch / std::max(o.step_size, 1U)));
        case Schedule::cosine:
            return o.lr * (1.0 + std::cos(std::numbers::pi * epoch / std::max(o.epochs, 1U))) / 2.0;
    }
    return o.lr;
}

namespace {

template <typename E, std::size_t N>
E parse_enum(const nlohmann::json& j, const char* field, const E (&values)[N]) {
    const std::string s = j.at(field).get<std::string>();
    for (E v : values) {
        if (to_string(v) == s) return v;
    }
    throw std::invalid_argument(std::string("bad ") + field + ": " + s);
}

}  // namespace

nlohmann::json to_json(const TrainOptions& o) {
    const DataOptions& d = o.data;
    return {
        {"op", to_string(o.op)}, {"arch", o.arch}, {"epochs", o.epochs}, {"batchSize", o.batch_size},
        {"optimizer", to_string(o.optimizer)}, {"lr", o.lr}, {"momentum", o.momentum},
        {"weightDecay", o.weight_decay}, {"schedule", to_string(o.schedule)}, {"stepSize", o.step_size},
        {"gamma", o.gamma}, {"seed", o.seed}, {"threads", o.threads}, {"initFrom", o.init_from},
        {"teacher", o.teacher}, {"temperature", o.temperature}, {"alpha", o.alpha},
        {"data",
         {{"dir", d.dir}, {"validation", d.validation}, {"splitSeed", d.split_seed}, {"subset", d.subset},
          {"evalLimit", d.eval_limit}, {"classes", d.classes}, {"shift", to_string(d.shift)}}},
    };
}

TrainOptions options_from_json(const nlohmann::json& j) {
    try {
        TrainOptions o;
        o.op = parse_enum(j, "op", {Operation::train, Operation::finetune, Operation::distill});
        o.arch = j.at("arch").get<std::string>();
        o.epochs = j.at("epochs").get<std::uint32_t>();
        o.batch_size = j.at("batchSize").get<std::uint32_t>();
        o.optimizer = parse_enum(j, "optimizer", {Optimizer::sgd, Optimizer::adam});
        o.lr = j.at("lr").get<double>();
        o.momentum = j.at("momentum").get<double>();
        o.weight_decay = j.at("weightDecay").get<double>();
        o.schedule = parse_enum(j, "schedule", {Schedule::constant, Schedule::step, Schedule::cosine});
        o.step_size = j.at("stepSize").get<std::uint32_t>();
        o.gamma = j.at("gamma").get<double>();
        o.seed = j.at("seed").get<std::uint64_t>();
        o.threads = j.at("threads").get<int>();
        o.init_from = j.at("initFrom").get<std::string>();
        o.teacher = j.at("teacher").get<std::string>();
        o.temperature = j.at("temperature").get<double>();
        o.alpha = j.at("alpha").get<double>();
        const auto& d = j.at("data");
        o.data.dir = d.at("dir").get<std::string>();
        o.data.validation = d.at("validation").get<std::uint32_t>();
        o.data.split_seed = d.at("splitSeed").get<std::uint64_t>();
        o.data.subset = d.at("subset").get<std::uint32_t>();
        o.data.eval_limit = d.at("evalLimit").get<std::uint32_t>();
        o.data.classes = d.at("classes").get<std::uint32_t>();
        o.data.shift = parse_enum(d, "shift", {Shift::none, Shift::invert});
        return o;
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("bad training options: ") + e.what());
    }
}

nlohmann::json to_json(const TrainReport& r) {
    nlohmann::json history = nlohmann::json::array();
    for (const EpochStats& e : r.history) {
        history.push_back({{"epoch", e.epoch}, {"lr", e.lr}, {"loss", e.loss}, {"trainAccuracy", e.train_accuracy},
                           {"validationAccuracy", e.validation_accuracy}, {"seconds", e.seconds}});
    }
    nlohmann::json j = {
        {"options", to_json(r.options)}, {"arch", r.model.spec.arch}, {"parameters", r.parameters},
        {"epochsDone", r.epochs_done}, {"complete", r.complete}, {"history", history},
        {"testAccuracy", r.test_accuracy}, {"weightsRoot", to_hex(weights_root(r.model))},
    };
    if (r.accuracy_before) j["accuracyBefore"] = *r.accuracy_before;
    if (r.teacher_parameters) j["teacherParameters"] = *r.teacher_parameters;
    if (r.teacher_accuracy) j["teacherAccuracy"] = *r.teacher_accuracy;
    return j;
}

namespace {

data::Dataset prepare(data::Dataset ds, const DataOptions& d, std::uint32_t limit) {
    if (d.classes < ds.classes) ds = data::restrict_classes(ds, d.classes);
    if (d.shift == Shift::invert) ds = data::invert(ds);
    if (limit != 0 && limit < ds.size()) {
        std::vector<std::uint32_t> first(limit);
        for (std::uint32_t i = 0; i < limit; ++i) first[i] = i;
        ds = data::select(ds, first);
    }
    return ds;
}

data::Dataset load(const std::string& dir, data::FashionSplit which) {
    auto r = data::load_fashion_mnist(dir, which);
    if (!r) throw std::runtime_error("cannot load Fashion-MNIST from " + dir + ": " + std::string(to_string(r.error())));
    return std::move(*r);
}

}  // namespace

Splits load_splits(const DataOptions& d) {
    const data::Dataset full = load(d.dir, data::FashionSplit::train);
    const auto n = static_cast<std::uint32_t>(full.size());
    if (d.validation >= n) throw std::invalid_argument("validation size must be below the train set size");
    const data::SplitIndices idx = data::split_indices(n, d.validation, 0, d.split_seed);
    Splits s;
    s.train = prepare(data::select(full, idx.train), d, d.subset);
    s.validation = prepare(data::select(full, idx.validation), d, d.eval_limit);
    s.test = prepare(load(d.dir, data::FashionSplit::test), d, d.eval_limit);
    return s;
}

}  // namespace sigil::train
