#include "node/store.hpp"

#include <sqlite3.h>

#include <functional>

#include "node/coordinator_abi.hpp"

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
CREATE TABLE IF NOT EXISTS games (
  game_id INTEGER PRIMARY KEY, request_id BLOB NOT NULL, role TEXT NOT NULL, state TEXT NOT NULL,
  reason TEXT NOT NULL, intent TEXT NOT NULL, tx_hash BLOB, moves INTEGER NOT NULL, gas_used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS challenges (
  request_id BLOB NOT NULL, operator BLOB NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL,
  claim BLOB NOT NULL, revealed INTEGER NOT NULL, tx_hash BLOB, attempts INTEGER NOT NULL,
  PRIMARY KEY (request_id, operator));
CREATE TABLE IF NOT EXISTS bounties (
  request_id BLOB PRIMARY KEY, track TEXT NOT NULL, reason TEXT NOT NULL, token BLOB NOT NULL, fee TEXT NOT NULL,
  intent TEXT NOT NULL, tx_hash BLOB, attempts INTEGER NOT NULL, gas_used INTEGER NOT NULL);
)";

constexpr const char* kGameColumns = "game_id, request_id, role, state, reason, intent, tx_hash, moves, gas_used";
constexpr const char* kChallengeColumns = "request_id, operator, state, reason, claim, revealed, tx_hash, attempts";

constexpr const char* kBountyColumns = "request_id, track, reason, token, fee, intent, tx_hash, attempts, gas_used";

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

GameRecord read_game(const Stmt& s) {
    GameRecord g;
    g.game_id = s.col_u64(0);
    g.request_id = s.col_fixed<32>(1);
    g.role = s.col_text(2) == "challenger" ? GameRole::challenger : GameRole::defender;
    const std::string st = s.col_text(3);
    g.state = st == "won"        ? GameState::won
              : st == "lost"     ? GameState::lost
              : st == "released" ? GameState::released
                                 : GameState::playing;
    g.reason = s.col_text(4);
    g.intent = s.col_text(5);
    if (!s.col_null(6)) g.tx_hash = s.col_fixed<32>(6);
    g.moves = s.col_u64(7);
    g.gas_used = s.col_u64(8);
    return g;
}

ChallengeRecord read_challenge(const Stmt& s) {
    ChallengeRecord c;
    c.request_id = s.col_fixed<32>(0);
    c.op = s.col_fixed<20>(1);
    c.state = claim_check_from_string(s.col_text(2)).value_or(ClaimCheck::failed);
    c.reason = s.col_text(3);
    c.claim_abi = s.col_blob(4);
    c.revealed = s.col_i64(5) != 0;
    if (!s.col_null(6)) c.tx_hash = s.col_fixed<32>(6);
    c.attempts = static_cast<int>(s.col_i64(7));
    return c;
}

BountyRecord read_bounty(const Stmt& s) {
    BountyRecord b;
    b.request_id = s.col_fixed<32>(0);
    b.track = bounty_track_from_string(s.col_text(1)).value_or(BountyTrack::skipped);
    b.reason = s.col_text(2);
    b.token = s.col_fixed<20>(3);
    b.fee = parse_u256(s.col_text(4)).value_or(0);
    b.intent = s.col_text(5);
    if (!s.col_null(6)) b.tx_hash = s.col_fixed<32>(6);
    b.attempts = static_cast<int>(s.col_i64(7));
    b.gas_used = s.col_u64(8);
    return b;
}

StoreError err(sqlite3* db, const std::string& what) { return StoreError{what + ": " + sqlite3_errmsg(db)}; }

void bind_job(Stmt& s, const JobRecord& j) {
    s.blob(j.id);
    s.text(std::string(to_string(j.state)));
    s.text(j.reason);
    s.blob(encode_job(j.job));
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

/// A job row; its Job tuple is decoded here, once (a row that does not hold one is an error
/// naming the job).
Result<JobRecord, StoreError> read_job(const Stmt& s) {
    JobRecord j;
    j.id = s.col_fixed<32>(0);
    j.state = job_state_from_string(s.col_text(1)).value_or(JobState::failed);
    j.reason = s.col_text(2);
    auto job = decode_job(s.col_blob(3));
    if (!job) return fail(StoreError{"job " + to_hex(j.id) + ": the stored Job tuple does not decode"});
    j.job = std::move(*job);
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
    return std::optional<JobRecord>{SIGIL_TRY(read_job(s))};
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
    while (s.step() == SQLITE_ROW) out.push_back(SIGIL_TRY(read_job(s)));
    return out;
}

Result<std::vector<JobRecord>, StoreError> Store::active_jobs() {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kJobColumns +
                    " FROM jobs WHERE state IN ('computed','delivering','committing','committed','revealing','settling')"
                    " OR (after_window = 1 AND state IN ('delivered','revealed')) ORDER BY block_number, seen_ms");
    if (!s.ok()) return fail(err(db_, "active_jobs"));
    std::vector<JobRecord> out;
    while (s.step() == SQLITE_ROW) out.push_back(SIGIL_TRY(read_job(s)));
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
    // Group commit: the caller that finds no batch being written writes every document queued
    // so far in one transaction (one WAL sync); the others wait for the batch that holds theirs.
    std::unique_lock q(group_mu_);
    const std::uint64_t ticket = ++group_next_;
    group_pending_.push_back({ticket, id, json});
    while (group_done_ < ticket) {
        if (group_writing_) {
            group_cv_.wait(q);
            continue;
        }
        group_writing_ = true;
        std::vector<PendingDoc> batch;
        batch.swap(group_pending_);
        q.unlock();
        auto r = transaction([&]() -> Result<void, StoreError> {
            for (const auto& d : batch) {
                Stmt s(db_, "INSERT OR REPLACE INTO offchain(id, doc) VALUES (?, ?)");
                s.text(d.id);
                s.text(d.json);
                if (!s.ok() || s.step() != SQLITE_DONE) return fail(err(db_, "put_offchain"));
            }
            return {};
        });
        q.lock();
        if (!r) {
            for (const auto& d : batch) group_failed_.emplace(d.ticket, r.error());
        }
        group_done_ = batch.back().ticket;  // tickets are taken in order: the batch is all up to it
        group_writing_ = false;
        group_cv_.notify_all();
    }
    if (auto it = group_failed_.find(ticket); it != group_failed_.end()) {
        StoreError e = std::move(it->second);
        group_failed_.erase(it);
        return fail(std::move(e));
    }
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

std::string_view to_string(GameRole r) noexcept { return r == GameRole::defender ? "defender" : "challenger"; }

std::string_view to_string(GameState s) noexcept {
    switch (s) {
        case GameState::playing:
            return "playing";
        case GameState::won:
            return "won";
        case GameState::lost:
            return "lost";
        case GameState::released:
            return "released";
    }
    return "unknown";
}

std::string_view to_string(ClaimCheck s) noexcept {
    switch (s) {
        case ClaimCheck::pending:
            return "pending";
        case ClaimCheck::agreed:
            return "agreed";
        case ClaimCheck::skipped:
            return "skipped";
        case ClaimCheck::challenging:
            return "challenging";
        case ClaimCheck::challenged:
            return "challenged";
        case ClaimCheck::failed:
            return "failed";
        case ClaimCheck::refuting:
            return "refuting";
        case ClaimCheck::refuted:
            return "refuted";
    }
    return "unknown";
}

std::optional<ClaimCheck> claim_check_from_string(std::string_view s) noexcept {
    for (auto c : {ClaimCheck::pending, ClaimCheck::agreed, ClaimCheck::skipped, ClaimCheck::challenging,
                   ClaimCheck::challenged, ClaimCheck::failed, ClaimCheck::refuting, ClaimCheck::refuted}) {
        if (to_string(c) == s) return c;
    }
    return std::nullopt;
}

Result<std::uint64_t, StoreError> Store::meta_u64(const std::string& key) {
    std::lock_guard lock(mu_);
    Stmt s(db_, "SELECT value FROM meta WHERE key = ?");
    if (!s.ok()) return fail(err(db_, "meta"));
    s.text(key);
    if (s.step() != SQLITE_ROW) return std::uint64_t{0};
    return s.col_u64(0);
}

Result<void, StoreError> Store::set_meta_u64(const std::string& key, std::uint64_t v) {
    std::lock_guard lock(mu_);
    Stmt s(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    if (!s.ok()) return fail(err(db_, "set meta"));
    s.text(key);
    s.u64(v);
    if (s.step() != SQLITE_DONE) return fail(err(db_, "set meta"));
    return {};
}

Result<void, StoreError> Store::put_game(const GameRecord& g) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("INSERT OR REPLACE INTO games(") + kGameColumns + ") VALUES (?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(err(db_, "put game"));
    s.u64(g.game_id);
    s.blob(g.request_id);
    s.text(std::string(to_string(g.role)));
    s.text(std::string(to_string(g.state)));
    s.text(g.reason);
    s.text(g.intent);
    if (g.tx_hash)
        s.blob(*g.tx_hash);
    else
        s.null();
    s.u64(g.moves);
    s.u64(g.gas_used);
    if (s.step() != SQLITE_DONE) return fail(err(db_, "put game"));
    return {};
}

Result<std::optional<GameRecord>, StoreError> Store::game(std::uint64_t game_id) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kGameColumns + " FROM games WHERE game_id = ?");
    if (!s.ok()) return fail(err(db_, "game"));
    s.u64(game_id);
    if (s.step() != SQLITE_ROW) return std::optional<GameRecord>{};
    return std::optional<GameRecord>{read_game(s)};
}

Result<std::vector<GameRecord>, StoreError> Store::games(std::optional<GameState> state) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kGameColumns + " FROM games" + (state ? " WHERE state = ?" : "") +
                    " ORDER BY game_id");
    if (!s.ok()) return fail(err(db_, "games"));
    if (state) s.text(std::string(to_string(*state)));
    std::vector<GameRecord> out;
    while (s.step() == SQLITE_ROW) out.push_back(read_game(s));
    return out;
}

Result<void, StoreError> Store::put_challenge(const ChallengeRecord& c) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("INSERT OR REPLACE INTO challenges(") + kChallengeColumns + ") VALUES (?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(err(db_, "put challenge"));
    s.blob(c.request_id);
    s.blob(c.op);
    s.text(std::string(to_string(c.state)));
    s.text(c.reason);
    s.blob(c.claim_abi);
    s.i64(c.revealed ? 1 : 0);
    if (c.tx_hash)
        s.blob(*c.tx_hash);
    else
        s.null();
    s.i64(c.attempts);
    if (s.step() != SQLITE_DONE) return fail(err(db_, "put challenge"));
    return {};
}

Result<std::optional<ChallengeRecord>, StoreError> Store::challenge(const Hash& id, const Address& op) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kChallengeColumns + " FROM challenges WHERE request_id = ? AND operator = ?");
    if (!s.ok()) return fail(err(db_, "challenge"));
    s.blob(id);
    s.blob(op);
    if (s.step() != SQLITE_ROW) return std::optional<ChallengeRecord>{};
    return std::optional<ChallengeRecord>{read_challenge(s)};
}

Result<std::vector<ChallengeRecord>, StoreError> Store::challenges_in(const std::vector<ClaimCheck>& states) {
    std::lock_guard lock(mu_);
    std::vector<ChallengeRecord> out;
    for (auto st : states) {
        Stmt s(db_, std::string("SELECT ") + kChallengeColumns + " FROM challenges WHERE state = ?");
        if (!s.ok()) return fail(err(db_, "challenges"));
        s.text(std::string(to_string(st)));
        while (s.step() == SQLITE_ROW) out.push_back(read_challenge(s));
    }
    return out;
}

std::string_view to_string(BountyTrack t) noexcept {
    switch (t) {
        case BountyTrack::watching:
            return "watching";
        case BountyTrack::disputing:
            return "disputing";
        case BountyTrack::closed:
            return "closed";
        case BountyTrack::skipped:
            return "skipped";
    }
    return "unknown";
}

std::optional<BountyTrack> bounty_track_from_string(std::string_view s) noexcept {
    for (auto t : {BountyTrack::watching, BountyTrack::disputing, BountyTrack::closed, BountyTrack::skipped}) {
        if (to_string(t) == s) return t;
    }
    return std::nullopt;
}

Result<std::optional<Bytes>, StoreError> Store::meta_blob(const std::string& key) {
    std::lock_guard lock(mu_);
    Stmt s(db_, "SELECT value FROM meta WHERE key = ?");
    if (!s.ok()) return fail(err(db_, "meta"));
    s.text(key);
    if (s.step() != SQLITE_ROW) return std::optional<Bytes>{};
    return std::optional<Bytes>{s.col_blob(0)};
}

Result<void, StoreError> Store::set_meta_blob(const std::string& key, const std::optional<Bytes>& v) {
    std::lock_guard lock(mu_);
    Stmt s(db_, v ? "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)" : "DELETE FROM meta WHERE key = ?");
    if (!s.ok()) return fail(err(db_, "set meta"));
    s.text(key);
    if (v) s.blob(*v);
    if (s.step() != SQLITE_DONE) return fail(err(db_, "set meta"));
    return {};
}

Result<void, StoreError> Store::put_bounty(const BountyRecord& b) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("INSERT OR REPLACE INTO bounties(") + kBountyColumns + ") VALUES (?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(err(db_, "put bounty"));
    s.blob(b.request_id);
    s.text(std::string(to_string(b.track)));
    s.text(b.reason);
    s.blob(b.token);
    s.text(to_dec(b.fee));
    s.text(b.intent);
    if (b.tx_hash)
        s.blob(*b.tx_hash);
    else
        s.null();
    s.i64(b.attempts);
    s.u64(b.gas_used);
    if (s.step() != SQLITE_DONE) return fail(err(db_, "put bounty"));
    return {};
}

Result<std::optional<BountyRecord>, StoreError> Store::bounty(const Hash& id) {
    std::lock_guard lock(mu_);
    Stmt s(db_, std::string("SELECT ") + kBountyColumns + " FROM bounties WHERE request_id = ?");
    if (!s.ok()) return fail(err(db_, "bounty"));
    s.blob(id);
    if (s.step() != SQLITE_ROW) return std::optional<BountyRecord>{};
    return std::optional<BountyRecord>{read_bounty(s)};
}

Result<std::vector<BountyRecord>, StoreError> Store::bounties_in(const std::vector<BountyTrack>& tracks) {
    std::lock_guard lock(mu_);
    std::vector<BountyRecord> out;
    for (auto t : tracks) {
        Stmt s(db_, std::string("SELECT ") + kBountyColumns + " FROM bounties WHERE track = ? ORDER BY rowid");
        if (!s.ok()) return fail(err(db_, "bounties"));
        s.text(std::string(to_string(t)));
        while (s.step() == SQLITE_ROW) out.push_back(read_bounty(s));
    }
    return out;
}

}  // namespace sigil::node
