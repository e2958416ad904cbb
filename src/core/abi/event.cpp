#include "core/abi/event.hpp"

#include "core/keccak.hpp"

namespace sigil::abi {

std::string Event::signature() const {
    std::string out = name + "(";
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (i > 0) out += ',';
        out += inputs[i].type.canonical();
    }
    return out + ")";
}

Result<Event, AbiError> parse_event(std::string_view text) {
    detail::ParsedSignature sig = SIGIL_TRY(detail::parse_signature(text, "event", true));
    if (!sig.outputs.empty()) return fail(AbiError::bad_signature);
    std::size_t indexed = 0;
    for (const Param& p : sig.inputs) indexed += p.indexed ? 1 : 0;
    if (indexed > (sig.anonymous ? 4u : 3u)) return fail(AbiError::bad_indexed);
    return Event{std::move(sig.name), std::move(sig.inputs), sig.anonymous};
}

Hash topic0(const Event& ev) { return keccak256(std::string_view(ev.signature())); }

bool is_topic_value_type(const Type& t) {
    switch (t.kind) {
        case Kind::uint_n:
        case Kind::int_n:
        case Kind::address:
        case Kind::boolean:
        case Kind::bytes_n: return true;
        default: return false;
    }
}

Result<std::vector<Value>, AbiError> decode_log(const Event& ev, std::span<const Hash> topics, BytesView data,
                                                DecodeMode mode) {
    std::size_t first = 0;
    if (!ev.anonymous) {
        if (topics.empty()) return fail(AbiError::topic_count_mismatch);
        if (topics[0] != topic0(ev)) return fail(AbiError::topic0_mismatch);
        first = 1;
    }
    std::vector<Type> data_types;
    std::size_t indexed = 0;
    for (const Param& p : ev.inputs) {
        if (p.indexed) ++indexed;
        else data_types.push_back(p.type);
    }
    if (topics.size() != first + indexed) return fail(AbiError::topic_count_mismatch);
    std::vector<Value> data_values = SIGIL_TRY(decode(data_types, data, mode));

    std::vector<Value> out;
    out.reserve(ev.inputs.size());
    std::size_t topic = first;
    std::size_t next_data = 0;
    for (const Param& p : ev.inputs) {
        if (!p.indexed) {
            out.push_back(std::move(data_values[next_data++]));
            continue;
        }
        const Hash& word = topics[topic++];
        if (is_topic_value_type(p.type)) {
            std::vector<Value> v = SIGIL_TRY(decode({p.type}, as_bytes(word), DecodeMode::strict));
            out.push_back(std::move(v[0]));
        } else {
            out.push_back(Value::bytes_n(as_bytes(word)));
        }
    }
    return out;
}

}  // namespace sigil::abi
