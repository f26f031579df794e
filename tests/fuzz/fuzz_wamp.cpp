// Fuzz target for the WAMP decoder (models/decode/wampdecoder.h, wampmessage.h): the messages of a
// WebSocket connection that speaks wamp.2.json.
//
// Input: a conversation (decodedcheck.h): messages separated by NUL bytes, each led by a byte whose
// bit 0 is the sender and bit 1 the opcode ("0[48,1,{},\"a\"]" is a client's text message).
//
// Checks: the invariants of every Decoded (a refusal has a reason; summaries are one line; every
// correlation key is non-empty and short); decoding is deterministic (a second decoder gives an
// equal Decoded) and keeps no state; a valid message written again compactly ([code,elements...])
// is valid with the same summary, elements and correlations.

#include "decode/wampdecoder.h"
#include "decodedcheck.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    WampDecoder decoder;
    for (const FuzzMessage &message : splitConversation(input)) {
        const Decode::Decoded d = decoder.decode(message.sender, message.binary, message.payload);
        checkDecoded(d, Decode::Protocol::Wamp, message.payload);
        FUZZ_CHECK(d.units.size() <= 1, hexOf(message.payload));
        FUZZ_CHECK(decoder.state(message.sender).isEmpty(), hexOf(message.payload));
        WampDecoder second;
        FUZZ_CHECK(second.decode(message.sender, message.binary, message.payload) == d, hexOf(message.payload));
        if (message.binary)
            continue;
        const auto m = Wamp::parse(message.sender, message.payload);
        if (!m || !m->ok())
            continue;
        FUZZ_CHECK(m->code >= 0, hexOf(message.payload));
        QByteArray written = '[' + QByteArray::number(m->code);
        for (const Wamp::Element &e : m->elements)
            written += ',' + JsonValues::compact(e.value.text).toUtf8();
        written += ']';
        const auto again = Wamp::parse(message.sender, written);
        FUZZ_CHECK(again && again->ok(), QString::fromUtf8(written) + QLatin1Char(' ') + (again ? again->problem : QString()));
        FUZZ_CHECK(Wamp::summary(*again) == Wamp::summary(*m), QString::fromUtf8(written));
        FUZZ_CHECK(again->elements.size() == m->elements.size(), QString::fromUtf8(written));
        FUZZ_CHECK(WampDecoder::unit(*again, message.sender).correlations == WampDecoder::unit(*m, message.sender).correlations,
                   QString::fromUtf8(written));
    }
    return 0;
}
