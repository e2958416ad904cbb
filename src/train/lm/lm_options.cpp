// LmOptions <-> JSON, validation and the learning-rate schedule (no libtorch).
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "train/lm/train_lm.hpp"

namespace sigil::train::lm {

nlohmann::json to_json(const LmOptions& o) {
    return {{"vocab", o.shape.vocab},
            {"d", o.shape.d},
            {"heads", o.shape.heads},
            {"layers", o.shape.layers},
            {"context", o.shape.context},
            {"batch", o.batch},
            {"steps", o.steps},
            {"warmup", o.warmup},
            {"lr", o.lr},
            {"minLrRatio", o.min_lr_ratio},
            {"weightDecay", o.weight_decay},
            {"clip", o.clip},
            {"seed", o.seed},
            {"threads", o.threads},
            {"corpus", o.corpus},
            {"limit", o.limit},
            {"evalEvery", o.eval_every},
            {"evalWindows", o.eval_windows},
            {"calibration", o.calibration}};
}

LmOptions lm_options_from_json(const nlohmann::json& j) {
    LmOptions o;
    const auto get = [&](const char* key, auto& field) {
        try {
            field = j.at(key).get<std::remove_reference_t<decltype(field)>>();
        } catch (const nlohmann::json::exception&) {
            throw std::invalid_argument(std::string("options field '") + key + "' is missing or has the wrong type");
        }
    };
    get("vocab", o.shape.vocab);
    get("d", o.shape.d);
    get("heads", o.shape.heads);
    get("layers", o.shape.layers);
    get("context", o.shape.context);
    get("batch", o.batch);
    get("steps", o.steps);
    get("warmup", o.warmup);
    get("lr", o.lr);
    get("minLrRatio", o.min_lr_ratio);
    get("weightDecay", o.weight_decay);
    get("clip", o.clip);
    get("seed", o.seed);
    get("threads", o.threads);
    get("corpus", o.corpus);
    get("limit", o.limit);
    get("evalEvery", o.eval_every);
    get("evalWindows", o.eval_windows);
    get("calibration", o.calibration);
    validate(o);
    return o;
}

void validate(const LmOptions& o) {
    const auto need = [](bool ok, const char* what) {
        if (!ok) throw std::invalid_argument(what);
    };
    need(o.shape.vocab >= 64 && o.shape.vocab <= 65536, "vocabulary size must be in [64, 65536]");
    need(o.shape.d > 0 && o.shape.heads > 0 && o.shape.d % o.shape.heads == 0,
         "d must be a positive multiple of heads");
    need(o.shape.layers > 0 && o.shape.layers <= 64, "layers must be in [1, 64]");
    need(o.shape.context >= 2 && o.shape.context <= 4096, "context must be in [2, 4096]");
    need(o.batch > 0 && o.steps > 0, "batch and steps must be positive");
    need(o.warmup < o.steps, "warmup must be shorter than the run");
    need(o.lr > 0 && o.lr < 1, "lr must be in (0, 1)");
    need(o.min_lr_ratio >= 0 && o.min_lr_ratio <= 1, "min lr ratio must be in [0, 1]");
    need(o.weight_decay >= 0 && o.clip > 0, "weight decay must be >= 0 and clip > 0");
    need(o.threads >= 1 && o.threads <= 256, "threads must be in [1, 256]");
    need(o.eval_every > 0 && o.eval_windows > 0 && o.calibration > 0, "eval and calibration counts must be positive");
}

double lm_learning_rate(const LmOptions& o, std::uint32_t step) noexcept {
    if (step < o.warmup) return o.lr * (step + 1) / (o.warmup + 1);
    const double t = static_cast<double>(step - o.warmup) / static_cast<double>(o.steps - o.warmup);
    const double lo = o.lr * o.min_lr_ratio;
    return lo + (o.lr - lo) * 0.5 * (1 + std::cos(std::numbers::pi * t));
}

nlohmann::json to_json(const LmReport& r) {
    nlohmann::json h = nlohmann::json::array();
    for (const LmPoint& p : r.history) {
        h.push_back({{"step", p.step},
                     {"lr", p.lr},
                     {"trainLoss", p.train_loss},
                     {"heldoutLoss", p.heldout_loss},
                     {"heldoutPerplexity", std::exp(p.heldout_loss)},
                     {"seconds", p.seconds}});
    }
    nlohmann::json j{{"kind", "sigil.lm.train.v1"},       {"arch", "gpt2"},
                     {"options", to_json(r.options)},     {"parameters", r.parameters},
                     {"stepsDone", r.steps_done},         {"complete", r.complete},
                     {"documents", r.documents},          {"trainTokens", r.train_tokens},
                     {"heldoutTokens", r.heldout_tokens}, {"skippedDocuments", r.skipped_documents},
                     {"vocabRoot", r.vocab_root},         {"history", h}};
    if (!r.history.empty()) {
        j["heldoutLoss"] = r.history.back().heldout_loss;
        j["heldoutPerplexity"] = std::exp(r.history.back().heldout_loss);
    }
    return j;
}

}  // namespace sigil::train::lm
