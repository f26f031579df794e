// Fuzz target for the GraphQL over WebSocket decoders (models/decode/graphqldecoder.h,
// graphqlmessage.h), both sub-protocols: the messages of one WebSocket connection.
//
// Input: one option byte (bit 0: 0 graphql-transport-ws, 1 graphql-ws), then a conversation
// (decodedcheck.h): messages separated by NUL bytes, each led by a byte whose bit 0 is the sender
// and bit 1 the opcode ("0{\"type\":\"connection_init\"}" is a client's text message).
//
// Checks: the invariants of every Decoded (a refusal has a reason; summaries are one line; every
// correlation key is non-empty and short); decoding is deterministic: a fresh decoder given the
// state the first one had before a message (Decoder::state/setState, as the log replays a message)
// decodes it to an equal Decoded; the state is empty or the one flag each sender can set (never
// anything for graphql-ws); a message that is valid has a type of the protocol that its sender may
// send, and the same text decodes the same from a decoder with the same state.

#include "decode/graphqldecoder.h"
#include "decodedcheck.h"

#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in(data, size);
    const bool legacy = in.takeByte() & 1;
    const Decode::Protocol protocol = legacy ? Decode::Protocol::GraphQlWs : Decode::Protocol::GraphQlTransportWs;
    auto make = [legacy]() -> std::unique_ptr<Decoder> {
        if (legacy)
            return std::make_unique<GraphQlWsDecoder>();
        return std::make_unique<GraphQlTransportWsDecoder>();
    };
    const std::unique_ptr<Decoder> decoder = make();
    for (const FuzzMessage &message : splitConversation(in.rest())) {
        const QByteArray before = decoder->state(message.sender);
        const QByteArray allowed = message.sender == Decode::Sender::Client ? "connection_init" : "connection_ack";
        FUZZ_CHECK(before.isEmpty() || (!legacy && before == allowed), QString::fromUtf8(before));
        const Decode::Decoded d = decoder->decode(message.sender, message.binary, message.payload);
        checkDecoded(d, protocol, message.payload);
        FUZZ_CHECK(d.units.size() <= 1, hexOf(message.payload));
        // The log's replay: the saved state, then the same message.
        const std::unique_ptr<Decoder> replay = make();
        replay->setState(message.sender, before);
        FUZZ_CHECK(replay->state(message.sender) == before, QString::fromUtf8(before));
        FUZZ_CHECK(replay->decode(message.sender, message.binary, message.payload) == d, hexOf(message.payload));
        FUZZ_CHECK(replay->state(message.sender) == decoder->state(message.sender), hexOf(message.payload));
        if (d.ok()) {
            const Decode::Unit &u = d.units.first();
            const auto dir = GraphQl::direction(protocol, u.type);
            FUZZ_CHECK(dir.has_value(), u.type);
            FUZZ_CHECK(*dir == GraphQl::Direction::Both
                           || (*dir == GraphQl::Direction::FromClient) == (message.sender == Decode::Sender::Client),
                       u.type);
        }
    }
    return 0;
}
