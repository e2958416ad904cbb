#include "node/store.hpp"

#include <sqlite3.h>

#include <functional>

namespace sigil::node {

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
  id BLOB PRIMARY KEY, state TEXT NOT NULL, reason TEXT NOT NULL, job_abi BLOB NOT NULL, input BLOB NOT NULL,
  consumer BLOB NOT NULL, model_root BLOB NOT NULL, k INTEGER NOT NULL, after_window INTEGER NOT NULL,
  created_at INTEGER NOT NULL, deadline INTEGER NOT NULL, commit_end INTEGER NOT NULL, block_number INTEGER NOT NULL,
  seen_ms INTEGER NOT NULL, output BLOB NOT NULL, output_root BLOB NOT NULL, trace_root BLOB NOT NULL,
  steps INTEGER NOT NULL, input_root BLOB NOT NULL, salt BLOB, seat INTEGER NOT NULL, tx_hash BLOB,
  final_at INTEGER NOT NULL, attempts INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL, done_ms INTEGER NOT NULL,
  gas_used INTEGER NOT NULL, run_us INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
CREATE TABLE IF NOT EXISTS offchain (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
)";

constexpr const char* kJobColumns =
    "id, state, reason, job_abi, input, consumer, model_root, k, after_window, created_at, deadline, commit_end, "
    "block_number, seen_ms, output, output_root, trace_root, steps, input_root, salt, seat, tx_hash, final_at, "
    "attempts, next_attempt_ms, done_ms, gas_used, run_us";

/// A prepared statement, finalized on scope exit.
class Stmt {
public:
    Stmt(sqlite3* db, const std::string& sql) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) != SQLITE_OK) s_ = nullptr;
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    bool ok() const { return s_ != nullptr; }
    int idx_ = 0;

    void blob(BytesView b) {
        // An empty span may have a null data pointer, which SQLite binds as NULL (refused by the
        // NOT NULL columns); bind an empty blob instead.
        if (b.empty()) {
            sqlite3_bind_zeroblob(s_, ++idx_, 0);
            return;
        }
        sqlite3_bind_blob(s_, ++idx_, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
    }
    template <std::size_t N>
    void blob(const FixedBytes<N>& b) { blob(BytesView(b.data(), N)); }
    void null() { sqlite3_bind_null(s_, ++idx_); }
    void text(const std::string& t) { sqlite3_bind_text(s_, ++idx_, t.c_str(), static_cast<int>(t.size()), SQLITE_TRANSIENT); }
    void i64(std::int64_t v) { sqlite3_bind_int64(s_, ++idx_, v); }
    void u64(std::uint64_t v) { i64(static_cast<std::int64_t>(v)); }
    int step() { return sqlite3_step(s_); }

    Bytes col_blob(int c) const {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
        const int n = sqlite3_column_bytes(s_, c);
        return p == nullptr ? Bytes{} : Bytes(p, p + n);
    }
    template <std::size_t N>
    FixedBytes<N> col_fixed(int c) const {
        FixedBytes<N> out{};
        const Bytes b = col_blob(c);
        if (b.size() == N) std::copy(b.begin(), b.end(), out.begin());
        return out;
    }
    bool col_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
    std::string col_text(int c) const {
        const auto* p = sqlite3_column_text(s_, c);
        return p == nullptr ? std::string{} : std::string(reinterpret_cast<const char*>(p));
    }
    std::int64_t col_i64(int c) const { return sqlite3_column_int64(s_, c); }
    std::uint64_t col_u64(int c) const { return static_cast<std::uint64_t>(col_i64(c)); }

private:
    sqlite3_stmt* s_ = nullptr;
};

StoreError err(sqlite3* db, const std::string& what) { return StoreError{what + ": " + sqlite3_errmsg(db)}; }

void bind_job(Stmt& s, const JobRecord& j) {
    s.blob(j.id);
    s.text(std::string(to_string(j.state)));
    s.text(j.reason);
    s.blob(j.job_abi);
    s.blob(j.input);
    s.blob(j.consumer);
    s.blob(j.model_root);
    s.u64(j.k);
    s.i64(j.after_window ? 1 : 0);
    s.u64(j.created_at);
    s.u64(j.deadline);
    s.u64(j.commit_end);
    s.u64(j.block_number);
    s.i64(j.seen_ms);
    s.blob(j.output);
    s.blob(j.output_root);
    s.blob(j.trace_root);
    s.u64(j.steps);
    s.blob(j.input_root);
    if (j.salt) s.blob(*j.salt); else s.null();
    s.i64(j.seat);
    if (j.tx_hash) s.blob(*j.tx_hash); else s.null();
    s.u64(j.final_at);
    s.i64(j.attempts);
    s.i64(j.next_attempt_ms);
    s.i64(j.done_ms);
    s.u64(j.gas_used);
    s.i64(j.run_us);
}

JobRecord read_job(const Stmt& s) {
    JobRecord j;
    j.id = s.col_fixed<32>(0);
    j.state = job_state_from_string(s.col_text(1)).value_or(JobState::failed);
    j.reason = s.col_text(2);
    j.job_abi = s.col_blob(3);
    j.input = s.col_blob(4);
    j.consumer = s.col_fixed<20>(5);
    j.model_root = s.col_fixed<32>(6);
    j.k = static_cast<std::uint8_t>(s.col_u64(7));
    j.after_window = s.col_i64(8) != 0;
    j.created_at = s.col_u64(9);
    j.deadline = s.col_u64(10);
    j.commit_end = s.col_u64(11);
    j.block_number = s.col_u64(12);
    j.seen_ms = s.col_i64(13);
    j.output = s.col_blob(14);
    j.output_root = s.col_fixed<32>(15);
    j.trace_root = s.col_fixed<32>(16);
    j.steps = s.col_u64(17);
    j.input_root = s.col_fixed<32>(18);
    if (!s.col_null(19)) j.salt = s.col_fixed<32>(19);
    j.seat = static_cast<int>(s.col_i64(20));
    if (!s.col_null(21)) j.tx_hash = s.col_fixed<32>(21);
    j.final_at = s.col_u64(22);
    j.attempts = static_cast<int>(s.col_i64(23));
    j.next_attempt_ms = s.col_i64(24);
    j.done_ms = s.col_i64(25);
    j.gas_used = s.col_u64(26);
    j.run_us = s.col_i64(27);
    return j;
}

}  // namespace

Result<std::unique_ptr<Store>, StoreError> Store::open(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(StoreError{"cannot create " + dir.string() + ": " + ec.message()});
    sqlite3* db = nullptr;
    const std::string file = (dir / "node.db").string();
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        StoreError e = err(db, "open " + file);
        sqlite3_close(db);
        return fail(e);
    }
    std::unique_ptr<Store> s(new Store(db));
    sqlite3_busy_timeout(db, 5000);
    SIGIL_TRY_VOID(s->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
    SIGIL_TRY_VOID(s->exec(kSchema));
    return s;
}

Store::~Store() { sqlite3_close(db_); }

Result<void, StoreError> Store::exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        StoreError e{std::string(sql).substr(0, 60) + ": " + (msg != nullptr ? msg : "?")};
        sqlite3_free(msg);
        return fail(e);
    }
    return {};
}

Result<void, StoreError> Store::transaction(const std::function<Result<void, StoreError>()>& fn) {
    std::lock_guard lock(mu_);
    SIGIL_TRY_VOID(exec("BEGIN IMMEDIATE"));
    auto r = fn();
    if (!r) {
        (void)exec("ROLLBACK");
        return r;
    }
    return exec("COMMIT");
}

Result<std::optional<chain::WatchCheckpoint>, StoreError> Store::checkpoint() {
    std::lock_guard lock(mu_);
    Stmt s(db_, "SELECT key, value FROM meta WHERE key IN ('next_block', 'parent_hash')");
    if (!s.ok()) return fail(err(db_, "checkpoint"));
    std::optional<chain::WatchCheckpoint> c;
    while (s.step() == SQLITE_ROW) {
        if (!c) c.emplace();
        if (s.col_text(0) == "next_block") c->next_block = s.col_u64(1);
        else c->parent_hash = s.col_fixed<32>(1);
    }
    return c;
}

Result<void, StoreError> Store::set_checkpoint(const chain::WatchCheckpoint& c) {
    std::lock_guard lock(mu_);
    {
        Stmt s(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES ('next_block', ?)");
        s.u64(c.next_block);
        if (!s.ok() || s.step() != SQLITE_DONE) return fail(err(db_, "set next_block"));
    }
    if (c.parent_hash) {
        Stmt s(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES ('parent_hash', ?)");
        s.blob(*c.parent_hash);
        if (!s.ok() || s.step() != SQLITE_DONE) return fail(err(db_, "set parent_hash"));
    } else {
        Stmt s(db_, "DELETE FROM meta WHERE key = 'parent_hash'");
        if (!s.ok() || s.step() != SQLITE_DONE) return fail(err(db_, "clear parent_hash"));
    }
    return {};
}

Result<std::optional<JobRecord>, StoreError> Store::job(const Hash& id) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
    if (!s.ok()) return fail(err(db_, "job"));
    s.blob(id);
    if (s.step() != SQLITE_ROW) return std::optional<JobRecord>{};
    return std::optional<JobRecord>{read_job(s)};
}

Result<void, StoreError> Store::put_job(const JobRecord& j) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("INSERT OR REPLACE INTO jobs(") + kJobColumns +
                    ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(err(db_, "put_job prepare"));
    bind_job(s, j);
    if (s.step() != SQLITE_DONE) return fail(err(db_, "put_job"));
    return {};
}

Result<std::vector<JobRecord>, StoreError> Store::jobs_in(const std::vector<JobState>& states) {
    std::lock_guard lock(mu_);
    std::string sql = std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state IN (";
    for (std::size_t i = 0; i < states.size(); ++i) sql += i == 0 ? "?" : ",?";
    sql += ") ORDER BY block_number, seen_ms";
    Stmt s(db_, sql);
    if (!s.ok()) return fail(err(db_, "jobs_in"));
    for (const JobState st : states) s.text(std::string(to_string(st)));
    std::vector<JobRecord> out;
    while (s.step() == SQLITE_ROW) out.push_back(read_job(s));
    return out;
}

Result<std::vector<JobRecord>, StoreError> Store::active_jobs() {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kJobColumns +
                    " FROM jobs WHERE state IN ('computed','delivering','committing','committed','revealing','settling')"
                    " OR (after_window = 1 AND state IN ('delivered','revealed')) ORDER BY block_number, seen_ms");
    if (!s.ok()) return fail(err(db_, "active_jobs"));
    std::vector<JobRecord> out;
    while (s.step() == SQLITE_ROW) out.push_back(read_job(s));
    return out;
}

Result<std::map<JobState, std::uint64_t>, StoreError> Store::state_counts() {
    std::lock_guard lock(mu_);
    Stmt s(db_, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
    if (!s.ok()) return fail(err(db_, "state_counts"));
    std::map<JobState, std::uint64_t> out;
    while (s.step() == SQLITE_ROW) {
        if (auto st = job_state_from_string(s.col_text(0))) out[*st] = s.col_u64(1);
    }
    return out;
}

Result<void, StoreError> Store::put_offchain(const std::string& id, const std::string& json) {
    std::lock_guard lock(mu_);
    Stmt s(db_, "INSERT OR REPLACE INTO offchain(id, doc) VALUES (?, ?)");
    s.text(id);
    s.text(json);
    if (!s.ok() || s.step() != SQLITE_DONE) return fail(err(db_, "put_offchain"));
    return {};
}

Result<std::optional<std::string>, StoreError> Store::offchain(const std::string& id) {
    std::lock_guard lock(mu_);
    Stmt s(db_, "SELECT doc FROM offchain WHERE id = ?");
    if (!s.ok()) return fail(err(db_, "offchain"));
    s.text(id);
    if (s.step() != SQLITE_ROW) return std::optional<std::string>{};
    return std::optional<std::string>{s.col_text(0)};
}

}  // namespace sigil::node
