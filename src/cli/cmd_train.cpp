// `sigil train | finetune | distill | quantize | eval | export-onnx`: float model operations on
// Fashion-MNIST (src/train). Human-readable summaries by default, one JSON object with --json.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "core/ir/model_root.hpp"
#include "train/eval_record.hpp"
#include "train/onnx_export.hpp"
#include "train/ops.hpp"
#include "train/progress.hpp"
#include "train/quantize.hpp"

namespace sigil::cli {
namespace {

using train::TrainOptions;

/// Flags shared by the commands that train (train, finetune, distill).
struct TrainFlags {
    TrainOptions o;
    std::string checkpoint, onnx;
    bool resume = false, json = false, progress = false, no_progress = false;
    std::uint32_t stop_after = 0;
};

/// Adds an option that names one of `values` (by their stable strings) and stores it in `target`.
template <typename E>
void add_enum_option(CLI::App* cmd, const char* flag, E& target, std::initializer_list<E> values, const char* help) {
    std::vector<std::string> names;
    for (E v : values) names.emplace_back(train::to_string(v));
    std::vector<E> all(values);
    cmd->add_option_function<std::string>(
           flag,
           [&target, all](const std::string& s) {
               for (E v : all) {
                   if (train::to_string(v) == s) target = v;
               }
           },
           help)
        ->check(CLI::IsMember(names))
        ->default_str(std::string(train::to_string(target)));
}

void add_data_flags(CLI::App* cmd, train::DataOptions& d) {
    cmd->add_option("--data", d.dir, "directory of the Fashion-MNIST IDX .gz files")->capture_default_str();
    cmd->add_option("--validation", d.validation, "validation samples split off the train file")->capture_default_str();
    cmd->add_option("--split-seed", d.split_seed, "seed of the train/validation split")->capture_default_str();
    cmd->add_option("--subset", d.subset, "train on the first N samples only (0 = all)")->capture_default_str();
    cmd->add_option("--eval-limit", d.eval_limit, "evaluate on the first N samples only (0 = all)")->capture_default_str();
    cmd->add_option("--classes", d.classes, "keep classes 0..K-1 (5 trains a five-class model)")->capture_default_str();
    add_enum_option(cmd, "--shift", d.shift, {train::Shift::none, train::Shift::invert},
                    "input distribution: none or invert (255 - pixel)");
}

std::shared_ptr<TrainFlags> add_train_flags(CLI::App* cmd, train::Operation op) {
    auto f = std::make_shared<TrainFlags>();
    TrainOptions& o = f->o;
    o.op = op;
    if (op != train::Operation::finetune) {
        cmd->add_option("--arch", o.arch, "mlp, cnn, mlp:H1,H2,... or cnn:C1,C2,...:H")->capture_default_str();
    }
    cmd->add_option("--epochs", o.epochs, "epochs")->capture_default_str();
    cmd->add_option("--batch-size", o.batch_size, "batch size")->capture_default_str()->check(CLI::PositiveNumber);
    add_enum_option(cmd, "--optimizer", o.optimizer, {train::Optimizer::sgd, train::Optimizer::adam}, "sgd or adam");
    cmd->add_option("--lr", o.lr, "base learning rate")->capture_default_str();
    cmd->add_option("--momentum", o.momentum, "SGD momentum")->capture_default_str();
    cmd->add_option("--weight-decay", o.weight_decay, "L2 weight decay")->capture_default_str();
    add_enum_option(cmd, "--schedule", o.schedule,
                    {train::Schedule::constant, train::Schedule::step, train::Schedule::cosine},
                    "learning rate per epoch: constant, step or cosine");
    cmd->add_option("--step-size", o.step_size, "step schedule: epochs between decays")->capture_default_str();
    cmd->add_option("--gamma", o.gamma, "step schedule: decay factor")->capture_default_str();
    cmd->add_option("--seed", o.seed, "seed of weight init and batch order")->capture_default_str();
    cmd->add_option("--threads", o.threads, "libtorch threads (part of what makes a run reproducible)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    add_data_flags(cmd, o.data);
    cmd->add_option("--checkpoint", f->checkpoint, "checkpoint file, written after every epoch")->required();
    cmd->add_flag("--resume", f->resume, "continue the run stored in --checkpoint (its options win)");
    cmd->add_option("--stop-after", f->stop_after, "stop after N epochs in this invocation (resume later)");
    cmd->add_option("--onnx", f->onnx, "also export the final model to this ONNX file");
    cmd->add_flag("--json", f->json, "print a JSON summary on stdout");
    cmd->add_flag("--progress", f->progress, "draw the progress bar even when stderr is not a terminal");
    cmd->add_flag("--no-progress", f->no_progress, "never draw the progress bar");
    return f;
}

void print_summary(const train::TrainReport& r) {
    std::cout << train::to_string(r.options.op) << ' ' << r.model.spec.arch << ": " << r.parameters << " parameters, "
              << r.epochs_done << '/' << r.options.epochs << " epochs\n";
    for (const auto& e : r.history) {
        std::cout << "  epoch " << e.epoch << ": lr " << e.lr << " loss " << e.loss << " train " << e.train_accuracy
                  << " validation " << e.validation_accuracy << " (" << e.seconds << " s)\n";
    }
    if (r.accuracy_before) std::cout << "  test accuracy before: " << *r.accuracy_before << '\n';
    if (r.teacher_accuracy) {
        std::cout << "  teacher: " << *r.teacher_parameters << " parameters, test accuracy " << *r.teacher_accuracy
                  << '\n';
    }
    std::cout << "  test accuracy: " << r.test_accuracy << '\n';
}

void run_training(const TrainFlags& f) {
    train::RunControl control;
    control.checkpoint = f.checkpoint;
    control.resume = f.resume;
    control.stop_after = f.stop_after;
    train::ProgressBar bar(std::cerr, !f.no_progress && (f.progress || train::stderr_is_tty()));
    control.progress = [&bar](const train::Progress& p) { bar.update(p); };
    train::TrainReport r;
    try {
        r = train::run(f.o, control);
    } catch (const std::exception& e) {
        throw CliError(e.what());
    }
    bar.finish();
    if (!f.onnx.empty() && r.complete) train::write_onnx(r.model, f.onnx);
    if (f.json) {
        auto j = train::to_json(r);
        j["checkpoint"] = f.checkpoint;
        if (!f.onnx.empty() && r.complete) j["onnx"] = f.onnx;
        std::cout << j.dump(2) << '\n';
    } else {
        print_summary(r);
    }
}

void register_train_like(CLI::App& app, const char* name, const char* help, train::Operation op) {
    auto* cmd = app.add_subcommand(name, help);
    auto f = add_train_flags(cmd, op);
    if (op == train::Operation::finetune) {
        cmd->add_option("--from", f->o.init_from, "checkpoint of the model to adapt")->required();
    }
    if (op == train::Operation::distill) {
        cmd->add_option("--teacher", f->o.teacher, "checkpoint of the teacher")->required();
        cmd->add_option("--temperature", f->o.temperature, "softmax temperature T")->capture_default_str();
        cmd->add_option("--alpha", f->o.alpha, "weight of the distillation term")->capture_default_str();
    }
    cmd->callback([f] { run_training(*f); });
}

struct EvalFlags {
    std::string checkpoint, sigil, record, name, split = "test";
    train::DataOptions data;
    int threads = 1;
    bool json = false;
};

void run_eval(const EvalFlags& f) {
    try {
        if (f.checkpoint.empty() == f.sigil.empty()) throw CliError("give exactly one of --checkpoint and --sigil");
        train::DataOptions d = f.data;
        std::optional<train::FloatModel> model;
        std::optional<ir::Program> program;
        if (!f.checkpoint.empty()) {
            model = train::load_checkpoint_model(f.checkpoint);
            if (d.classes == 0) d.classes = model->spec.classes;
        } else {
            program = train::load_sigil(f.sigil);
            if (d.classes == 0) d.classes = 10;
        }
        const train::Splits splits = train::load_splits(d);
        const data::Dataset& ds = f.split == "validation" ? splits.validation : splits.test;
        const auto preds = model ? train::predict(*model, ds, f.threads) : train::predict_int8(*program, ds);
        const train::EvalResult r = train::score(ds, preds);
        train::ModelRef ref;
        if (model) {
            ref = {model->spec.arch, model->spec.arch, "float-weights", train::weights_root(*model),
                   train::parameter_count(model->spec)};
        } else {
            ref = {"int8", "", "sigil", ir::model_root(*program), train::program_parameters(*program)};
        }
        if (!f.name.empty()) ref.name = f.name;
        std::string dataset_name = "fashion-mnist/" + f.split;
        if (d.shift != train::Shift::none) dataset_name += "+" + std::string(train::to_string(d.shift));
        if (d.classes < 10) dataset_name += "/classes<" + std::to_string(d.classes);
        if (d.eval_limit != 0) dataset_name += "/first" + std::to_string(d.eval_limit);
        const auto record = train::eval_record(ref, dataset_name, r);
        if (!f.record.empty()) {
            std::ofstream out(f.record);
            out << record.dump(2) << '\n';
            if (!out) throw CliError("cannot write " + f.record);
        }
        if (f.json) {
            std::cout << record.dump(2) << '\n';
            return;
        }
        std::cout << ref.name << " on " << dataset_name << ": accuracy " << r.accuracy << " (" << r.correct << '/'
                  << r.samples << ")\n  per class:";
        for (double a : r.per_class) std::cout << ' ' << a;
        std::cout << "\n  confusion (rows: true class):\n";
        for (const auto& row : r.confusion) {
            std::cout << "   ";
            for (auto c : row) std::cout << ' ' << c;
            std::cout << '\n';
        }
        std::cout << "  datasetRoot " << to_hex(r.dataset_root) << "\n  predictionsRoot " << to_hex(r.predictions_root)
                  << '\n';
    } catch (const CliError&) {
        throw;
    } catch (const std::exception& e) {
        throw CliError(e.what());
    }
}

}  // namespace

void register_train_commands(CLI::App& app) {
    register_train_like(app, "train", "Train an MLP or CNN on Fashion-MNIST (float, libtorch)", train::Operation::train);
    register_train_like(app, "finetune", "Adapt a trained model: more classes (--classes) or a shifted input (--shift)",
                        train::Operation::finetune);
    register_train_like(app, "distill", "Train a smaller student from a teacher with a distillation loss",
                        train::Operation::distill);

    auto* eval = app.add_subcommand("eval", "Accuracy, per-class accuracy, confusion matrix and evaluation record");
    auto ef = std::make_shared<EvalFlags>();
    ef->data.classes = 0;
    eval->add_option("--checkpoint", ef->checkpoint, "checkpoint of a float model");
    eval->add_option("--sigil", ef->sigil, "a quantized .sigil program (int8)");
    add_data_flags(eval, ef->data);
    eval->add_option("--split", ef->split, "test or validation")->check(CLI::IsMember({"test", "validation"}));
    eval->add_option("--record", ef->record, "write the evaluation record JSON here");
    eval->add_option("--name", ef->name, "model name in the record (default: its architecture)");
    eval->add_option("--threads", ef->threads, "libtorch threads")->check(CLI::PositiveNumber);
    eval->add_flag("--json", ef->json, "print the evaluation record on stdout");
    eval->callback([ef] { run_eval(*ef); });

    auto* quant = app.add_subcommand("quantize", "Quantize a float ONNX model into a verifiable int8 .sigil program");
    auto qr = std::make_shared<train::QuantizeRequest>();
    auto qjson = std::make_shared<bool>(false);
    quant->add_option("--onnx", qr->onnx, "float model")->required();
    quant->add_option("--out", qr->output, "the .sigil program to write")->required();
    add_data_flags(quant, qr->data);
    quant->add_option("--calibration", qr->calibration, "calibration samples (first of the train split)")
        ->capture_default_str();
    quant->add_option("--holdout", qr->holdout, "held-out samples for the float-vs-int8 agreement (validation split)")
        ->capture_default_str();
    quant->add_option("--percentile", qr->percentile, "activation range percentile (100 = min/max)")->capture_default_str();
    quant->add_flag("--json", *qjson, "print a JSON summary");
    quant->callback([qr, qjson] {
        train::QuantizeReport r;
        try {
            r = train::quantize(*qr);
        } catch (const std::exception& e) {
            throw CliError(e.what());
        }
        auto j = train::to_json(r);
        j["output"] = qr->output.string();
        if (*qjson) {
            std::cout << j.dump(2) << '\n';
        } else {
            for (const auto& [k, v] : j.items()) std::cout << k << ": " << v.dump() << '\n';
        }
    });

    auto* exp = app.add_subcommand("export-onnx", "Export a checkpoint's model to ONNX (opset 13)");
    auto paths = std::make_shared<std::pair<std::string, std::string>>();
    exp->add_option("--checkpoint", paths->first, "checkpoint")->required();
    exp->add_option("--onnx", paths->second, "output ONNX file")->required();
    exp->callback([paths] {
        try {
            train::write_onnx(train::load_checkpoint_model(paths->first), paths->second);
        } catch (const std::exception& e) {
            throw CliError(e.what());
        }
    });
}

}  // namespace sigil::cli
