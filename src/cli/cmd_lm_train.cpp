// `sigil lm train` and `sigil lm eval` (in sigil-train, which links libtorch): Sigil's own
// language model trained on WordNet's glosses, and held-out perplexity of the float checkpoint
// against the int8 program imported from its ONNX export.
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/model_common.hpp"
#include "core/ir/model_root.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/onnx/tensor_io.hpp"
#include "runtime/quant/int_run.hpp"
#include "train/lm/train_lm.hpp"
#include "train/progress.hpp"

namespace sigil::cli {

namespace {

using nlohmann::json;

struct TrainLmArgs {
    train::lm::LmOptions o;
    std::string out;
    bool resume = false, no_progress = false, json = false;
    std::uint32_t stop_after = 0;
};

void run_train(const TrainLmArgs& a) {
    train::ProgressBar bar(std::cerr, !a.no_progress && train::stderr_is_tty());
    train::lm::LmControl c;
    c.out = a.out;
    c.resume = a.resume;
    c.stop_after = a.stop_after;
    c.progress = [&bar](const train::lm::LmProgress& p) { bar.update({1, 1, p.step, p.steps, p.loss}); };
    train::lm::LmReport r;
    try {
        r = train::lm::train_lm(a.o, c);
    } catch (const std::exception& e) {
        throw CliError(e.what());
    }
    bar.finish();
    const json j = train::lm::to_json(r);
    {
        std::ofstream f(std::filesystem::path(a.out) / "train.json");
        f << j.dump(2) << '\n';
        if (!f) throw CliError("cannot write " + a.out + "/train.json");
    }
    if (a.json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    std::cout << "parameters: " << r.parameters << "\nsteps: " << r.steps_done << "/" << r.options.steps
              << (r.complete ? "" : " (stopped; --resume continues)") << "\ntrain tokens: " << r.train_tokens
              << "\nheld-out tokens: " << r.heldout_tokens << "\nvocab root: " << r.vocab_root << '\n';
    if (!r.history.empty()) {
        std::cout << "held-out perplexity: " << std::exp(r.history.back().heldout_loss) << '\n';
    }
}

struct EvalLmArgs {
    std::string checkpoint, program, data;
    std::uint32_t windows = 0;
    unsigned threads = 1;
    bool json = false;
};

/// Natural-log softmax cross-entropy of row `logits` at `target`, and the row's argmax.
std::pair<double, std::uint32_t> nll(const float* logits, std::size_t vocab, std::int64_t target) {
    const float* top = std::max_element(logits, logits + vocab);
    double sum = 0;
    for (std::size_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(logits[i] - *top));
    const double lse = static_cast<double>(*top) + std::log(sum);
    return {lse - static_cast<double>(logits[target]), static_cast<std::uint32_t>(top - logits)};
}

void run_eval(const EvalLmArgs& a) {
    auto rows = runtime::read_tensor_file(a.data);
    if (!rows) throw CliError(rows.error().message());
    const runtime::Tensor& t = rows->tensor;
    if (t.dtype != runtime::DType::I64 || t.shape.size() != 2 || t.shape[1] < 2) {
        throw CliError(a.data + ": expected int64 [windows, context + 1] (heldout.npy of `sigil lm train`)");
    }
    auto window_len = static_cast<std::uint32_t>(t.shape[1]);
    std::vector<std::int64_t> ids = t.vec<std::int64_t>();
    std::size_t count = static_cast<std::size_t>(t.shape[0]);
    if (a.windows != 0 && a.windows < count) count = a.windows;
    ids.resize(count * window_len);

    train::lm::FloatScores f;
    try {
        f = train::lm::score_checkpoint(a.checkpoint, ids, window_len, static_cast<int>(a.threads));
    } catch (const std::exception& e) {
        throw CliError(e.what());
    }

    const ir::Program program = load_sigil(a.program);
    const std::uint32_t context = window_len - 1;
    if (program.inputs.size() != 1 || program.outputs.size() != 1)
        throw CliError(a.program + ": not a one-input LM program");
    const ir::Tensor& in = program.tensors[program.inputs[0]];
    const ir::Tensor& out = program.tensors[program.outputs[0]];
    if (in.dtype != ir::DType::int32 || in.shape != std::vector<std::uint32_t>{1, context} || out.shape.size() != 3 ||
        out.shape[1] != context) {
        throw CliError(a.program + ": expected token ids int32 [1, " + std::to_string(context) +
                       "] in and logits [1, " + std::to_string(context) + ", vocab] out");
    }
    const auto vocab = static_cast<std::size_t>(out.shape[2]);
    runtime::Executor exec(program, runtime::ExecOptions{a.threads, std::nullopt, false});
    double int8_sum = 0;
    std::uint64_t agree = 0;
    for (std::size_t w = 0; w < count; ++w) {
        const auto* row = ids.data() + w * window_len;
        const runtime::Tensor x = runtime::Tensor::i64({1, context}, std::vector<std::int64_t>(row, row + context));
        const std::vector<Bytes> input{runtime::quantize_input(x, in)};
        auto r = exec.run(input);
        if (!r) throw CliError(a.program + ": " + std::string(kernels::to_string(r.error())));
        const runtime::Tensor logits = runtime::dequantize(r->outputs[0], out);
        for (std::uint32_t i = 0; i < context; ++i) {
            const auto [loss, top] = nll(logits.f().data() + i * vocab, vocab, row[i + 1]);
            int8_sum += loss;
            agree += top == f.argmax[w * context + i];
        }
    }
    const double fl = f.loss_sum / static_cast<double>(f.tokens), il = int8_sum / static_cast<double>(f.tokens);
    const json j{{"windows", count},
                 {"tokens", f.tokens},
                 {"floatLoss", fl},
                 {"floatPerplexity", std::exp(fl)},
                 {"int8Loss", il},
                 {"int8Perplexity", std::exp(il)},
                 {"perplexityRatio", std::exp(il - fl)},
                 {"nextTokenAgreement", static_cast<double>(agree) / static_cast<double>(f.tokens)},
                 {"modelRoot", to_hex(ir::model_root(program))}};
    if (a.json) {
        std::cout << j.dump(2) << '\n';
        return;
    }
    for (const char* k : {"tokens", "floatPerplexity", "int8Perplexity", "perplexityRatio", "nextTokenAgreement"})
        std::cout << k << ": " << j[k].dump() << '\n';
}

}  // namespace

void register_train_lm_commands(CLI::App& app) {
    auto* lm = app.add_subcommand("lm", "Language models: train Sigil's own, evaluate float against int8");
    lm->require_subcommand(1);

    auto t = std::make_shared<TrainLmArgs>();
    auto* train = lm->add_subcommand("train", kTrainLmCommands[0].help);
    train->add_option("--out", t->out, "run directory (vocabulary, checkpoint, weights, windows)")->required();
    train->add_flag("--resume", t->resume, "continue from OUT/lm.ckpt with its stored options");
    train->add_option("--vocab-size", t->o.shape.vocab, "BPE vocabulary size")->capture_default_str();
    train->add_option("--d", t->o.shape.d, "model width")->capture_default_str();
    train->add_option("--heads", t->o.shape.heads, "attention heads")->capture_default_str();
    train->add_option("--layers", t->o.shape.layers, "transformer blocks")->capture_default_str();
    train->add_option("--context", t->o.shape.context, "context length in tokens")->capture_default_str();
    train->add_option("--batch-size", t->o.batch, "windows per step")->capture_default_str();
    train->add_option("--steps", t->o.steps, "optimizer steps")->capture_default_str();
    train->add_option("--warmup", t->o.warmup, "warm-up steps")->capture_default_str();
    train->add_option("--lr", t->o.lr, "peak learning rate (AdamW, cosine decay)")->capture_default_str();
    train->add_option("--weight-decay", t->o.weight_decay, "AdamW weight decay")->capture_default_str();
    train->add_option("--seed", t->o.seed, "seed of the weights and the batches")->capture_default_str();
    train->add_option("--threads", t->o.threads, "libtorch threads")->capture_default_str();
    train->add_option("--corpus", t->o.corpus, "WordNet data directory")->capture_default_str();
    train->add_option("--limit", t->o.limit, "use only the first N documents (0 = all)")->capture_default_str();
    train->add_option("--eval-every", t->o.eval_every, "steps between held-out evaluations")->capture_default_str();
    train->add_option("--eval-windows", t->o.eval_windows, "held-out windows")->capture_default_str();
    train->add_option("--calibration", t->o.calibration, "windows in calibration.npy")->capture_default_str();
    train->add_option("--stop-after", t->stop_after, "stop after N steps in this call (0 = run to the end)");
    train->add_flag("--no-progress", t->no_progress, "no progress bar");
    train->add_flag("--json", t->json, "print the report as JSON");
    train->callback([t] { run_train(*t); });

    auto e = std::make_shared<EvalLmArgs>();
    auto* eval = lm->add_subcommand("eval", kTrainLmCommands[1].help);
    eval->add_option("--checkpoint", e->checkpoint, "lm.ckpt of `sigil lm train`")->required();
    eval->add_option("--sigil", e->program, "the int8 program imported from the checkpoint's ONNX export")->required();
    eval->add_option("--data", e->data, "held-out windows, int64 [M, context + 1] (heldout.npy)")->required();
    eval->add_option("--windows", e->windows, "use only the first N windows (0 = all)");
    eval->add_option("--threads", e->threads, "threads")->capture_default_str()->check(CLI::Range(1, 256));
    eval->add_flag("--json", e->json, "print JSON");
    eval->callback([e] { run_eval(*e); });
}

}  // namespace sigil::cli
