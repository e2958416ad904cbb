// `sigil abi encode|decode`, `sigil calldata`, `sigil sig`, `sigil sig-event`, `sigil decode-error`:
// the cast commands of the same purpose, with byte-identical output on valid input.

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/abi.hpp"
#include "core/bytes.hpp"

namespace sigil::cli {

namespace {

abi::Function function_or_throw(const std::string& sig) {
    auto fn = abi::parse_function(sig);
    if (!fn) throw CliError("invalid signature '" + sig + "': " + std::string(abi::to_string(fn.error())));
    return std::move(*fn);
}

Bytes hex_or_throw(const std::string& text, const char* what) {
    auto b = from_hex(text);
    if (!b) throw CliError(std::string("invalid ") + what + ": " + std::string(to_string(b.error())));
    return std::move(*b);
}

std::vector<abi::Value> args_or_throw(const std::vector<abi::Param>& params, const std::vector<std::string>& args) {
    if (params.size() != args.size()) {
        throw CliError("expected " + std::to_string(params.size()) + " arguments, got " + std::to_string(args.size()));
    }
    std::vector<abi::Value> out;
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto v = abi::parse_arg(params[i].type, args[i]);
        if (!v) {
            throw CliError("argument " + std::to_string(i + 1) + " ('" + args[i] + "') is not a valid " +
                           params[i].type.canonical() + ": " + std::string(abi::to_string(v.error())));
        }
        out.push_back(std::move(*v));
    }
    return out;
}

void print_values(const std::vector<abi::Value>& values, bool json) {
    if (json) {
        std::cout << abi::format_json(values) << '\n';
        return;
    }
    for (const abi::Value& v : values) std::cout << abi::format(v) << '\n';
}

std::vector<abi::Value> decode_or_throw(const std::vector<abi::Type>& types, BytesView data) {
    auto values = abi::decode(types, data, abi::DecodeMode::lenient);
    if (!values) throw CliError("could not decode data: " + std::string(abi::to_string(values.error())));
    return std::move(*values);
}

/// `<SIG> [ARGS]...` taken verbatim from the words after the subcommand: a CLI11 vector option
/// would split `[a,b]` into two values. Negative numbers need no `--` (it is accepted and dropped).
void add_call_words(CLI::App& cmd) {
    cmd.prefix_command();
    cmd.footer("Usage: <SIG> [ARGS]...\n"
               "SIG: function signature, e.g. 'transfer(address,uint256)'\n"
               "ARGS: one argument per input, in cast's syntax (1e18, -5, 0xab, [1,2], (1,\"a b\"), true)");
}

struct CallWords {
    std::string sig;
    std::vector<std::string> args;
};

CallWords call_words(const CLI::App& cmd) {
    std::vector<std::string> words = cmd.remaining();
    if (words.empty()) throw CliError("missing the function signature");
    CallWords out{words[0], {}};
    bool positional_only = false;
    for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (!positional_only && w == "--") {
            positional_only = true;
            continue;
        }
        if (!positional_only && w.size() > 1 && w[0] == '-' && !(w[1] >= '0' && w[1] <= '9')) {
            throw CliError("unknown option: " + w);
        }
        out.args.push_back(w);
    }
    return out;
}

void add_encode(CLI::App& abi_cmd) {
    auto* cmd = abi_cmd.add_subcommand("encode", "ABI-encode arguments of a signature (no selector), like cast abi-encode");
    add_call_words(*cmd);
    cmd->callback([cmd] {
        const CallWords w = call_words(*cmd);
        const abi::Function fn = function_or_throw(w.sig);
        std::cout << to_hex(abi::encode(fn.input_types(), args_or_throw(fn.inputs, w.args))) << '\n';
    });
}

void add_decode(CLI::App& abi_cmd) {
    struct Opts {
        std::string sig;
        std::string data;
        bool input = false;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = abi_cmd.add_subcommand("decode", "Decode ABI data: the outputs of 'f(in)(out)', like cast abi-decode");
    cmd->add_option("sig", o->sig, "signature, e.g. 'balanceOf(address)(uint256)'")->required();
    cmd->add_option("data", o->data, "0x-prefixed ABI data")->required();
    cmd->add_flag("-i,--input", o->input, "decode the inputs from calldata (selector optional), like cast calldata-decode");
    cmd->add_flag("-j,--json", o->json, "print the values as a JSON array");
    cmd->callback([o] {
        const abi::Function fn = function_or_throw(o->sig);
        const Bytes data = hex_or_throw(o->data, "data");
        if (!o->input) {
            print_values(decode_or_throw(fn.output_types(), data), o->json);
            return;
        }
        const auto sel = fn.selector();
        const bool has_selector = data.size() % 32 == 4 && std::equal(sel.begin(), sel.end(), data.begin());
        const BytesView body = has_selector ? BytesView(data).subspan(4) : BytesView(data);
        print_values(decode_or_throw(fn.input_types(), body), o->json);
    });
}

void add_calldata(CLI::App& app) {
    auto* cmd = app.add_subcommand("calldata", "ABI-encode a call (selector + arguments), like cast calldata");
    add_call_words(*cmd);
    cmd->callback([cmd] {
        const CallWords w = call_words(*cmd);
        const abi::Function fn = function_or_throw(w.sig);
        std::cout << to_hex(abi::encode_call(fn, args_or_throw(fn.inputs, w.args))) << '\n';
    });
}

void add_sig(CLI::App& app) {
    auto sig = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("sig", "4-byte selector of a function signature, like cast sig");
    cmd->add_option("signature", *sig, "e.g. 'transfer(address to, uint256 amount)'")->required();
    cmd->callback([sig] { std::cout << to_hex(function_or_throw(*sig).selector()) << '\n'; });

    auto ev_sig = std::make_shared<std::string>();
    auto* ev = app.add_subcommand("sig-event", "topic0 of an event signature, like cast sig-event");
    ev->add_option("signature", *ev_sig, "e.g. 'Transfer(address indexed from, address indexed to, uint256)'")
        ->required();
    ev->callback([ev_sig] {
        auto e = abi::parse_event(*ev_sig);
        if (!e) throw CliError("invalid event signature '" + *ev_sig + "': " + std::string(abi::to_string(e.error())));
        std::cout << to_hex(abi::topic0(*e)) << '\n';
    });
}

void add_decode_error(CLI::App& app) {
    struct Opts {
        std::string data;
        std::vector<std::string> sigs;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("decode-error",
                                   "Decode revert data: Error(string), Panic(uint256) or the given custom errors");
    cmd->add_option("data", o->data, "0x-prefixed revert data")->required();
    cmd->add_option("--sig,--error-sig", o->sigs, "custom error signature (repeatable)")->allow_extra_args(false);
    cmd->add_flag("-j,--json", o->json, "print the arguments as a JSON array");
    cmd->callback([o] {
        const Bytes data = hex_or_throw(o->data, "revert data");
        auto r = abi::decode_revert(data, o->sigs, abi::DecodeMode::lenient);
        if (!r) {
            std::string msg = "could not decode revert data: " + std::string(abi::to_string(r.error()));
            if (r.error() == abi::AbiError::unknown_error) msg += " (selector " + to_hex(BytesView(data).first(4)) + ")";
            throw CliError(msg);
        }
        // With the matching signature given, print like `cast decode-error --sig`; otherwise
        // describe the built-in error in one line.
        const bool given = std::any_of(o->sigs.begin(), o->sigs.end(), [&](const std::string& s) {
            auto fn = abi::parse_error(s);
            return fn && fn->selector() == r->error.selector();
        });
        if (o->json || given) {
            print_values(r->args, o->json);
        } else {
            std::cout << abi::describe(*r) << '\n';
        }
    });
}

}  // namespace

void register_abi_commands(CLI::App& app) {
    auto* abi_cmd = app.add_subcommand("abi", "ABI encoding and decoding");
    abi_cmd->require_subcommand(1);
    add_encode(*abi_cmd);
    add_decode(*abi_cmd);
    add_calldata(app);
    add_sig(app);
    add_decode_error(app);
}

}  // namespace sigil::cli
