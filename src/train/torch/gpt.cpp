// Sigil's language model in libtorch: the GPT-2 module, the seeded training loop with its
// checkpoint, the exported files (safetensors weights, config with a probe, calibration and
// held-out windows) and float scoring of a checkpoint.
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "core/bytes.hpp"
#include "runtime/lm/vocab.hpp"
#include "runtime/onnx/tensor_io.hpp"
#include "train/data/split.hpp"
#include "train/lm/tokenizer.hpp"
#include "train/lm/train_lm.hpp"
#include "train/torch/archive.hpp"

namespace sigil::train::lm {
namespace {

// --- the model --------------------------------------------------------------------------------
// Parameter names are PyTorch's state_dict names of the same model written in Python
// (src/train/tools/export_lm.py), so the weights load there by name.

struct BlockImpl : torch::nn::Module {
    explicit BlockImpl(const GptShape& s) : heads(s.heads) {
        const auto d = static_cast<std::int64_t>(s.d);
        ln_1 = register_module("ln_1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        c_attn = register_module("c_attn", torch::nn::Linear(d, 3 * d));
        c_proj = register_module("c_proj", torch::nn::Linear(d, d));
        ln_2 = register_module("ln_2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        c_fc = register_module("c_fc", torch::nn::Linear(d, 4 * d));
        mlp_proj = register_module("mlp_proj", torch::nn::Linear(4 * d, d));
    }

    torch::Tensor forward(torch::Tensor x, const torch::Tensor& future) {
        const auto b = x.size(0), t = x.size(1), c = x.size(2);
        const auto split = c_attn(ln_1(x)).split(c, 2);
        const auto head = [&](const torch::Tensor& y) { return y.view({b, t, heads, c / heads}).transpose(1, 2); };
        const torch::Tensor q = head(split[0]), k = head(split[1]), v = head(split[2]);
        auto att = torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(static_cast<double>(c / heads)));
        att = torch::softmax(att.masked_fill(future, -std::numeric_limits<float>::infinity()), -1);
        const auto y = torch::matmul(att, v).transpose(1, 2).contiguous().view({b, t, c});
        x = x + c_proj(y);
        return x + mlp_proj(torch::gelu(c_fc(ln_2(x)), "tanh"));
    }

    std::int64_t heads;
    torch::nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
    torch::nn::Linear c_attn{nullptr}, c_proj{nullptr}, c_fc{nullptr}, mlp_proj{nullptr};
};
TORCH_MODULE(Block);

struct GptImpl : torch::nn::Module {
    explicit GptImpl(const GptShape& s) {
        const auto d = static_cast<std::int64_t>(s.d);
        wte = register_module("wte", torch::nn::Embedding(s.vocab, d));
        wpe = register_module("wpe", torch::nn::Embedding(s.context, d));
        h = register_module("h", torch::nn::ModuleList());
        for (std::uint32_t i = 0; i < s.layers; ++i) h->push_back(Block(s));
        ln_f = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    }

    /// ids [B, T] -> logits [B, T, vocab]; the head is the token embedding (tied).
    torch::Tensor forward(const torch::Tensor& ids) {
        const auto t = ids.size(1);
        auto x = wte(ids) + wpe(torch::arange(t, torch::kLong));
        const auto future = torch::ones({t, t}, torch::kBool).triu(1);
        for (const auto& m : *h) x = m->as<BlockImpl>()->forward(x, future);
        return torch::matmul(ln_f(x), wte->weight.t());
    }

    torch::nn::Embedding wte{nullptr}, wpe{nullptr};
    torch::nn::ModuleList h{nullptr};
    torch::nn::LayerNorm ln_f{nullptr};
};
TORCH_MODULE(Gpt);

/// GPT-2's initialization: N(0, 0.02) matrices and embeddings, residual projections scaled by
/// 1/sqrt(2 * layers), zero biases, unit LayerNorm gains.
void init_weights(Gpt& m, const GptShape& s) {
    torch::NoGradGuard no_grad;
    const double residual = 0.02 / std::sqrt(2.0 * s.layers);
    for (auto& p : m->named_parameters()) {
        const std::string& name = p.key();
        torch::Tensor w = p.value();
        if (name.find("ln_") != std::string::npos) {
            (name.ends_with("weight") ? w.fill_(1.0) : w.zero_());
        } else if (name.ends_with("bias")) {
            w.zero_();
        } else if (name.ends_with("c_proj.weight") || name.ends_with("mlp_proj.weight")) {
            w.normal_(0.0, residual);
        } else {
            w.normal_(0.0, 0.02);
        }
    }
}

std::unique_ptr<torch::optim::AdamW> make_optimizer(const LmOptions& o, Gpt& m) {
    std::vector<torch::Tensor> decay, plain;
    for (auto& p : m->named_parameters()) (p.value().dim() >= 2 ? decay : plain).push_back(p.value());
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(o.lr).betas({0.9, 0.95}).weight_decay(o.weight_decay)));
    groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(o.lr).betas({0.9, 0.95}).weight_decay(0.0)));
    return std::make_unique<torch::optim::AdamW>(std::move(groups));
}

// --- data -------------------------------------------------------------------------------------

struct Streams {
    std::vector<std::string> vocab;
    std::vector<std::uint32_t> train, held_out;
    std::uint64_t documents = 0, skipped = 0;
    std::string vocab_root;
};

runtime::lm::Vocabulary vocabulary_of(const std::vector<std::string>& texts) {
    auto v = runtime::lm::Vocabulary::from_json(nlohmann::json(texts).dump());
    if (!v) throw std::runtime_error("learned vocabulary is unusable: " + v.error());
    return std::move(*v);
}

std::vector<std::string> read_vocab(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    try {
        return nlohmann::json::parse(in).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(path.string() + ": not a JSON array of token texts");
    }
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, path);
}

/// The corpus, its vocabulary (learned, or out/vocab.json when resuming) and both token streams.
Streams load_streams(const LmOptions& o, const std::filesystem::path& out, bool reuse_vocab,
                     const std::filesystem::path& spm_tool) {
    auto corpus = load_wordnet(o.corpus, o.limit);
    if (!corpus) throw std::runtime_error(corpus.error());
    Streams s;
    s.documents = corpus->train.size() + corpus->held_out.size();
    const auto vocab_path = out / "vocab.json";
    if (reuse_vocab) {
        s.vocab = read_vocab(vocab_path);
    } else {
        auto learned = learn_vocabulary(corpus->train, o.shape.vocab, spm_tool, out);
        if (!learned) throw std::runtime_error(learned.error());
        s.vocab = std::move(*learned);
        write_text(vocab_path, nlohmann::json(s.vocab).dump(1) + "\n");
    }
    if (s.vocab.size() != o.shape.vocab) {
        throw std::runtime_error(vocab_path.string() + ": " + std::to_string(s.vocab.size()) +
                                 " tokens, the options say " + std::to_string(o.shape.vocab) +
                                 " (the corpus may be too small for this vocabulary)");
    }
    const auto vocab = vocabulary_of(s.vocab);
    s.vocab_root = to_hex(vocab.root());
    std::uint64_t skipped_train = 0, skipped_held = 0;
    s.train = encode_documents(vocab, corpus->train, &skipped_train);
    s.held_out = encode_documents(vocab, corpus->held_out, &skipped_held);
    s.skipped = skipped_train + skipped_held;
    if (s.train.size() <= o.shape.context + 1 || s.held_out.size() <= o.shape.context + 1) {
        throw std::runtime_error("too little text for a context of " + std::to_string(o.shape.context) + " tokens");
    }
    return s;
}

/// Rows of `len` tokens starting at `starts`, as int64 [rows, len].
torch::Tensor windows(const std::vector<std::uint32_t>& tokens, const std::vector<std::uint64_t>& starts,
                      std::uint32_t len) {
    auto t = torch::empty({static_cast<std::int64_t>(starts.size()), static_cast<std::int64_t>(len)}, torch::kLong);
    auto a = t.accessor<std::int64_t, 2>();
    for (std::size_t r = 0; r < starts.size(); ++r) {
        for (std::uint32_t i = 0; i < len; ++i) a[static_cast<std::int64_t>(r)][i] = tokens[starts[r] + i];
    }
    return t;
}

/// The batch of `step`: row r starts at a SplitMix64 draw of the step's stream.
std::vector<std::uint64_t> batch_starts(const LmOptions& o, std::uint64_t stream, std::uint32_t rows,
                                        std::size_t tokens) {
    data::SplitMix64 rng(data::derive_seed(o.seed, stream));
    std::vector<std::uint64_t> starts(rows);
    for (auto& s : starts) s = rng.uniform(tokens - o.shape.context - 1);
    return starts;
}

/// Non-overlapping held-out windows of context + 1 tokens from the start (at most eval_windows).
std::vector<std::uint64_t> heldout_starts(const LmOptions& o, std::size_t tokens) {
    const std::uint64_t len = o.shape.context + 1;
    std::vector<std::uint64_t> starts;
    for (std::uint64_t s = 0; s + len <= tokens && starts.size() < o.eval_windows; s += len) starts.push_back(s);
    return starts;
}

using Reduction = torch::nn::functional::CrossEntropyFuncOptions::reduction_t;

/// Logits [B, T, V] of rows [B, T + 1]: the predictions for every position after the first.
torch::Tensor predict(Gpt& m, const torch::Tensor& rows) { return m->forward(rows.narrow(1, 0, rows.size(1) - 1)); }

/// Cross-entropy of `logits` (predict(m, rows)) against the tokens they predict.
torch::Tensor next_token_loss(const torch::Tensor& logits, const torch::Tensor& rows, Reduction reduction) {
    const auto targets = rows.narrow(1, 1, rows.size(1) - 1);
    return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(2)}), targets.reshape({-1}),
                                                torch::nn::functional::CrossEntropyFuncOptions().reduction(reduction));
}

torch::Tensor loss_of(Gpt& m, const torch::Tensor& rows, Reduction reduction) {
    return next_token_loss(predict(m, rows), rows, reduction);
}

double heldout_loss(Gpt& m, const torch::Tensor& rows) {
    torch::NoGradGuard no_grad;
    m->eval();
    double sum = 0;
    for (std::int64_t i = 0; i < rows.size(0); i += 16) {
        sum += loss_of(m, rows.narrow(0, i, std::min<std::int64_t>(16, rows.size(0) - i)), torch::kSum).item<double>();
    }
    m->train();
    return sum / static_cast<double>(rows.size(0) * (rows.size(1) - 1));
}

// --- checkpoint -------------------------------------------------------------------------------

struct Interval {
    double loss_sum = 0, seconds = 0;
    std::uint32_t steps = 0;
};

struct Session {
    LmOptions options;
    Gpt model{nullptr};
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::uint32_t steps_done = 0;
    std::vector<LmPoint> history;
    Interval interval;
};

nlohmann::json history_json(const Session& s) {
    nlohmann::json h = nlohmann::json::array();
    for (const LmPoint& p : s.history) h.push_back({p.step, p.lr, p.train_loss, p.heldout_loss, p.seconds});
    return {{"history", h}, {"interval", {s.interval.loss_sum, s.interval.seconds, s.interval.steps}}};
}

void save_checkpoint(const std::filesystem::path& path, Session& s) {
    detail::save_archive(path,
                         {{"sigil.lm.options", c10::IValue(to_json(s.options).dump())},
                          {"sigil.lm.steps_done", c10::IValue(static_cast<std::int64_t>(s.steps_done))},
                          {"sigil.lm.history", c10::IValue(history_json(s).dump())}},
                         *s.model, *s.optimizer);
}

/// Options and weights of a checkpoint; with `full`, also its optimizer state and history.
Session load_session(const std::filesystem::path& path, bool full) {
    auto ar = detail::open_archive(path);
    Session s;
    try {
        s.options = lm_options_from_json(nlohmann::json::parse(detail::read_string(ar, "sigil.lm.options", path)));
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(path.string() + ": options are not JSON");
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(path.string() + ": " + e.what());
    }
    s.model = Gpt(s.options.shape);
    torch::serialize::InputArchive model_ar;
    try {
        ar.read("model", model_ar);
        s.model->load(model_ar);
    } catch (const c10::Error&) {
        throw std::runtime_error(path.string() + ": weights do not match the stored shape");
    }
    if (!full) return s;
    c10::IValue done;
    ar.read("sigil.lm.steps_done", done);
    s.steps_done = static_cast<std::uint32_t>(done.toInt());
    const auto h = nlohmann::json::parse(detail::read_string(ar, "sigil.lm.history", path));
    for (const auto& p : h.at("history")) {
        s.history.push_back({p.at(0).get<std::uint32_t>(), p.at(1).get<double>(), p.at(2).get<double>(),
                             p.at(3).get<double>(), p.at(4).get<double>()});
    }
    const auto& iv = h.at("interval");
    s.interval = {iv.at(0).get<double>(), iv.at(1).get<double>(), iv.at(2).get<std::uint32_t>()};
    s.optimizer = make_optimizer(s.options, s.model);
    torch::serialize::InputArchive opt_ar;
    ar.read("optimizer", opt_ar);
    s.optimizer->load(opt_ar);
    return s;
}

// --- exported files ---------------------------------------------------------------------------

/// safetensors: u64 little-endian header length, a JSON header naming each tensor's dtype, shape
/// and byte range, padded with spaces to 8 bytes, then the little-endian float32 data.
void write_safetensors(const std::filesystem::path& path, Gpt& m, const nlohmann::json& metadata) {
    nlohmann::json header = nlohmann::json::object();
    std::string data;
    for (const auto& p : m->named_parameters()) {
        const torch::Tensor t = p.value().detach().contiguous().to(torch::kFloat32);
        const std::size_t begin = data.size();
        data.append(reinterpret_cast<const char*>(t.data_ptr<float>()), static_cast<std::size_t>(t.numel()) * 4);
        header[p.key()] = {{"dtype", "F32"}, {"shape", t.sizes().vec()}, {"data_offsets", {begin, data.size()}}};
    }
    header["__metadata__"] = metadata;
    std::string h = header.dump();
    while (h.size() % 8 != 0) h += ' ';
    std::string bytes(8, '\0');
    for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
    write_text(path, bytes + h + data);
}

void write_npy(const std::filesystem::path& path, const torch::Tensor& t, std::vector<std::int64_t> shape) {
    const auto c = t.contiguous();
    std::vector<std::int64_t> v(c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + c.numel());
    const auto bytes = runtime::serialize_npy(runtime::Tensor::i64(std::move(shape), std::move(v)));
    auto ok = runtime::write_file_bytes(path.string(), bytes);
    if (!ok) throw std::runtime_error(ok.error().message());
}

/// The files of a finished run; `held` is the held-out windows the run evaluated on.
void write_outputs(Session& s, const Streams& streams, const torch::Tensor& held, const std::filesystem::path& out) {
    const LmOptions& o = s.options;
    write_npy(out / "heldout.npy", held, {held.size(0), held.size(1)});
    const auto calib = windows(streams.train, batch_starts(o, ~std::uint64_t{0}, o.calibration, streams.train.size()),
                               o.shape.context);
    write_npy(out / "calibration.npy", calib, {calib.size(0), 1, calib.size(1)});

    torch::NoGradGuard no_grad;
    s.model->eval();
    const auto probe_ids = held.narrow(0, 0, 1).narrow(1, 0, o.shape.context);
    const auto logits = s.model->forward(probe_ids).select(1, o.shape.context - 1).reshape({-1}).contiguous();
    const std::vector<std::int64_t> ids(probe_ids.data_ptr<std::int64_t>(),
                                        probe_ids.data_ptr<std::int64_t>() + probe_ids.numel());
    const std::vector<float> last(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
    const nlohmann::json config{{"kind", "sigil.lm.config.v1"},
                                {"arch", "gpt2"},
                                {"vocab", o.shape.vocab},
                                {"d", o.shape.d},
                                {"heads", o.shape.heads},
                                {"layers", o.shape.layers},
                                {"context", o.shape.context},
                                {"vocabRoot", streams.vocab_root},
                                {"probe", {{"ids", ids}, {"lastLogits", last}}}};
    write_text(out / "lm.config.json", config.dump() + "\n");
    write_safetensors(out / "lm.safetensors", s.model, {{"format", "pt"}, {"arch", "gpt2"}});
    s.model->train();
}

}  // namespace

LmReport train_lm(const LmOptions& options, const LmControl& control) {
    if (control.out.empty()) throw std::invalid_argument("no output directory");
    std::filesystem::create_directories(control.out);
    const auto ckpt = control.out / "lm.ckpt";
    Session s;
    if (control.resume) {
        s = load_session(ckpt, true);
    } else {
        validate(options);
        if (std::filesystem::exists(ckpt)) {
            throw std::runtime_error(ckpt.string() + " exists: --resume continues that run; remove it to start over");
        }
        s.options = options;
        torch::manual_seed(options.seed);
        s.model = Gpt(options.shape);
        init_weights(s.model, options.shape);
        s.optimizer = make_optimizer(options, s.model);
    }
    const LmOptions& o = s.options;
    torch::set_num_threads(o.threads);
    const Streams streams =
        load_streams(o, control.out, control.resume, control.spm_tool.empty() ? default_spm_tool() : control.spm_tool);
    const auto held = windows(streams.held_out, heldout_starts(o, streams.held_out.size()), o.shape.context + 1);

    std::uint32_t ran = 0;
    s.model->train();
    while (s.steps_done < o.steps && (control.stop_after == 0 || ran < control.stop_after)) {
        const auto t0 = std::chrono::steady_clock::now();
        const double lr = lm_learning_rate(o, s.steps_done);
        for (auto& g : s.optimizer->param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        const auto rows =
            windows(streams.train, batch_starts(o, s.steps_done, o.batch, streams.train.size()), o.shape.context + 1);
        s.optimizer->zero_grad();
        const auto loss = loss_of(s.model, rows, torch::kMean);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(s.model->parameters(), o.clip);
        s.optimizer->step();
        ++s.steps_done;
        ++ran;
        s.interval.loss_sum += loss.item<double>();
        ++s.interval.steps;
        s.interval.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (control.progress) control.progress({s.steps_done, o.steps, s.interval.loss_sum / s.interval.steps});
        if (s.steps_done % o.eval_every == 0 || s.steps_done == o.steps) {
            s.history.push_back({s.steps_done, lr, s.interval.loss_sum / s.interval.steps, heldout_loss(s.model, held),
                                 s.interval.seconds});
            s.interval = {};
            save_checkpoint(ckpt, s);
        }
    }
    if (s.steps_done % o.eval_every != 0 && s.steps_done < o.steps) save_checkpoint(ckpt, s);
    LmReport r;
    r.options = o;
    for (const auto& p : s.model->parameters()) r.parameters += static_cast<std::uint64_t>(p.numel());
    r.steps_done = s.steps_done;
    r.complete = s.steps_done == o.steps;
    r.history = s.history;
    r.documents = streams.documents;
    r.train_tokens = streams.train.size();
    r.heldout_tokens = streams.held_out.size();
    r.skipped_documents = streams.skipped;
    r.vocab_root = streams.vocab_root;
    if (r.complete) write_outputs(s, streams, held, control.out);
    return r;
}

FloatScores score_checkpoint(const std::filesystem::path& checkpoint, const std::vector<std::int64_t>& rows,
                             std::uint32_t window_len, int threads) {
    Session s = load_session(checkpoint, false);
    const auto& shape = s.options.shape;
    if (window_len != shape.context + 1) {
        throw std::runtime_error("windows of " + std::to_string(window_len) + " tokens; the model's context is " +
                                 std::to_string(shape.context) + " (windows of context + 1)");
    }
    if (rows.empty() || rows.size() % window_len != 0) throw std::runtime_error("no whole windows");
    for (const auto id : rows) {
        if (id < 0 || id >= shape.vocab)
            throw std::runtime_error("token id " + std::to_string(id) + " is outside the vocabulary");
    }
    torch::set_num_threads(threads);
    torch::NoGradGuard no_grad;
    s.model->eval();
    const auto all = torch::from_blob(const_cast<std::int64_t*>(rows.data()),
                                      {static_cast<std::int64_t>(rows.size() / window_len), window_len}, torch::kLong);
    FloatScores out;
    for (std::int64_t i = 0; i < all.size(0); i += 16) {
        const auto chunk = all.narrow(0, i, std::min<std::int64_t>(16, all.size(0) - i));
        const auto logits = predict(s.model, chunk);
        out.loss_sum += next_token_loss(logits, chunk, torch::kSum).item<double>();
        const auto am = logits.argmax(2).reshape({-1}).contiguous();
        for (std::int64_t k = 0; k < am.numel(); ++k)
            out.argmax.push_back(static_cast<std::uint32_t>(am.data_ptr<std::int64_t>()[k]));
    }
    out.tokens = static_cast<std::uint64_t>(all.size(0)) * (window_len - 1);
    return out;
}

}  // namespace sigil::train::lm
