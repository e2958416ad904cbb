// `sigil-spm DOCS VOCAB_SIZE OUT`: learns a BPE vocabulary with SentencePiece from DOCS (one
// document per line) and writes the token texts, in id order, as a JSON array to OUT
// (tokenizer.hpp says how pieces become texts).
//
// A process of its own: Debian's libsentencepiece carries its own copy of protobuf, which cannot
// share a process with the system protobuf that ONNX and libtorch load.
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "train/lm/tokenizer.hpp"

namespace {

/// `piece` with every U+2581 (e2 96 81) replaced by a space.
std::string piece_text(const std::string& piece) {
    static const std::string mark = "\xe2\x96\x81";
    std::string out;
    for (std::size_t i = 0; i < piece.size();) {
        if (piece.compare(i, mark.size(), mark) == 0) {
            out += ' ';
            i += mark.size();
        } else {
            out += piece[i++];
        }
    }
    return out;
}

int fail(const std::string& message) {
    std::cerr << "sigil-spm: " << message << '\n';
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    using sigil::train::lm::kEndToken;
    using sigil::train::lm::kUnknownToken;
    if (argc != 4) return fail("usage: sigil-spm DOCS VOCAB_SIZE OUT");
    const std::string docs = argv[1], size = argv[2], out = argv[3];
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), value);
    if (ec != std::errc() || end != size.data() + size.size() || value < 64)
        return fail("bad vocabulary size: " + size);
    const std::unordered_map<std::string, std::string> args{
        {"input", docs},
        {"model_type", "bpe"},
        {"vocab_size", size},
        {"character_coverage", "1.0"},
        {"normalization_rule_name", "identity"},
        {"add_dummy_prefix", "false"},
        {"remove_extra_whitespaces", "false"},
        {"split_digits", "true"},
        {"unk_id", std::to_string(kUnknownToken)},
        {"eos_id", std::to_string(kEndToken)},
        {"bos_id", "-1"},
        {"pad_id", "-1"},
        {"num_threads", "1"},
        {"minloglevel", "2"},
        {"max_sentence_length", "16384"},
    };
    std::string proto;
    const auto status = sentencepiece::SentencePieceTrainer::Train(args, nullptr, &proto);
    if (!status.ok()) return fail(status.ToString());
    sentencepiece::SentencePieceProcessor sp;
    const auto loaded = sp.LoadFromSerializedProto(proto);
    if (!loaded.ok()) return fail(loaded.ToString());
    nlohmann::json texts = nlohmann::json::array();
    for (int id = 0; id < sp.GetPieceSize(); ++id) {
        if (static_cast<std::uint32_t>(id) == kUnknownToken) {
            texts.push_back("\xe2\x81\x87");  // U+2047, as SentencePiece prints an unknown piece
        } else if (static_cast<std::uint32_t>(id) == kEndToken) {
            texts.push_back("\n");
        } else {
            texts.push_back(piece_text(sp.IdToPiece(id)));
        }
    }
    std::ofstream f(out, std::ios::binary);
    f << texts.dump() << '\n';
    if (!f) return fail("cannot write " + out);
    return 0;
}
