#pragma once
/// A language model's vocabulary: the text of every token id, committed by its root, with a
/// deterministic greedy longest-match encoder (docs/generation.md, "Vocabulary").

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::runtime::lm {

class Vocabulary {
public:
    /// From a JSON array of strings, token id = position. Errors name the problem ("entry 3 is
    /// not a string", "entry 7 is empty").
    static Result<Vocabulary, std::string> from_json(const std::string& text);

    std::size_t size() const { return tokens_.size(); }
    const std::string& text(std::uint32_t id) const { return tokens_.at(id); }
    /// merkle_root over keccak256(text of token i), i = 0 .. size-1.
    const Hash& root() const { return root_; }

    /// Token ids of `text`: at each position the longest token that matches (a duplicate string
    /// keeps its lowest id). Error naming the byte offset where no token matches.
    Result<std::vector<std::uint32_t>, std::string> encode(const std::string& text) const;
    /// The concatenated texts; ids outside the vocabulary are an error naming them.
    Result<std::string, std::string> decode(const std::vector<std::uint32_t>& ids) const;

private:
    std::vector<std::string> tokens_;
    std::map<std::string, std::uint32_t> ids_;
    std::size_t longest_ = 0;
    Hash root_{};
};

}  // namespace sigil::runtime::lm
