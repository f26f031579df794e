// Fuzz target for the STOMP frame parser and decoder (models/decode/stompframe.h, stompdecoder.h):
// WebSocket messages a STOMP peer sent.
//
// Input: [options] [chunk plan] [bytes]. Options: bits 0-1 the version (0 not known yet, 1 STOMP
// 1.0, 2 1.1, 3 1.2), bit 2 the server sent it (else the client), bit 3 a carry limit of 64 bytes
// (else the default 16 MiB), bit 4 a binary message. The bytes are parsed as one message, and fed
// to the decoder as one message and as the messages the chunk plan cuts them into.
//
// Checks: the items tile the message; only the last may be unfinished; a heart-beat is line ends
// only; a refusal has a reason; a good frame ends with its NUL, and written out again with encode()
// it reads back the same; summaries are one line. The decoder: a message that says nothing is an
// error, never dropped; its state stays within the limit; a decoder given the state saved before a
// message decodes that message exactly as the first one did; a single good frame cut into pieces
// (none of which starts a frame of its own) reads, when its last piece comes, as it reads whole.

#include "decode/stompdecoder.h"
#include "fuzzinput.h"

namespace {

using namespace Decode;
using Stomp::Item;
using Stomp::Version;

bool oneLine(const QString &s)
{
    return !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r'));
}

bool onlyLineEnds(QByteArrayView b)
{
    for (qsizetype i = 0; i < b.size(); ++i) {
        if (b[i] == '\n')
            continue;
        if (b[i] == '\r' && i + 1 < b.size() && b[i + 1] == '\n')
            continue;
        return false;
    }
    return !b.isEmpty();
}

bool startsWithCommandLine(QByteArrayView b)
{
    const qsizetype lf = b.indexOf('\n');
    if (lf <= 0)
        return false;
    QByteArrayView line = b.first(lf);
    if (line.endsWith('\r'))
        line.chop(1);
    return Stomp::isKnownCommand(line);
}

// A frame whose header value ends with a CR where the version has no \r escape cannot be written
// so that it reads back the same: the CR reads as part of the line end.
bool writable(const Stomp::Frame &f, Version v)
{
    const bool unescaped = v == Version::V1_0 || v == Version::V1_1 || f.command == "CONNECT" || f.command == "STOMP"
        || f.command == "CONNECTED";
    if (!unescaped)
        return true;
    for (const auto &header : f.headers)
        if (header.second.endsWith('\r'))
            return false;
    return true;
}

void checkDecoded(const Decoded &d, const QByteArray &state, qsizetype limit)
{
    FUZZ_CHECK(d.protocol == Protocol::Stomp, QStringLiteral("protocol"));
    FUZZ_CHECK(d.error.isEmpty() != d.units.isEmpty(), QStringLiteral("an error and units, or neither: ") + d.error);
    for (const Unit &u : d.units) {
        FUZZ_CHECK(oneLine(u.summary) && !u.summary.isEmpty(), u.summary);
        FUZZ_CHECK(!u.type.isEmpty(), u.summary);
    }
    FUZZ_CHECK(oneLine(d.summary()), d.summary());
    FUZZ_CHECK(state.size() <= limit + 5, QString::number(state.size()));
}

QByteArray versionState(Version v)
{
    switch (v) {
    case Version::Unknown:
        return {};
    case Version::V1_0:
        return QByteArray("0");
    case Version::V1_1:
        return QByteArray("1");
    case Version::V1_2:
        return QByteArray("2");
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in(data, size);
    const quint8 options = in.takeByte();
    const auto version = Version(options & 3);
    const Sender sender = options & 4 ? Sender::Server : Sender::Client;
    const qsizetype limit = options & 8 ? 64 : StompDecoder::DefaultCarryLimit;
    const bool binary = options & 16;
    const QList<qsizetype> plan = in.takeChunkPlan();
    const QByteArrayView bytes = in.rest();

    // The parser, on the whole message.
    const QList<Item> items = Stomp::parse(bytes, version);
    qsizetype at = 0;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Item &item = items[i];
        FUZZ_CHECK(item.offset == at && item.size > 0, hexOf(bytes));
        at += item.size;
        const QByteArrayView own = bytes.sliced(item.offset, item.size);
        switch (item.kind) {
        case Item::Kind::Heartbeat:
            FUZZ_CHECK(onlyLineEnds(own) && item.error.isEmpty(), hexOf(own));
            break;
        case Item::Kind::Invalid:
            FUZZ_CHECK(!item.error.isEmpty(), QStringLiteral("a refusal without a reason: ") + hexOf(own));
            break;
        case Item::Kind::Unfinished:
            FUZZ_CHECK(i == items.size() - 1, QStringLiteral("an unfinished item before the end: ") + hexOf(bytes));
            FUZZ_CHECK(!item.error.isEmpty(), QStringLiteral("unfinished without a reason: ") + hexOf(own));
            break;
        case Item::Kind::Frame: {
            FUZZ_CHECK(oneLine(Stomp::summary(item.frame)), Stomp::summary(item.frame));
            if (!item.error.isEmpty())
                break;
            qsizetype end = own.size();
            while (end > 0 && (own[end - 1] == '\n' || own[end - 1] == '\r'))
                --end;
            FUZZ_CHECK(end > 0 && own[end - 1] == '\0', QStringLiteral("a good frame without its NUL: ") + hexOf(own));
            FUZZ_CHECK(Stomp::isKnownCommand(item.frame.command), hexOf(own));
            if (!writable(item.frame, version))
                break;
            const QByteArray written = Stomp::encode(item.frame, version);
            const QList<Item> again = Stomp::parse(written, version);
            FUZZ_CHECK(again.size() == 1 && again[0].kind == Item::Kind::Frame && again[0].error.isEmpty(),
                QStringLiteral("written: ") + hexOf(written) + QStringLiteral(" error: ") + again.value(0).error);
            FUZZ_CHECK(again[0].frame == item.frame, QStringLiteral("written: ") + hexOf(written));
            break;
        }
        }
    }
    FUZZ_CHECK(at == bytes.size(), hexOf(bytes));

    // The decoder, on the whole message.
    StompDecoder whole(limit);
    whole.setState(sender, versionState(version));
    const Decoded wholeDecoded = whole.decode(sender, binary, bytes);
    checkDecoded(wholeDecoded, whole.state(sender), limit);

    // The decoder, on the pieces as messages; each one decoded again from the state saved before it.
    const QList<QByteArrayView> pieces = splitByPlan(bytes, plan);
    StompDecoder cut(limit);
    cut.setState(sender, versionState(version));
    QList<Decoded> results;
    for (const QByteArrayView piece : pieces) {
        const QByteArray saved = cut.state(sender);
        results << cut.decode(sender, binary, piece);
        checkDecoded(results.last(), cut.state(sender), limit);
        StompDecoder again(limit);
        again.setState(sender, saved);
        FUZZ_CHECK(again.decode(sender, binary, piece) == results.last(),
            QStringLiteral("restored state decodes otherwise: ") + hexOf(piece));
        FUZZ_CHECK(again.state(sender) == cut.state(sender), hexOf(piece));
    }

    // One good frame in pieces reads as it reads whole.
    bool comparable = items.size() == 1 && items[0].kind == Item::Kind::Frame && items[0].error.isEmpty()
        && items[0].size == bytes.size() && pieces.size() >= 2 && bytes.size() <= limit
        && wholeDecoded.units.size() == 1;
    for (qsizetype i = 1; comparable && i < pieces.size(); ++i)
        comparable = !startsWithCommandLine(pieces[i]);
    if (comparable) {
        const Unit &expected = wholeDecoded.units[0];
        for (qsizetype i = 0; i + 1 < results.size(); ++i) {
            FUZZ_CHECK(results[i].ok() && results[i].units.size() == 1,
                QStringLiteral("piece %1: %2").arg(i).arg(results[i].summary()));
            FUZZ_CHECK(
                results[i].units[0].type == expected.type || results[i].units[0].type == QLatin1String("partial"),
                results[i].units[0].type);
        }
        const Decoded &last = results.last();
        FUZZ_CHECK(last.units.size() == 1, last.summary());
        const Unit &got = last.units[0];
        FUZZ_CHECK(
            got.type == expected.type && got.error == expected.error && got.correlations == expected.correlations,
            got.summary + QStringLiteral(" / ") + expected.summary);
        FUZZ_CHECK(got.summary == expected.summary + QStringLiteral(" (split across %1 messages)").arg(pieces.size()),
            got.summary + QStringLiteral(" / ") + expected.summary);
        FUZZ_CHECK(got.fields.size() == expected.fields.size() + 1
                && got.fields.first(expected.fields.size()) == expected.fields,
            got.summary);
        FUZZ_CHECK(cut.state(sender) == whole.state(sender), QStringLiteral("state after the pieces"));
    }
    return 0;
}
