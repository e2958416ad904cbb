// sigil-abigen: writes the C++ binding header of one contract from its forge artifact.
//
//   sigil-abigen <artifact.json> <namespace> <output.hpp>
//
// The header holds, for every custom error, event and function of the contract's ABI, its name,
// its canonical signature and its selector (errors, functions) or topic (events), computed here
// with keccak256 and, for functions, checked against the artifact's own methodIdentifiers. A
// contract change that adds, removes or alters an error, event or function changes the header, so
// C++ that names a binding that is gone stops compiling.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/keccak.hpp"

namespace {

using nlohmann::json;

/// Canonical ABI type of one parameter: tuples written out as "(t1,t2,...)", array suffixes kept.
std::string canonical(const json& param) {
    const std::string type = param.at("type").get<std::string>();
    if (type.rfind("tuple", 0) != 0) return type;
    std::string inner;
    for (const auto& c : param.at("components")) {
        if (!inner.empty()) inner += ',';
        inner += canonical(c);
    }
    return "(" + inner + ")" + type.substr(5);
}

/// The parameters `params` as "t1,t2" (`named`: "t1 indexed a, t2 b", as an event declares them).
std::string param_list(const json& params, bool named) {
    std::string s;
    for (const auto& p : params) {
        if (!s.empty()) s += named ? ", " : ",";
        s += canonical(p);
        if (!named) continue;
        if (p.value("indexed", false)) s += " indexed";
        const std::string name = p.value("name", "");
        if (!name.empty()) s += " " + name;
    }
    return s;
}

std::string signature(const json& entry) {
    return entry.at("name").get<std::string>() + "(" + param_list(entry.at("inputs"), false) + ")";
}

std::string byte_list(sigil::BytesView b) {
    std::string s;
    for (std::size_t i = 0; i < b.size(); ++i) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%s0x%02x", i == 0 ? "" : ", ", b[i]);
        s += buf;
    }
    return s;
}

struct Entry {
    std::string name;
    std::string sig;
    sigil::Hash hash;
    std::string outputs = {};  ///< functions: the canonical tuple of the return values
    std::string declaration = {};  ///< events: with `indexed` and parameter names
    std::vector<std::string> args = {};  ///< events: parameter names in order
};

std::string declaration_of(const json& entry) {
    return entry.at("name").get<std::string>() + "(" + param_list(entry.at("inputs"), true) + ")";
}

std::string outputs_of(const json& entry) {
    return "(" + param_list(entry.value("outputs", json::array()), false) + ")";
}

void write_table(std::ostream& out, const char* type, const char* array, const std::vector<Entry>& v,
                 std::size_t bytes) {
    out << "inline constexpr std::array<" << type << ", " << v.size() << "> " << array << "{{\n";
    for (const auto& e : v) {
        out << "    {\"" << e.name << "\", \"" << e.sig << "\", {" << byte_list(sigil::BytesView(e.hash.data(), bytes))
            << "}";
        if (std::string(type) == "FunctionInfo") out << ", \"" << e.outputs << "\"";
        if (std::string(type) == "EventInfo") out << ", \"" << e.declaration << "\"";
        out << "},\n";
    }
    out << "}};\n\n";
}

/// An identifier usable in C++: the ABI name, with a trailing underscore when it is a keyword the
/// contracts use as a function name.
std::string ident(const std::string& name) {
    static const char* kReserved[] = {"delete", "new", "register", "default", "export", "operator"};
    for (const char* r : kReserved) {
        if (name == r) return name + "_";
    }
    return name;
}

Entry library_function(const json& ids, const std::string& name, const std::string& artifact_path) {
    std::optional<Entry> found;
    for (const auto& [sig, id] : ids.items()) {
        if (sig.rfind(name + "(", 0) != 0) continue;
        if (found) throw std::runtime_error(artifact_path + ": overloaded library function " + name);
        const auto bytes = sigil::from_hex(id.get<std::string>());
        if (!bytes || bytes->size() != 4) throw std::runtime_error(artifact_path + ": bad selector of " + sig);
        Entry e{name, sig, {}};
        std::copy(bytes->begin(), bytes->end(), e.hash.begin());
        found = e;
    }
    if (!found) throw std::runtime_error(artifact_path + ": no selector for function " + name);
    return *found;
}

int run(const std::string& artifact_path, const std::string& ns, const std::string& out_path) {
    std::ifstream in(artifact_path);
    if (!in) throw std::runtime_error("cannot read " + artifact_path + " (build the contracts first: forge build)");
    const json artifact = json::parse(in);
    const json& abi = artifact.at("abi");
    const json ids = artifact.value("methodIdentifiers", json::object());

    // Every struct the ABI passes, by its Solidity name, as its canonical tuple type.
    std::map<std::string, std::string> structs;
    std::map<std::string, std::vector<std::string>> fields;  // struct -> its field names in order
    const auto collect = [&](const auto& self, const json& params) -> void {
        for (const auto& p : params) {
            const std::string internal = p.value("internalType", "");
            if (internal.rfind("struct ", 0) == 0) {
                std::string name = internal.substr(7);
                name = name.substr(name.rfind('.') + 1);
                name = name.substr(0, name.find('['));
                std::string type = canonical(p);
                type = type.substr(0, type.rfind(')') + 1);
                structs.emplace(name, type);
                std::vector<std::string> names;
                for (const auto& c : p.at("components")) names.push_back(c.at("name").get<std::string>());
                fields.emplace(name, names);
            }
            if (p.contains("components")) self(self, p.at("components"));
        }
    };
    for (const auto& e : abi) {
        if (e.contains("inputs")) collect(collect, e.at("inputs"));
        if (e.contains("outputs")) collect(collect, e.at("outputs"));
    }

    std::string constructor = "constructor()";
    for (const auto& e : abi) {
        if (e.at("type").get<std::string>() != "constructor") continue;
        json c = e;
        c["name"] = "constructor";
        constructor = signature(c);
    }

    std::map<std::string, Entry> errors, events;
    std::map<std::string, std::vector<Entry>> functions;  // overloads share a name
    for (const auto& e : abi) {
        const std::string kind = e.at("type").get<std::string>();
        if (kind != "error" && kind != "event" && kind != "function") continue;
        Entry x{e.at("name").get<std::string>(), signature(e), sigil::keccak256(signature(e))};
        if (kind == "error") {
            errors.emplace(x.sig, x);
        } else if (kind == "event") {
            x.declaration = declaration_of(e);
            for (const auto& p : e.at("inputs")) x.args.push_back(p.value("name", ""));
            events.emplace(x.sig, x);
        } else {
            const std::string want = sigil::to_hex(sigil::BytesView(x.hash.data(), 4), false);
            if (!ids.contains(x.sig)) {
                // An external library function taking a struct is identified by the struct's name
                // (its selector is what DELEGATECALL uses): take the artifact's, matched by name.
                x = library_function(ids, x.name, artifact_path);
            } else if (ids.at(x.sig).get<std::string>() != want) {
                throw std::runtime_error(artifact_path + ": selector of " + x.sig + " is not the artifact's");
            }
            x.outputs = outputs_of(e);
            functions[x.name].push_back(x);
        }
    }

    std::ostringstream out;
    out << "// Generated by sigil-abigen from " << artifact_path.substr(artifact_path.rfind("/out/") + 1)
        << ". Do not edit.\n#pragma once\n\n#include <array>\n#include <cstddef>\n\n#include "
           "\"bindings/abi_tables.hpp\"\n\n"
        << "namespace sigil::bindings::" << ns << " {\n\n";
    std::vector<Entry> ev, er, fn;
    for (auto& [_, e] : errors) er.push_back(e);
    for (auto& [_, e] : events) ev.push_back(e);
    for (auto& [_, list] : functions) fn.insert(fn.end(), list.begin(), list.end());
    out << "/// The constructor's signature, as the deployer encodes its arguments.\n"
        << "inline constexpr char kConstructor[] = \"" << constructor << "\";\n\n";
    write_table(out, "ErrorInfo", "kErrors", er, 4);
    write_table(out, "EventInfo", "kEvents", ev, 32);
    write_table(out, "FunctionInfo", "kFunctions", fn, 4);

    out << "/// Each struct the contract's ABI passes, as its canonical tuple type.\nnamespace type {\n";
    for (const auto& [name, type] : structs) {
        out << "inline constexpr char " << ident(name) << "[] = \"" << type << "\";\n";
    }
    out << "}  // namespace type\n\n/// The position of each field of each struct in its tuple.\nnamespace field {\n";
    for (const auto& [name, names] : fields) {
        out << "namespace " << ident(name) << " {\n";
        for (std::size_t i = 0; i < names.size(); ++i) {
            out << "inline constexpr std::size_t " << ident(names[i]) << " = " << i << ";\n";
        }
        out << "}  // namespace " << ident(name) << "\n";
    }
    out << "}  // namespace field\n\n";
    out << "/// Each function by name (the first overload when a name is overloaded).\nnamespace fn {\n";
    for (const auto& [name, list] : functions) {
        std::size_t index = 0;
        for (const auto& f : fn) {
            if (f.sig == list.front().sig) break;
            ++index;
        }
        out << "inline constexpr const FunctionInfo& " << ident(name) << " = kFunctions[" << index << "];\n";
    }
    out << "}  // namespace fn\n\n/// Each event by name.\nnamespace event {\n";
    for (std::size_t i = 0; i < ev.size(); ++i) {
        out << "inline constexpr const EventInfo& " << ident(ev[i].name) << " = kEvents[" << i << "];\n";
    }
    out << "}  // namespace event\n\n/// The position of each parameter of each event in a decoded log (declaration "
           "order).\nnamespace arg {\n";
    for (const auto& e : ev) {
        out << "namespace " << ident(e.name) << " {\n";
        for (std::size_t i = 0; i < e.args.size(); ++i) {
            if (!e.args[i].empty()) out << "inline constexpr std::size_t " << ident(e.args[i]) << " = " << i << ";\n";
        }
        out << "}  // namespace " << ident(e.name) << "\n";
    }
    out << "}  // namespace arg\n\n/// Each custom error by name.\nnamespace error {\n";
    for (std::size_t i = 0; i < er.size(); ++i) {
        out << "inline constexpr const ErrorInfo& " << ident(er[i].name) << " = kErrors[" << i << "];\n";
    }
    out << "}  // namespace error\n\n}  // namespace sigil::bindings::" << ns << "\n";

    // Rewrite only on change, so an unchanged contract does not rebuild its users.
    const std::string text = out.str();
    {
        std::ifstream old(out_path);
        std::stringstream cur;
        cur << old.rdbuf();
        if (old && cur.str() == text) return 0;
    }
    std::ofstream o(out_path);
    o << text;
    if (!o) throw std::runtime_error("cannot write " + out_path);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: sigil-abigen <artifact.json> <namespace> <output.hpp>\n";
        return 2;
    }
    try {
        return run(argv[1], argv[2], argv[3]);
    } catch (const std::exception& e) {
        std::cerr << "sigil-abigen: " << e.what() << "\n";
        return 1;
    }
}
