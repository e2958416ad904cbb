#pragma once
/// The subword vocabulary of Sigil's language model, learned with SentencePiece (BPE) from the
/// training documents, and the token streams the model trains and is evaluated on.
///
/// Sigil serves a vocabulary as a JSON array of token texts (runtime/lm/vocab.hpp) and encodes a
/// prompt by greedy longest match, which the commitment and any verifier can reproduce without
/// SentencePiece. So the training text is encoded the same way: SentencePiece only chooses the
/// pieces; training, evaluation and serving all use the one deterministic encoder.
///
/// Token 0 is the unknown token (text "\u2047", never produced by the encoder), token 1 ends a
/// document (text "\n"), the rest are the learned pieces with SentencePiece's word-start mark
/// U+2581 written as a space. Text is taken as it is (identity normalization, no dummy prefix),
/// so a prompt "volcano:" encodes as in training.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "runtime/lm/vocab.hpp"

namespace sigil::train::lm {

inline constexpr std::uint32_t kUnknownToken = 0;
inline constexpr std::uint32_t kEndToken = 1;

/// Trains a BPE vocabulary of `size` tokens on `documents` (one thread, deterministic for the
/// same documents) and returns the token texts in id order. SentencePiece runs in `tool`
/// (`sigil-spm`, a process of its own), with its input and output files in `workdir`.
Result<std::vector<std::string>, std::string> learn_vocabulary(const std::vector<std::string>& documents,
                                                               std::uint32_t size, const std::filesystem::path& tool,
                                                               const std::filesystem::path& workdir);

/// `sigil-spm` beside the running executable.
std::filesystem::path default_spm_tool();

/// The documents encoded and concatenated, each followed by kEndToken. A document with a
/// character the vocabulary lacks is skipped and counted in `skipped`.
std::vector<std::uint32_t> encode_documents(const runtime::lm::Vocabulary& vocab,
                                            const std::vector<std::string>& documents, std::uint64_t* skipped);

}  // namespace sigil::train::lm
