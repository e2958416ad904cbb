#include "devnet/artifacts.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "chain/rpc_client.hpp"
#include "devnet/client.hpp"

namespace sigil::devnet {
namespace {

using chain::Json;

Json read_artifact(std::string_view name) {
    const auto path = contracts_dir() / "out" / (std::string(name) + ".sol") / (std::string(name) + ".json");
    std::ifstream in(path);
    if (!in) {
        throw DevnetError("no compiled artifact " + path.string() + " (run `forge build` in " +
                          contracts_dir().string() + ")");
    }
    std::stringstream text;
    text << in.rdbuf();
    auto doc = Json::parse(text.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw DevnetError("malformed artifact " + path.string());
    return doc;
}

}  // namespace

std::filesystem::path contracts_dir() {
    const char* env = std::getenv("SIGIL_CONTRACTS_DIR");
    if (env != nullptr && *env != '\0') return env;
    return std::filesystem::path(SIGIL_SOURCE_DIR) / "contracts";
}

Bytes creation_code(std::string_view name) {
    const Json doc = read_artifact(name);
    const Json* obj = doc.contains("bytecode") ? &doc["bytecode"] : nullptr;
    if (obj == nullptr || !obj->contains("object") || !(*obj)["object"].is_string()) {
        throw DevnetError("artifact of " + std::string(name) + " has no bytecode");
    }
    auto code = from_hex((*obj)["object"].get<std::string>());
    if (!code || code->empty()) throw DevnetError("artifact of " + std::string(name) + " has no bytecode");
    return *code;
}

std::vector<std::string> linked_libraries(std::string_view name) {
    const Json doc = read_artifact(name);
    std::set<std::string> out;
    const Json refs =
        doc.contains("bytecode") ? doc["bytecode"].value("linkReferences", Json::object()) : Json::object();
    for (const auto& [file, libs] : refs.items()) {
        for (const auto& [lib, places] : libs.items()) out.insert(lib);
    }
    return std::vector<std::string>(out.begin(), out.end());
}

void deploy_libraries(std::string_view name, const std::function<Address(const Bytes&)>& deploy,
                      std::vector<std::pair<std::string, Address>>& libraries) {
    for (const auto& lib : linked_libraries(name)) {
        bool have = false;
        for (const auto& l : libraries) have = have || l.first == lib;
        if (have) continue;
        deploy_libraries(lib, deploy, libraries);
        libraries.emplace_back(lib, deploy(linked_creation_code(lib, libraries)));
    }
}

Bytes linked_creation_code(std::string_view name, const std::vector<std::pair<std::string, Address>>& libraries) {
    const Json doc = read_artifact(name);
    const Json& obj = doc.contains("bytecode") ? doc["bytecode"] : Json::object();
    std::string text = obj.value("object", "");
    if (text.rfind("0x", 0) == 0) text = text.substr(2);
    const Json refs = obj.value("linkReferences", Json::object());
    for (const auto& [file, libs] : refs.items()) {
        for (const auto& [lib, places] : libs.items()) {
            const Address* at = nullptr;
            for (const auto& [n, a] : libraries) {
                if (n == lib) at = &a;
            }
            if (at == nullptr)
                throw DevnetError(std::string(name) + " links library " + lib + ", which is not deployed");
            std::string hex_addr = to_hex(*at);
            if (hex_addr.rfind("0x", 0) == 0) hex_addr = hex_addr.substr(2);
            for (const auto& place : places) {
                const auto start = place.value("start", std::size_t{0}) * 2;
                const auto length = place.value("length", std::size_t{0}) * 2;
                if (length != hex_addr.size() || start + length > text.size()) {
                    throw DevnetError("artifact of " + std::string(name) + ": bad link reference to " + lib);
                }
                text.replace(start, length, hex_addr);
            }
        }
    }
    auto code = from_hex(text);
    if (!code || code->empty()) throw DevnetError("artifact of " + std::string(name) + " has no linkable bytecode");
    return *code;
}

}  // namespace sigil::devnet
