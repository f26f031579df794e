// Fuzz target for the JSON-RPC decoder (models/decode/jsonrpcdecoder.h, jsonrpcmessage.h): the
// messages of a WebSocket connection that speaks JSON-RPC.
//
// Input: a conversation (decodedcheck.h): messages separated by NUL bytes, each led by a byte whose
// bit 0 is the sender and bit 1 the opcode ("0{...}" is a client's text message).
//
// Checks: the invariants of every Decoded (a refusal has a reason; summaries are one line; every
// correlation key is non-empty and short); decoding is deterministic (a second decoder gives an
// equal Decoded) and keeps no state; a call that parses is written again by JsonRpc::call() (the
// composer's writer) into a call with the same method, params and id.

#include "decode/jsonrpcdecoder.h"
#include "decodedcheck.h"

namespace {

// An id the composer's writer can write: an integer literal that fits in 15 digits.
std::optional<qint64> writableId(const QByteArray &literal)
{
    if (literal.isEmpty() || literal.size() > 15)
        return std::nullopt;
    for (qsizetype i = 0; i < literal.size(); ++i)
        if (!(literal[i] >= '0' && literal[i] <= '9') && !(i == 0 && literal[i] == '-' && literal.size() > 1))
            return std::nullopt;
    return literal.toLongLong();
}

void checkRoundTrip(const JsonRpc::Message &m)
{
    if (!m.ok() || m.kind != JsonRpc::Message::Kind::Call || m.version1 || !m.id)
        return;
    const auto id = writableId(*m.id);
    if (!id)
        return;
    const QByteArray written = JsonRpc::call(m.method, m.params.value_or(QByteArray()), *id);
    QString why;
    const auto again = JsonRpc::parse(written, &why);
    FUZZ_CHECK(again && again->messages.size() == 1, QString::fromUtf8(written) + QLatin1Char(' ') + why);
    const JsonRpc::Message &n = again->messages.first();
    FUZZ_CHECK(n.ok() && n.kind == JsonRpc::Message::Kind::Call, QString::fromUtf8(written) + QLatin1Char(' ') + n.problem);
    FUZZ_CHECK(n.method == m.method, QString::fromUtf8(written));
    FUZZ_CHECK(n.id == QByteArray::number(*id), QString::fromUtf8(written));
    FUZZ_CHECK(n.params.has_value() == m.params.has_value(), QString::fromUtf8(written));
    if (m.params)
        FUZZ_CHECK(JsonValues::compact(*n.params) == JsonValues::compact(*m.params), QString::fromUtf8(written));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    JsonRpcDecoder decoder;
    for (const FuzzMessage &message : splitConversation(input)) {
        const Decode::Decoded d = decoder.decode(message.sender, message.binary, message.payload);
        checkDecoded(d, Decode::Protocol::JsonRpc, message.payload);
        FUZZ_CHECK(decoder.state(message.sender).isEmpty(), hexOf(message.payload));
        JsonRpcDecoder second;
        FUZZ_CHECK(second.decode(message.sender, message.binary, message.payload) == d, hexOf(message.payload));
        if (message.binary)
            continue;
        if (const auto parsed = JsonRpc::parse(message.payload)) {
            FUZZ_CHECK(parsed->batch || parsed->messages.size() == 1, hexOf(message.payload));
            for (const JsonRpc::Message &m : parsed->messages)
                checkRoundTrip(m);
        }
    }
    return 0;
}
