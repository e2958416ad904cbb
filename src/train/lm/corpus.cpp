// WordNet data files -> documents "<lemma>: <gloss>".
#include "train/lm/corpus.hpp"

#include <fstream>

namespace sigil::train::lm {

namespace {

/// The next space-separated field of `s` from `pos`, advancing `pos` past it.
std::string_view field(std::string_view s, std::size_t& pos) {
    while (pos < s.size() && s[pos] == ' ') ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] != ' ') ++pos;
    return s.substr(start, pos - start);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

Result<std::string, std::string> wordnet_document(std::string_view line) {
    if (line.empty() || line.starts_with("  ")) return std::string{};
    const std::size_t bar = line.find(" | ");
    if (bar == std::string_view::npos) return fail(std::string("no ' | ' before the gloss"));
    // synset_offset lex_filenum ss_type w_cnt word lex_id ...
    std::size_t pos = 0;
    const std::string_view offset = field(line, pos);
    field(line, pos);  // lex_filenum
    field(line, pos);  // ss_type
    const std::string_view count = field(line, pos);
    const std::string_view word = field(line, pos);
    if (offset.empty() || count.empty() || word.empty() || pos > bar) return fail(std::string("no lemma"));
    std::string lemma(word.substr(0, word.find('(')));  // adjectives carry markers: "long(a)"
    for (char& c : lemma) {
        if (c == '_') c = ' ';
    }
    const std::string_view gloss = trim(line.substr(bar + 3));
    if (lemma.empty()) return fail(std::string("no lemma"));
    if (gloss.empty()) return fail(std::string("empty gloss"));
    return lemma + ": " + std::string(gloss);
}

Result<Corpus, std::string> load_wordnet(const std::filesystem::path& dir, std::uint32_t limit) {
    Corpus c;
    std::uint64_t index = 0;
    for (const char* name : {"data.noun", "data.verb", "data.adj", "data.adv"}) {
        const auto path = dir / name;
        std::ifstream in(path, std::ios::binary);
        if (!in) return fail(path.string() + ": cannot read (is Debian's wordnet-base installed?)");
        std::string line;
        for (std::uint64_t n = 1; std::getline(in, line); ++n) {
            if (limit != 0 && index >= limit) return c;
            auto doc = wordnet_document(line);
            if (!doc) return fail(path.string() + ":" + std::to_string(n) + ": " + doc.error());
            if (doc->empty()) continue;
            c.bytes += doc->size();
            (index % kHeldOutEvery == kHeldOutEvery - 1 ? c.held_out : c.train).push_back(std::move(*doc));
            ++index;
        }
        if (in.bad()) return fail(path.string() + ": read error");
    }
    if (c.train.empty() || c.held_out.empty()) return fail(dir.string() + ": too few documents");
    return c;
}

}  // namespace sigil::train::lm
