// train, finetune and distill: one seeded loop over SplitMix64-ordered batches, with an
// atomically written checkpoint after every epoch that holds everything --resume needs.
#include <chrono>
#include <stdexcept>

#include "train/data/split.hpp"
#include "train/ops.hpp"
#include "train/torch/archive.hpp"
#include "train/torch/net.hpp"

namespace sigil::train {
namespace {

ModelSpec spec_of(const TrainOptions& o) {
    auto spec = parse_arch(o.arch, o.data.classes);
    if (!spec) throw std::invalid_argument("bad architecture '" + o.arch + "': " + std::string(to_string(spec.error())));
    return *spec;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o, torch::nn::Sequential& net) {
    if (o.optimizer == Optimizer::sgd) {
        return std::make_unique<torch::optim::SGD>(
            net->parameters(), torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
    }
    return std::make_unique<torch::optim::Adam>(net->parameters(),
                                                torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
}

/// The state of a run between epochs.
struct Session {
    TrainOptions options;
    ModelSpec spec;
    torch::nn::Sequential net{nullptr};
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::uint32_t epochs_done = 0;
    std::vector<EpochStats> history;
};

nlohmann::json history_json(const std::vector<EpochStats>& h) {
    nlohmann::json j = nlohmann::json::array();
    for (const EpochStats& e : h) {
        j.push_back({e.epoch, e.lr, e.loss, e.train_accuracy, e.validation_accuracy, e.seconds});
    }
    return j;
}

std::vector<EpochStats> history_from_json(const nlohmann::json& j) {
    std::vector<EpochStats> h;
    for (const auto& e : j) {
        h.push_back({e.at(0).get<std::uint32_t>(), e.at(1).get<double>(), e.at(2).get<double>(), e.at(3).get<double>(),
                     e.at(4).get<double>(), e.at(5).get<double>()});
    }
    return h;
}

void save_checkpoint(const std::filesystem::path& path, Session& s) {
    detail::save_archive(path,
                         {{"sigil.options", c10::IValue(to_json(s.options).dump())},
                          {"sigil.epochs_done", c10::IValue(static_cast<std::int64_t>(s.epochs_done))},
                          {"sigil.history", c10::IValue(history_json(s.history).dump())}},
                         *s.net, *s.optimizer);
}

Session resume_session(const std::filesystem::path& path) {
    auto ar = detail::open_archive(path);
    Session s;
    s.options = options_from_json(nlohmann::json::parse(detail::read_string(ar, "sigil.options", path)));
    s.history = history_from_json(nlohmann::json::parse(detail::read_string(ar, "sigil.history", path)));
    c10::IValue done;
    ar.read("sigil.epochs_done", done);
    s.epochs_done = static_cast<std::uint32_t>(done.toInt());
    s.spec = spec_of(s.options);
    s.net = detail::build_net(s.spec);
    torch::serialize::InputArchive model_ar, opt_ar;
    ar.read("model", model_ar);
    ar.read("optimizer", opt_ar);
    s.net->load(model_ar);
    s.optimizer = make_optimizer(s.options, s.net);
    s.optimizer->load(opt_ar);
    return s;
}

/// The starting model of a fine-tune: the init checkpoint's weights, with the output layer grown
/// (new rows from the seeded fresh init) when the target has more classes.
void apply_init(Session& s, const FloatModel& init) {
    FloatModel fresh = detail::extract(s.spec, s.net);
    if (fresh.params.size() != init.params.size()) throw std::runtime_error("init model has another architecture");
    for (std::size_t i = 0; i < fresh.params.size(); ++i) {
        FloatTensor& dst = fresh.params[i];
        const FloatTensor& src = init.params[i];
        const bool head = i + 2 >= fresh.params.size();
        if (!head && dst.shape != src.shape) throw std::runtime_error("init model has another architecture");
        if (head && (src.shape.empty() || src.shape[0] > dst.shape[0] ||
                     std::vector(src.shape.begin() + 1, src.shape.end()) != std::vector(dst.shape.begin() + 1, dst.shape.end()))) {
            throw std::runtime_error("init model's output layer cannot grow into the target's");
        }
        std::copy(src.data.begin(), src.data.end(), dst.data.begin());  // leading rows
    }
    detail::load_params(s.net, fresh);
}

Session fresh_session(const TrainOptions& o) {
    Session s;
    s.options = o;
    if (o.op == Operation::finetune) {
        if (o.init_from.empty()) throw std::invalid_argument("finetune needs a checkpoint to start from");
        s.options.arch = load_checkpoint_options(o.init_from).arch;
    }
    s.spec = spec_of(s.options);
    s.options.arch = s.spec.arch;
    torch::manual_seed(o.seed);
    s.net = detail::build_net(s.spec);
    if (o.op == Operation::finetune) apply_init(s, load_checkpoint_model(o.init_from));
    s.optimizer = make_optimizer(s.options, s.net);
    return s;
}

void set_lr(torch::optim::Optimizer& opt, double lr) {
    for (auto& group : opt.param_groups()) group.options().set_lr(lr);
}

/// Knowledge distillation loss (Hinton et al. 2015): alpha * T^2 * KL(softmax(t/T) || softmax(s/T))
/// + (1 - alpha) * cross-entropy(s, y).
torch::Tensor kd_loss(const torch::Tensor& student, const torch::Tensor& teacher, const torch::Tensor& labels,
                      double temperature, double alpha) {
    namespace F = torch::nn::functional;
    const auto log_p = F::log_softmax(student / temperature, F::LogSoftmaxFuncOptions(1));
    const auto q = F::softmax(teacher / temperature, F::SoftmaxFuncOptions(1));
    const auto kd = F::kl_div(log_p, q, F::KLDivFuncOptions().reduction(torch::kBatchMean));
    return alpha * temperature * temperature * kd + (1.0 - alpha) * F::cross_entropy(student, labels);
}

EpochStats run_epoch(Session& s, const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& teacher,
                     const ProgressFn& progress) {
    const TrainOptions& o = s.options;
    const std::uint32_t epoch = s.epochs_done;
    const auto start = std::chrono::steady_clock::now();
    EpochStats st;
    st.epoch = epoch + 1;
    st.lr = learning_rate(o, epoch);
    set_lr(*s.optimizer, st.lr);
    const auto n = static_cast<std::uint32_t>(x.size(0));
    const auto perm32 = data::permutation(n, data::derive_seed(o.seed, epoch));
    const auto perm = torch::tensor(std::vector<std::int64_t>(perm32.begin(), perm32.end()), torch::kInt64);
    const std::int64_t bs = std::max<std::uint32_t>(o.batch_size, 1);
    const std::uint64_t batches = (n + static_cast<std::uint64_t>(bs) - 1) / static_cast<std::uint64_t>(bs);
    s.net->train();
    double loss_sum = 0;
    std::int64_t correct = 0;
    for (std::uint64_t b = 0; b < batches; ++b) {
        const auto begin = static_cast<std::int64_t>(b) * bs;
        const auto idx = perm.slice(0, begin, std::min<std::int64_t>(begin + bs, n));
        const auto xb = x.index_select(0, idx);
        const auto yb = y.index_select(0, idx);
        s.optimizer->zero_grad();
        const auto logits = s.net->forward(xb);
        const auto loss = teacher.defined()
                              ? kd_loss(logits, teacher.index_select(0, idx), yb, o.temperature, o.alpha)
                              : torch::nn::functional::cross_entropy(logits, yb);
        loss.backward();
        s.optimizer->step();
        loss_sum += loss.item<double>() * static_cast<double>(idx.size(0));
        correct += logits.argmax(1).eq(yb).sum().item<std::int64_t>();
        if (progress) {
            progress({epoch + 1, o.epochs, b + 1, batches, loss_sum / static_cast<double>(begin + idx.size(0))});
        }
    }
    st.loss = n ? loss_sum / n : 0;
    st.train_accuracy = n ? static_cast<double>(correct) / n : 0;
    st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return st;
}

torch::Tensor teacher_logits(const FloatModel& teacher, const torch::Tensor& x) {
    auto net = detail::build_net(teacher.spec);
    detail::load_params(net, teacher);
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> parts;
    for (std::int64_t i = 0; i < x.size(0); i += 1000) parts.push_back(net->forward(x.slice(0, i, i + 1000)));
    return torch::cat(parts);
}

}  // namespace

TrainReport run(const TrainOptions& options, const RunControl& control) {
    if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
    Session s = control.resume ? resume_session(control.checkpoint) : fresh_session(options);
    const TrainOptions& o = s.options;
    torch::set_num_threads(o.threads);
    const Splits data = load_splits(o.data);
    if (data.train.size() == 0) throw std::invalid_argument("the training set is empty");
    const auto x = detail::images_tensor(data.train);
    const auto y = detail::labels_tensor(data.train);

    TrainReport report;
    torch::Tensor teacher;
    if (o.op == Operation::distill) {
        if (o.teacher.empty()) throw std::invalid_argument("distill needs a teacher checkpoint");
        const FloatModel t = load_checkpoint_model(o.teacher);
        if (t.spec.classes != s.spec.classes) throw std::invalid_argument("teacher and student differ in classes");
        teacher = teacher_logits(t, x);
        report.teacher_parameters = parameter_count(t.spec);
        auto tnet = detail::build_net(t.spec);
        detail::load_params(tnet, t);
        report.teacher_accuracy = detail::accuracy(tnet, data.test);
    }
    if (o.op == Operation::finetune) {
        const FloatModel init = load_checkpoint_model(o.init_from);
        auto inet = detail::build_net(init.spec);
        detail::load_params(inet, init);
        report.accuracy_before = detail::accuracy(inet, data.test);
    }

    std::uint32_t ran = 0;
    while (s.epochs_done < o.epochs && (control.stop_after == 0 || ran < control.stop_after)) {
        EpochStats st = run_epoch(s, x, y, teacher, control.progress);
        st.validation_accuracy = detail::accuracy(s.net, data.validation);
        s.history.push_back(st);
        ++s.epochs_done;
        ++ran;
        if (!control.checkpoint.empty()) save_checkpoint(control.checkpoint, s);
    }
    report.options = o;
    report.model = detail::extract(s.spec, s.net);
    report.parameters = parameter_count(s.spec);
    report.epochs_done = s.epochs_done;
    report.complete = s.epochs_done == o.epochs;
    report.history = s.history;
    report.test_accuracy = detail::accuracy(s.net, data.test);
    return report;
}

TrainOptions load_checkpoint_options(const std::filesystem::path& checkpoint) {
    auto ar = detail::open_archive(checkpoint);
    return options_from_json(nlohmann::json::parse(detail::read_string(ar, "sigil.options", checkpoint)));
}

FloatModel load_checkpoint_model(const std::filesystem::path& checkpoint) {
    auto ar = detail::open_archive(checkpoint);
    const TrainOptions o = options_from_json(nlohmann::json::parse(detail::read_string(ar, "sigil.options", checkpoint)));
    const ModelSpec spec = spec_of(o);
    auto net = detail::build_net(spec);
    torch::serialize::InputArchive model_ar;
    ar.read("model", model_ar);
    net->load(model_ar);
    return detail::extract(spec, net);
}

}  // namespace sigil::train
