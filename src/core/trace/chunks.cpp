#include "core/trace/chunks.hpp"

#include <algorithm>

#include "core/merkle_fold.hpp"

namespace sigil::trace {

Hash chunk_at(BytesView data, std::uint64_t index) noexcept {
    Hash h{};
    const auto begin = static_cast<std::size_t>(index * kChunkSize);
    const auto n = std::min<std::size_t>(kChunkSize, data.size() - begin);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(begin), n, h.begin());
    return h;
}

std::vector<Hash> chunk_leaves(BytesView data) {
    const auto n = chunk_count(data.size());
    std::vector<Hash> leaves(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) leaves[static_cast<std::size_t>(i)] = chunk_at(data, i);
    return leaves;
}

namespace {

/// One tree of tensor_roots still being folded: `count` nodes at `height`.
struct Tree {
    std::size_t tensor = 0;
    std::size_t count = 0;
    unsigned height = 1;
};

}  // namespace

std::vector<Hash> tensor_roots(std::span<const BytesView> tensors, KeccakPath path) {
    std::vector<Hash> roots(tensors.size());
    std::vector<Tree> trees;
    std::size_t total = 0;
    for (std::size_t t = 0; t < tensors.size(); ++t) {
        const std::uint64_t chunks = chunk_count(tensors[t].size());
        if (chunks == 0) continue;  // bytes32(0)
        if (chunks == 1) {          // the chunk itself
            roots[t] = chunk_at(tensors[t], 0);
            continue;
        }
        const auto parents = static_cast<std::size_t>((chunks + 1) / 2);
        trees.push_back({t, parents, 1});
        total += parents;
    }
    if (trees.empty()) return roots;

    // Level 1: a parent's message is 64 consecutive tensor bytes, hashed where they lie in runs of
    // whole permutations; each tensor's remainder and its zero-padded tail go to one shared batch.
    const std::size_t lanes = keccak_path_lanes(path);
    std::vector<Hash> nodes(total);
    Bytes rest;                      // remaining 64-byte messages of all tensors
    std::vector<std::size_t> where;  // their slots in `nodes`
    std::size_t offset = 0;
    for (const Tree& tree : trees) {
        const BytesView data = tensors[tree.tensor];
        const std::size_t whole = data.size() / 64;
        const std::size_t direct = whole / lanes * lanes;
        keccak256_64_batch(data.data(), bytes_of(nodes.data() + offset), direct, path);
        const std::size_t from = rest.size();
        rest.insert(rest.end(), data.begin() + static_cast<std::ptrdiff_t>(64 * direct), data.end());
        rest.resize(from + 64 * (tree.count - direct), 0);
        for (std::size_t i = direct; i < tree.count; ++i) where.push_back(offset + i);
        offset += tree.count;
    }
    keccak256_64_batch(rest.data(), rest.data(), where.size(), path);
    for (std::size_t i = 0; i < where.size(); ++i) std::copy_n(rest.begin() + static_cast<std::ptrdiff_t>(32 * i), 32, nodes[where[i]].begin());

    // Upper levels: every unfinished tree's nodes, each odd level completed with its zero
    // sibling, side by side in one message buffer per level.
    std::vector<Hash> msgs;
    while (!trees.empty()) {
        msgs.clear();
        std::size_t at = 0;
        std::size_t kept = 0;
        for (std::size_t i = 0; i < trees.size(); ++i) {
            const Tree tree = trees[i];  // a copy: trees[kept] may be this slot
            if (tree.count == 1) {
                roots[tree.tensor] = nodes[at];
            } else {
                msgs.insert(msgs.end(), nodes.begin() + static_cast<std::ptrdiff_t>(at),
                            nodes.begin() + static_cast<std::ptrdiff_t>(at + tree.count));
                if (tree.count % 2 == 1) msgs.push_back(zero_subtree_root(tree.height));
                trees[kept++] = {tree.tensor, (tree.count + 1) / 2, tree.height + 1};
            }
            at += tree.count;
        }
        trees.resize(kept);
        nodes.resize(msgs.size() / 2);
        keccak256_64_batch(bytes_of(msgs.data()), bytes_of(nodes.data()), nodes.size(), path);
    }
    return roots;
}

Hash tensor_root(BytesView data, KeccakPath path) { return tensor_roots(std::span<const BytesView>(&data, 1), path)[0]; }

Hash tensor_root(BytesView data) { return tensor_root(data, keccak_best_path()); }

}  // namespace sigil::trace
