#pragma once
/// Training text for Sigil's own language model: the glosses of Debian's WordNet (package
/// wordnet-base), one document per synset, "<first lemma>: <gloss>", for example
/// "volcano: a mountain formed by volcanic material".
///
/// The order is fixed (data.noun, data.verb, data.adj, data.adv, each in file order) and every
/// 20th document (index % 20 == 19) is held out, so the split depends on nothing but the files.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sigil::train::lm {

inline constexpr std::string_view kWordnetDefaultDir = "/usr/share/wordnet";
inline constexpr std::uint32_t kHeldOutEvery = 20;

/// The document of one line of a WordNet data file, or an empty string for the license header
/// (lines that start with two spaces). A line without the " | " gloss separator or without a
/// lemma is an error naming what is missing.
Result<std::string, std::string> wordnet_document(std::string_view line);

struct Corpus {
    std::vector<std::string> train, held_out;
    std::uint64_t bytes = 0;  ///< document bytes, both splits
};

/// Reads the four data files of `dir`. `limit` > 0 keeps only the first `limit` documents (for
/// tests). Errors name the file and line.
Result<Corpus, std::string> load_wordnet(const std::filesystem::path& dir, std::uint32_t limit = 0);

}  // namespace sigil::train::lm
