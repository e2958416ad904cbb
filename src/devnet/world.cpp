#include "devnet/world.hpp"

#include <sstream>

#include "bindings/model_registry.hpp"
#include "bindings/test_token.hpp"
#include "core/keccak.hpp"
#include "devnet/client.hpp"
#include "devnet/deployer.hpp"
#include "devnet/process.hpp"

namespace sigil::devnet {
namespace {

using abi::Value;

const u256 kEther = u256(1'000'000'000'000'000'000ULL);

Actor make_actor(Session& s, const std::string& label) {
    Actor a;
    a.label = label;
    const auto key = devnet_key(label);
    a.secret = key.secret();
    a.address = key.address();
    fund_eth(s, a.address, u256(1000) * kEther);
    return a;
}

void mint(Signer& owner, const Address& token, const Address& to, const u256& amount) {
    owner.send_values(token, bindings::test_token::fn::mint.signature, {Value::address(to), Value::uint(amount)});
}

Value shape_value(const std::vector<std::uint32_t>& shape) {
    std::vector<Value> v;
    for (auto d : shape) v.push_back(Value::uint(d, 32));
    return Value::array(std::move(v));
}

}  // namespace

chain::PrivateKey Actor::key() const {
    auto k = chain::PrivateKey::from_bytes(BytesView(secret.data(), secret.size()));
    if (!k) throw DevnetError("invalid key of " + label);
    return *k;
}

chain::PrivateKey devnet_key(std::string_view label) {
    const std::string text = "sigil-devnet/" + std::string(label);
    const Hash h = keccak256(as_bytes(text));
    auto key = chain::PrivateKey::from_bytes(BytesView(h.data(), h.size()));
    if (!key) throw DevnetError("key derivation for " + std::string(label) + " gave an invalid key");
    return *key;
}

void fund_eth(Session& s, const Address& who, const u256& wei) {
    auto r = s.rpc().call("anvil_setBalance", chain::Json::array({to_hex(who), to_hex_quantity(wei)}));
    if (!r) throw DevnetError("anvil_setBalance: " + describe_rpc_error(r.error()));
}

World build_world(Signer& owner, const Deployment& d, const WorldParams& params, std::vector<ModelFile> models) {
    Session& s = owner.session();
    World w;
    w.params = params;
    w.models = std::move(models);
    w.creator = make_actor(s, "creator");
    w.consumer = make_actor(s, "consumer");
    {
        Signer creator(s, w.creator.key());
        // Licensed (usable only in tokens it has a royalty in), so the royalty applies at once: a
        // royalty that a request could already be priced at rises only after ROYALTY_DELAY.
        for (const auto& m : w.models) {
            // Committed a block before (anvil mines one per transaction), as ModelRegistry requires.
            creator.send_values(d.model_registry, bindings::model_registry::fn::commitModel.signature,
                                {Value::bytes_n(model_registration_commitment(m.root, w.creator.address))});
            creator.send_values(d.model_registry, bindings::model_registry::fn::registerModel.signature,
                                {Value::bytes_n(m.root), Value::string("sigil://zoo/" + m.name),
                                 shape_value(m.input_shape), shape_value(m.output_shape), Value::boolean(true)});
            creator.send_values(d.model_registry, bindings::model_registry::fn::setRoyalty.signature,
                                {Value::bytes_n(m.root), Value::address(d.pay_token), Value::uint(params.royalty, 96)});
        }
    }
    std::vector<Service> services;
    for (const auto& m : w.models) services.push_back({m.root, d.pay_token, params.price});
    for (unsigned i = 0; i < params.operators; ++i) {
        OperatorInfo op;
        op.self = make_actor(s, "operator/" + std::to_string(i));
        op.self.stake = params.operator_stake;
        op.api_port = free_port();
        op.endpoint = "http://127.0.0.1:" + std::to_string(op.api_port);
        Signer signer(s, op.self.key());
        register_operator(signer, d, 0, "sigil://devnet/operator/" + std::to_string(i));
        mint(owner, d.stake_token, op.self.address, op.self.stake);
        deposit(signer, d, d.strategy, op.self.stake);
        allocate(signer, d, d.strategy, kWad);
        for (unsigned j = 0; j < params.delegators_per_operator; ++j) {
            Actor del = make_actor(s, "operator/" + std::to_string(i) + "/delegator/" + std::to_string(j));
            del.stake = params.delegator_stake * (j + 1);
            mint(owner, d.stake_token, del.address, del.stake);
            Signer ds(s, del.key());
            deposit(ds, d, d.strategy, del.stake);
            delegate(ds, d, op.self.address);
            op.delegators.push_back(std::move(del));
        }
        s.mine(1);  // the allocation (delay 0) takes effect from the next block
        register_for_sigil(signer, d, {op.endpoint, "local", 0, 8}, services);
        w.operators.push_back(std::move(op));
    }
    return w;
}

std::filesystem::path fresh_data_dir(const std::filesystem::path& node_dir) {
    const auto data = node_dir / "data";
    std::error_code ec;
    std::filesystem::remove_all(data, ec);
    if (ec) throw DevnetError("cannot empty " + data.string() + ": " + ec.message());
    std::filesystem::create_directories(data, ec);
    if (ec) throw DevnetError("cannot create " + data.string() + ": " + ec.message());
    return data;
}

std::string node_config(const Deployment& d, const World& w, const OperatorInfo& op,
                        const std::filesystem::path& data_dir) {
    std::ostringstream t;
    t << "# Node configuration written by `sigil devnet` for " << op.self.label << "\n"
      << "[chain]\n"
      << "rpc_url = \"" << d.rpc_url << "\"\n"
      << "chain_id = " << d.chain_id << "\n"
      << "confirmations = 0\n"
      << "poll_interval_ms = 200\n"
      << "start_block = " << d.deploy_block << "\n\n"
      << "[contracts]\n"
      << "coordinator = \"" << to_hex(d.coordinator) << "\"\n"
      << "operator_registry = \"" << to_hex(d.operator_registry) << "\"\n"
      << "model_registry = \"" << to_hex(d.model_registry) << "\"\n";
    if (d.dispute_game != Address{}) t << "dispute_game = \"" << to_hex(d.dispute_game) << "\"\n";
    if (d.generation_game != Address{}) t << "generation_game = \"" << to_hex(d.generation_game) << "\"\n";
    t << "\n"
      << "[operator]\n"
      << "private_key = \"" << to_hex(op.self.secret) << "\"\n\n"
      << "[node]\n"
      << "data_dir = \"" << data_dir.string() << "\"\n"
      << "workers = 1\n"
      << "max_pending = 64\n\n"
      << "[api]\n"
      << "listen = \"127.0.0.1:" << op.api_port << "\"\n"
      << "rate_limit_per_second = 100\n";
    for (const auto& m : w.models) {
        if (m.language_model) {
            t << "\n[[language_model]]\n"
              << "name = \"" << m.name << "\"\n"
              << "program = \"" << std::filesystem::absolute(m.path).string() << "\"\n"
              << "vocab = \"" << std::filesystem::absolute(m.vocab).string() << "\"\n"
              << "max_tokens = 64\n"
              << "[[language_model.price]]\n"
              << "token = \"" << to_hex(d.pay_token) << "\"\n"
              << "min = \"" << to_dec(w.params.price) << "\"\n";
            continue;
        }
        t << "\n[[model]]\n"
          << "program = \"" << std::filesystem::absolute(m.path).string() << "\"\n"
          << "root = \"" << to_hex(m.root) << "\"\n"
          << "[[model.price]]\n"
          << "token = \"" << to_hex(d.pay_token) << "\"\n"
          << "min = \"" << to_dec(w.params.price) << "\"\n";
    }
    return t.str();
}

}  // namespace sigil::devnet
