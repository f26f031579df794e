// Fuzz target for the SockJS frame parser and decoder (models/decode/sockjsframe.h,
// sockjsdecoder.h): text messages of the SockJS websocket transport, and the STOMP frames they carry.
//
// Input: [options] [chunk plan] [bytes]. Options: bit 0 the server sent it (else the client); bit 1
// "carried": the bytes are not a SockJS frame but what one carries, cut by the chunk plan into
// messages, each sent in a SockJS frame of its own as sockjs-client (or sockjs-node) writes it.
//
// Checks: a frame either parses, and written out again reads back the same, or is refused with a
// reason; every message of a frame, quoted as sockjs-node quotes it, reads back the same; the
// decoder's summary is one line, and a frame that did not parse is an error (of the message or of
// its unit), never dropped. Carried: the decoder's inner units for each message are exactly what a
// StompDecoder makes of the same messages when they look like STOMP (or continue a frame), and a
// decoder given the state saved before a message decodes it as the first one did.

#include "decode/sockjsdecoder.h"
#include "decode/sockjsframe.h"
#include "fuzzinput.h"

namespace {

using namespace Decode;
using SockJs::Frame;

bool oneLine(const QString &s)
{
    return !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r'));
}

void checkDecoded(const Decoded &d)
{
    FUZZ_CHECK(d.protocol == Protocol::SockJs, QStringLiteral("protocol"));
    FUZZ_CHECK(d.error.isEmpty() != d.units.isEmpty(), QStringLiteral("an error and units, or neither: ") + d.error);
    FUZZ_CHECK(oneLine(d.summary()), d.summary());
    for (const Unit &u : d.units)
        FUZZ_CHECK(oneLine(u.summary), u.summary);
}

void frameMode(Sender sender, QByteArrayView bytes)
{
    QString why;
    const auto frame = sender == Sender::Server ? SockJs::parseServer(bytes, &why) : SockJs::parseClient(bytes, &why);
    SockJsDecoder decoder;
    const Decoded d = decoder.decode(sender, false, bytes);
    checkDecoded(d);
    if (!frame) {
        FUZZ_CHECK(!why.isEmpty(), QStringLiteral("a refusal without a reason: ") + hexOf(bytes));
        FUZZ_CHECK(!d.error.isEmpty() || (d.units.size() == 1 && d.units[0].error == why), hexOf(bytes));
        return;
    }
    // The decoder decodes the first 1000 messages of a frame and says so when there are more.
    FUZZ_CHECK(d.units.size() == 1 && (d.units[0].error.isEmpty() || frame->messages.size() > 1000), hexOf(bytes));
    const QByteArray written = sender == Sender::Server ? SockJs::encodeServer(*frame) : SockJs::encodeClient(*frame);
    const auto again
        = sender == Sender::Server ? SockJs::parseServer(written, &why) : SockJs::parseClient(written, &why);
    FUZZ_CHECK(again && *again == *frame, QStringLiteral("written: ") + hexOf(written) + QLatin1Char(' ') + why);
    for (const QByteArray &m : frame->messages) {
        const auto quoted = SockJs::parseClient(SockJs::quote(m), &why);
        FUZZ_CHECK(quoted && quoted->messages == QByteArrayList { m }, hexOf(m) + QLatin1Char(' ') + why);
    }
    FUZZ_CHECK(
        decoder.decode(sender, true, bytes).error.size() > 0, QStringLiteral("a binary message is no SockJS frame"));
}

void carriedMode(Sender sender, QByteArrayView bytes, const QList<qsizetype> &plan)
{
    SockJsDecoder decoder;
    StompDecoder reference;
    for (const QByteArrayView piece : splitByPlan(bytes, plan)) {
        Frame f;
        f.type = Frame::Type::Messages;
        f.messages << piece.toByteArray();
        const QByteArray wire = sender == Sender::Server ? SockJs::encodeServer(f) : SockJs::encodeClient(f);
        QString why;
        const auto parsed
            = sender == Sender::Server ? SockJs::parseServer(wire, &why) : SockJs::parseClient(wire, &why);
        FUZZ_CHECK(parsed && parsed->messages.size() == 1, hexOf(wire) + QLatin1Char(' ') + why);
        const QByteArray message = parsed->messages[0]; // the piece, or its text where it was not UTF-8

        const QByteArray saved = decoder.state(sender);
        const Decoded d = decoder.decode(sender, false, wire);
        checkDecoded(d);
        FUZZ_CHECK(d.units.size() == 1 && d.units[0].error.isEmpty(), hexOf(wire));
        SockJsDecoder again;
        again.setState(sender, saved);
        FUZZ_CHECK(
            again.decode(sender, false, wire) == d, QStringLiteral("restored state decodes otherwise: ") + hexOf(wire));

        QList<Unit> expected;
        if (reference.carrying(sender) || Stomp::looksLikeStomp(message)) {
            const Decoded r = reference.decode(sender, false, message);
            expected = r.units;
            if (!r.error.isEmpty()) {
                FUZZ_CHECK(d.units[0].inner.size() == 1 && d.units[0].inner[0].error == r.error, r.error);
                continue;
            }
        }
        FUZZ_CHECK(d.units[0].inner == expected, hexOf(message));
        FUZZ_CHECK(d.units[0].innerProtocol == (expected.isEmpty() ? Protocol::None : Protocol::Stomp), hexOf(message));
        FUZZ_CHECK(decoder.state(sender) == reference.state(sender), hexOf(message));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in(data, size);
    const quint8 options = in.takeByte();
    const Sender sender = options & 1 ? Sender::Server : Sender::Client;
    const QList<qsizetype> plan = in.takeChunkPlan();
    if (options & 2)
        carriedMode(sender, in.rest(), plan);
    else
        frameMode(sender, in.rest());
    return 0;
}
