// Fuzz target for MQTT (models/decode/mqttpacket.h, models/decode/mqttdecoder.h): one sender's byte
// stream, as MQTT over WebSocket carries it in messages that may end anywhere.
//
// Input: [configuration] [chunk plan (fuzzinput.h)] [the stream]. Configuration byte:
//   bits 0-2  the version the decoders start from: 0 none, 1 MQTT 3.1, 2 MQTT 3.1.1, 3 MQTT 5,
//             4 MQTT 5 guessed (the state's version byte; other values: none)
//   bit 3     the stream is the server's (else the client's)
//   bit 4     the messages are text (MQTT requires binary)
//   bit 5     a remaining-length limit of 64 bytes (else the spec's, 256 MiB - 1)
//
// Checks:
// - every whole packet of the stream, read as MQTT 3.1, 3.1.1 and 5: a refusal has a reason; a
//   packet has a one-line summary and fields, and written out again it reads back the same, is
//   never longer, and is the same bytes when it is as long (only non-shortest lengths shrink);
// - the decoder fed the stream as one message and in the chunks the plan cuts decodes the same
//   packets (type, summary but for the continuation mark, fields but for the reassembly note,
//   error, pairs), up to the first bytes that are not a packet, which both report there; and ends
//   in the same state when there were none;
// - a decoder given the states saved before a chunk decodes it exactly as the one that ran on;
// - every Decoded has units or an error (not both), every unit a one-line summary, every
//   error a reason; a state is the version byte alone, or empty, unless a packet is unfinished;
// - the composer's templates parse.

#include "decode/mqttdecoder.h"
#include "decode/mqttpacket.h"
#include "fuzzinput.h"

namespace {

using namespace Decode;

const QString Continued = QStringLiteral(" (continued from earlier messages)");

bool isPacketUnit(const Unit &u)
{
    return u.type != QLatin1String("partial") && u.type != QLatin1String("text") && u.type != QLatin1String("empty")
        && u.type != QLatin1String("invalid");
}

// A unit as it reads whole: without the marks of having been reassembled.
Unit normalized(Unit u)
{
    if (u.summary.endsWith(Continued))
        u.summary.chop(Continued.size());
    if (!u.fields.isEmpty() && u.fields.first().name == QLatin1String("reassembled"))
        u.fields.removeFirst();
    return u;
}

// The reason bytes were skipped for, without how many: that depends on where the message ended.
QString skipReason(const QString &error)
{
    return error.left(error.lastIndexOf(QLatin1String(". "), error.indexOf(QLatin1String(" skipped: "))));
}

struct Run {
    QList<Unit> packets; // up to the first skip
    QString skipped; // why bytes were skipped, if they were
};

void note(Run &run, const Decoded &d)
{
    if (!run.skipped.isEmpty())
        return;
    for (const Unit &u : d.units) {
        if (u.type == QLatin1String("invalid")) {
            run.skipped = skipReason(u.error);
            return;
        }
        if (isPacketUnit(u))
            run.packets << normalized(u);
    }
    if (!d.error.isEmpty())
        run.skipped = skipReason(d.error);
}

void checkDecoded(const Decoded &d, const QByteArray &state)
{
    FUZZ_CHECK(d.protocol == Protocol::Mqtt, d.summary());
    FUZZ_CHECK(d.units.isEmpty() != d.error.isEmpty(), d.summary());
    for (const Unit &u : d.units) {
        FUZZ_CHECK(!u.type.isEmpty(), u.summary);
        FUZZ_CHECK(!u.summary.isEmpty() && !u.summary.contains(QLatin1Char('\n')), u.summary);
        FUZZ_CHECK(u.type != QLatin1String("partial") || u.correlations.isEmpty(), u.summary);
        FUZZ_CHECK(u.type != QLatin1String("invalid") || !u.error.isEmpty(), u.summary);
    }
    const bool unfinished = !d.units.isEmpty() && d.units.last().type == QLatin1String("partial");
    FUZZ_CHECK(unfinished == (state.size() > 1), QString::fromLatin1(state.toHex()) + QLatin1Char(' ') + d.summary());
}

void checkPacket(QByteArrayView bytes, Mqtt::Version version)
{
    QString error;
    const auto p = Mqtt::parse(bytes, version, &error);
    if (!p) {
        FUZZ_CHECK(!error.isEmpty(), QStringLiteral("a refusal without a reason: ") + hexOf(bytes));
        return;
    }
    const QString line = Mqtt::summary(*p);
    FUZZ_CHECK(!line.isEmpty() && !line.contains(QLatin1Char('\n')), line);
    Mqtt::FixedHeader header;
    FUZZ_CHECK(Mqtt::readFixedHeader(bytes, &header) == Mqtt::HeaderStatus::Complete, hexOf(bytes));
    FUZZ_CHECK(Mqtt::fields(*p, header).size() > 1 || p->type == Mqtt::Type::PingReq || p->type == Mqtt::Type::PingResp
            || p->type == Mqtt::Type::Disconnect,
        line);
    const QByteArray again = Mqtt::encode(*p);
    const auto back = Mqtt::parse(again, version, &error);
    FUZZ_CHECK(back, error + QStringLiteral(": ") + hexOf(again));
    FUZZ_CHECK(*back == *p, hexOf(bytes) + QStringLiteral(" -> ") + hexOf(again));
    FUZZ_CHECK(again.size() <= bytes.size(), hexOf(bytes) + QStringLiteral(" -> ") + hexOf(again));
    FUZZ_CHECK(again.size() < bytes.size() || again == bytes, hexOf(bytes) + QStringLiteral(" -> ") + hexOf(again));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    const quint8 config = input.takeByte();
    const QList<qsizetype> plan = input.takeChunkPlan();
    const QByteArrayView bytes = input.rest();
    static const char versions[] = { 0, 3, 4, 5, char(0x85), 0, 0, 0 };
    const QByteArray initial = versions[config & 0x07] ? QByteArray(1, versions[config & 0x07]) : QByteArray();
    const Sender sender = config & 0x08 ? Sender::Server : Sender::Client;
    const bool binary = !(config & 0x10);
    const quint32 limit = config & 0x20 ? 64 : Mqtt::MaxRemainingLength;

    // The packets one by one, in every version.
    for (qsizetype pos = 0; pos < bytes.size();) {
        Mqtt::FixedHeader header;
        if (Mqtt::readFixedHeader(bytes.sliced(pos), &header, nullptr, limit) != Mqtt::HeaderStatus::Complete
            || header.packetSize() > bytes.size() - pos)
            break;
        const QByteArrayView packet = bytes.sliced(pos, header.packetSize());
        for (Mqtt::Version v : { Mqtt::Version::V31, Mqtt::Version::V311, Mqtt::Version::V5 })
            checkPacket(packet, v);
        pos += packet.size();
    }

    // Whole and in chunks, with a decoder restored from the saved states before every chunk.
    MqttDecoder whole(limit);
    whole.setState(Sender::Client, initial);
    whole.setState(Sender::Server, initial);
    const Decoded all = whole.decode(sender, binary, bytes);
    checkDecoded(all, whole.state(sender));
    Run wholeRun;
    note(wholeRun, all);

    MqttDecoder chunked(limit);
    chunked.setState(Sender::Client, initial);
    chunked.setState(Sender::Server, initial);
    Run chunkRun;
    for (const QByteArrayView chunk : splitByPlan(bytes, plan)) {
        const QByteArray client = chunked.state(Sender::Client);
        const QByteArray server = chunked.state(Sender::Server);
        const Decoded d = chunked.decode(sender, binary, chunk);
        checkDecoded(d, chunked.state(sender));
        note(chunkRun, d);
        MqttDecoder restored(limit);
        restored.setState(Sender::Client, client);
        restored.setState(Sender::Server, server);
        FUZZ_CHECK(restored.decode(sender, binary, chunk) == d, d.summary());
        FUZZ_CHECK(restored.state(Sender::Client) == chunked.state(Sender::Client)
                && restored.state(Sender::Server) == chunked.state(Sender::Server),
            d.summary());
    }

    // The same packets either way, up to where bytes were skipped.
    const qsizetype common = qMin(wholeRun.packets.size(), chunkRun.packets.size());
    for (qsizetype i = 0; i < common; ++i) {
        const Unit &a = wholeRun.packets[i];
        const Unit &b = chunkRun.packets[i];
        FUZZ_CHECK(a == b,
            a.summary + QStringLiteral(" | ") + b.summary + QStringLiteral(" | ") + a.error + QStringLiteral(" | ")
                + b.error);
    }
    FUZZ_CHECK(wholeRun.packets.size() == chunkRun.packets.size(),
        QStringLiteral("%1 packets whole, %2 in chunks").arg(wholeRun.packets.size()).arg(chunkRun.packets.size()));
    FUZZ_CHECK(wholeRun.skipped == chunkRun.skipped, wholeRun.skipped + QStringLiteral(" | ") + chunkRun.skipped);
    if (wholeRun.skipped.isEmpty() && !bytes.isEmpty())
        FUZZ_CHECK(whole.state(sender) == chunked.state(sender),
            QString::fromLatin1(whole.state(sender).toHex() + " | " + chunked.state(sender).toHex()));

    // The composer's packets parse as what they are named.
    for (Mqtt::Version v : { Mqtt::Version::V311, Mqtt::Version::V5 })
        for (const ComposerTemplate &t : Mqtt::templates(v)) {
            QString error;
            const auto p = Mqtt::parse(
                t.text, t.name == QLatin1String("CONNECT (MQTT 3.1.1)") ? Mqtt::Version::V311 : v, &error);
            FUZZ_CHECK(p && t.name.startsWith(Mqtt::typeName(p->type)), t.name + QStringLiteral(": ") + error);
        }
    return 0;
}
