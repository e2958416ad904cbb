#include "runtime/lm/vocab.hpp"

#include <nlohmann/json.hpp>

#include "core/keccak.hpp"
#include "core/merkle.hpp"

namespace sigil::runtime::lm {

Result<Vocabulary, std::string> Vocabulary::from_json(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array()) return fail(std::string("vocabulary: not a JSON array of strings"));
    if (j.empty()) return fail(std::string("vocabulary: empty"));
    Vocabulary v;
    std::vector<Hash> leaves;
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_string()) return fail("vocabulary: entry " + std::to_string(i) + " is not a string");
        std::string t = j[i].get<std::string>();
        if (t.empty()) return fail("vocabulary: entry " + std::to_string(i) + " is empty");
        leaves.push_back(keccak256(t));
        v.ids_.emplace(t, static_cast<std::uint32_t>(i));  // keeps the first id of a duplicate
        v.longest_ = std::max(v.longest_, t.size());
        v.tokens_.push_back(std::move(t));
    }
    v.root_ = merkle_root(leaves);
    return v;
}

Result<std::vector<std::uint32_t>, std::string> Vocabulary::encode(const std::string& text) const {
    std::vector<std::uint32_t> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        bool found = false;
        for (std::size_t len = std::min(longest_, text.size() - pos); len > 0 && !found; --len) {
            auto it = ids_.find(text.substr(pos, len));
            if (it == ids_.end()) continue;
            out.push_back(it->second);
            pos += len;
            found = true;
        }
        if (!found) return fail("no token matches the text at byte " + std::to_string(pos));
    }
    return out;
}

Result<std::string, std::string> Vocabulary::decode(const std::vector<std::uint32_t>& ids) const {
    std::string out;
    for (auto id : ids) {
        if (id >= tokens_.size()) return fail("token " + std::to_string(id) + " is outside the vocabulary");
        out += tokens_[id];
    }
    return out;
}

}  // namespace sigil::runtime::lm
