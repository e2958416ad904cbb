#include "train/torch/net.hpp"

#include <stdexcept>

#include "train/ops.hpp"

namespace sigil::train::detail {

torch::nn::Sequential build_net(const ModelSpec& spec) {
    torch::nn::Sequential net;
    for (const Layer& l : spec.layers) {
        switch (l.kind) {
            case Layer::Kind::conv:
                net->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(l.in, l.out, l.kernel).padding(l.pad)));
                break;
            case Layer::Kind::relu: net->push_back(torch::nn::ReLU()); break;
            case Layer::Kind::maxpool: net->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(l.kernel))); break;
            case Layer::Kind::flatten: net->push_back(torch::nn::Flatten()); break;
            case Layer::Kind::linear: net->push_back(torch::nn::Linear(l.in, l.out)); break;
        }
    }
    return net;
}

void load_params(torch::nn::Sequential& net, const FloatModel& model) {
    auto params = net->named_parameters();
    if (params.size() != model.params.size()) throw std::runtime_error("model has a different parameter count");
    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const FloatTensor& src = model.params[i];
        torch::Tensor dst = params[i].value();
        if (dst.sizes().vec() != src.shape) throw std::runtime_error("parameter " + src.name + " has a different shape");
        auto view = torch::from_blob(const_cast<float*>(src.data.data()), dst.sizes(), torch::kFloat32);
        dst.copy_(view);
    }
}

FloatModel extract(const ModelSpec& spec, torch::nn::Sequential& net) {
    FloatModel m;
    m.spec = spec;
    for (const auto& p : net->named_parameters()) {
        torch::Tensor t = p.value().detach().contiguous().to(torch::kFloat32);
        FloatTensor ft;
        ft.name = "layers." + p.key();
        ft.shape = t.sizes().vec();
        ft.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        m.params.push_back(std::move(ft));
    }
    return m;
}

torch::Tensor images_tensor(const data::Dataset& ds) {
    const auto n = static_cast<std::int64_t>(ds.size());
    if (n == 0) return torch::zeros({0, 1, ds.rows, ds.cols});
    auto bytes = torch::from_blob(const_cast<std::uint8_t*>(ds.pixels.data()),
                                  {n, 1, static_cast<std::int64_t>(ds.rows), static_cast<std::int64_t>(ds.cols)},
                                  torch::kUInt8);
    return bytes.to(torch::kFloat32).div_(255.0);
}

torch::Tensor labels_tensor(const data::Dataset& ds) {
    const auto n = static_cast<std::int64_t>(ds.size());
    if (n == 0) return torch::zeros({0}, torch::kInt64);
    return torch::from_blob(const_cast<std::uint8_t*>(ds.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
}

torch::Tensor predict_classes(torch::nn::Sequential& net, const torch::Tensor& images) {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> parts;
    constexpr std::int64_t kBatch = 1000;
    for (std::int64_t i = 0; i < images.size(0); i += kBatch) {
        parts.push_back(net->forward(images.slice(0, i, std::min(i + kBatch, images.size(0)))).argmax(1));
    }
    return parts.empty() ? torch::zeros({0}, torch::kInt64) : torch::cat(parts);
}

double accuracy(torch::nn::Sequential& net, const data::Dataset& ds) {
    if (ds.size() == 0) return 0;
    const auto pred = predict_classes(net, images_tensor(ds));
    const auto correct = pred.eq(labels_tensor(ds)).sum().item<std::int64_t>();
    return static_cast<double>(correct) / static_cast<double>(ds.size());
}

}  // namespace sigil::train::detail

namespace sigil::train {

std::vector<float> forward(const FloatModel& model, const std::vector<float>& inputs, std::size_t count, int threads) {
    torch::set_num_threads(threads);
    auto net = detail::build_net(model.spec);
    detail::load_params(net, model);
    const ModelSpec& s = model.spec;
    if (inputs.size() != count * s.channels * s.rows * s.cols) throw std::invalid_argument("input size mismatch");
    auto x = torch::from_blob(const_cast<float*>(inputs.data()),
                              {static_cast<std::int64_t>(count), s.channels, s.rows, s.cols}, torch::kFloat32);
    torch::NoGradGuard no_grad;
    auto y = net->forward(x).contiguous();
    return {y.data_ptr<float>(), y.data_ptr<float>() + y.numel()};
}

std::vector<std::uint8_t> predict(const FloatModel& model, const data::Dataset& ds, int threads) {
    torch::set_num_threads(threads);
    auto net = detail::build_net(model.spec);
    detail::load_params(net, model);
    const auto pred = detail::predict_classes(net, detail::images_tensor(ds)).to(torch::kUInt8).contiguous();
    return {pred.data_ptr<std::uint8_t>(), pred.data_ptr<std::uint8_t>() + pred.numel()};
}

}  // namespace sigil::train
