// The vocabulary learned by `sigil-spm` (a separate process) and greedy encoding of documents.
#include "train/lm/tokenizer.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace sigil::train::lm {

Result<std::vector<std::string>, std::string> learn_vocabulary(const std::vector<std::string>& documents,
                                                               std::uint32_t size, const std::filesystem::path& tool,
                                                               const std::filesystem::path& workdir) {
    if (size < 64) return fail(std::string("vocabulary size must be at least 64"));
    const auto docs = workdir / "tokenizer-documents.txt";
    const auto learned = workdir / "tokenizer-vocab.json";
    {
        std::ofstream f(docs, std::ios::binary);
        for (const std::string& d : documents) {
            if (d.find('\n') != std::string::npos) return fail(std::string("a document contains a line break"));
            f << d << '\n';
        }
        if (!f) return fail("cannot write " + docs.string());
    }
    const std::string size_arg = std::to_string(size);
    const pid_t pid = fork();
    if (pid < 0) return fail(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        const std::string t = tool.string(), d = docs.string(), l = learned.string();
        execl(t.c_str(), t.c_str(), d.c_str(), size_arg.c_str(), l.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::filesystem::remove(docs);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return fail(WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "cannot run " + tool.string()
                                                                    : tool.string() + " failed (its message is above)");
    }
    std::ifstream in(learned);
    std::vector<std::string> texts;
    try {
        texts = nlohmann::json::parse(in).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        return fail(learned.string() + ": not a JSON array of token texts");
    }
    std::filesystem::remove(learned);
    if (texts.size() != size) {
        return fail("the tokenizer learned " + std::to_string(texts.size()) + " tokens of " + std::to_string(size) +
                    " (too little text for this vocabulary)");
    }
    return texts;
}

std::vector<std::uint32_t> encode_documents(const runtime::lm::Vocabulary& vocab,
                                            const std::vector<std::string>& documents, std::uint64_t* skipped) {
    std::vector<std::uint32_t> out;
    std::uint64_t skip = 0;
    for (const std::string& d : documents) {
        auto ids = vocab.encode(d);
        if (!ids) {
            ++skip;
            continue;
        }
        out.insert(out.end(), ids->begin(), ids->end());
        out.push_back(kEndToken);
    }
    if (skipped != nullptr) *skipped = skip;
    return out;
}

std::filesystem::path default_spm_tool() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path("sigil-spm") : self.parent_path() / "sigil-spm";
}

}  // namespace sigil::train::lm
