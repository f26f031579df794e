#include "decode/stompdecoder.h"

#include "text/displaytext.h"
#include "text/jsontext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>
#include <QSet>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(StompDecoder)
};

using namespace Decode;
using Stomp::Item;
using Stomp::Version;

// A message of a million tiny frames or heart-beats is legal but no peer sends one: units stop here,
// and the rest of the message is one unit that says so.
constexpr qsizetype MaxUnits = 1000;

int slot(Sender sender)
{
    return sender == Sender::Server ? 1 : 0;
}

char versionCode(Version version)
{
    switch (version) {
    case Version::Unknown:
        return '?';
    case Version::V1_0:
        return '0';
    case Version::V1_1:
        return '1';
    case Version::V1_2:
        return '2';
    }
    return '?';
}

std::optional<Version> versionFromCode(char code)
{
    switch (code) {
    case '?':
        return Version::Unknown;
    case '0':
        return Version::V1_0;
    case '1':
        return Version::V1_1;
    case '2':
        return Version::V1_2;
    }
    return std::nullopt;
}

bool startsWithCommandLine(QByteArrayView payload)
{
    const qsizetype lf = payload.indexOf('\n');
    if (lf <= 0)
        return false;
    const QByteArrayView line = payload.first(lf);
    return Stomp::isKnownCommand(line.endsWith('\r') ? line.chopped(1) : line);
}

// A message that ends inside a frame is kept for the next one only when it is a STOMP frame on its
// way: a known command, or the start of one (a split inside the command line is unlikely but legal).
bool worthCarrying(const Item &item, QByteArrayView bytes)
{
    if (Stomp::isKnownCommand(item.frame.command))
        return true;
    if (bytes.contains('\n'))
        return false;
    // The command line is cut: a start of a known command, maybe with the CR of a CR LF.
    QByteArrayView start = bytes;
    if (start.endsWith('\r'))
        start.chop(1);
    if (start.isEmpty())
        return false;
    for (const char *known : { "CONNECTED", "CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK",
             "BEGIN", "COMMIT", "ABORT", "DISCONNECT", "MESSAGE", "RECEIPT", "ERROR" })
        if (QByteArrayView(known).startsWith(start))
            return true;
    return false;
}

bool isJsonBody(const Stomp::Frame &frame)
{
    const auto type = frame.header("content-type");
    if (type && type->toLower().contains("json"))
        return true;
    return JsonText::startsWithContainer(frame.body) && !JsonText::check(QString::fromUtf8(frame.body));
}

QList<Field> frameFields(const Stomp::Frame &frame)
{
    QList<Field> fields;
    fields << Field(Tr::tr("command"), textOrHex(frame.command));
    Field headers(Tr::tr("headers"), QString::number(frame.headers.size()));
    QSet<QByteArray> seen;
    for (const auto &[name, value] : frame.headers) {
        Field f(textOrHex(name), textOrHex(value));
        // STOMP 1.2 "Repeated Header Entries": only the first one counts.
        if (seen.contains(name))
            f.children << Field(Tr::tr("repeated"), Tr::tr("ignored: the first one counts"));
        seen.insert(name);
        headers.children << f;
    }
    fields << headers;
    if (!frame.body.isEmpty())
        fields << Field(
            Tr::tr("body"), textOrHex(frame.body), isJsonBody(frame) ? jsonFields(frame.body) : QList<Field>());
    return fields;
}

// What a frame still arriving is: its command and destination.
QString headLine(const Stomp::Frame &frame)
{
    QString what = DisplayText::line(frame.command, 40);
    if (const auto destination = frame.header("destination"))
        what += QLatin1Char(' ') + DisplayText::line(*destination, 80);
    return what;
}

QString joined(const QString &a, const QString &b)
{
    return a.isEmpty() ? b : b.isEmpty() ? a : a + QStringLiteral("; ") + b;
}

} // namespace

StompDecoder::StompDecoder(qsizetype carryLimit)
    : m_carryLimit(carryLimit)
{
}

bool StompDecoder::carrying(Sender sender) const
{
    return !m_sides[slot(sender)].carry.isEmpty();
}

Version StompDecoder::version(Sender sender) const
{
    return m_sides[slot(sender)].version;
}

Unit StompDecoder::unit(const Item &item, Sender sender) const
{
    Unit u;
    u.error = item.error;
    switch (item.kind) {
    case Item::Kind::Heartbeat:
        u.type = QStringLiteral("heart-beat");
        u.summary = Tr::tr("heart-beat");
        return u;
    case Item::Kind::Invalid:
        u.type = QStringLiteral("invalid");
        u.summary = !item.frame.command.isEmpty() ? DisplayText::line(item.frame.command, 40)
            : item.size == 1                      ? Tr::tr("NUL byte")
                                                  : Tr::tr("%1 NUL bytes").arg(item.size);
        return u;
    case Item::Kind::Frame:
    case Item::Kind::Unfinished:
        break;
    }
    const Stomp::Frame &frame = item.frame;
    const bool known = Stomp::isKnownCommand(frame.command);
    u.type = known ? QString::fromLatin1(frame.command) : QStringLiteral("unknown");
    u.summary = Stomp::summary(frame);
    u.fields = frameFields(frame);
    if (item.kind == Item::Kind::Frame && known) {
        u.correlations = Stomp::correlations(frame);
        if (sender == Sender::Client && Stomp::isServerCommand(frame.command))
            u.error = joined(u.error, Tr::tr("%1 is a server frame, but the client sent it").arg(u.type));
        else if (sender == Sender::Server && Stomp::isClientCommand(frame.command))
            u.error = joined(u.error, Tr::tr("%1 is a client frame, but the server sent it").arg(u.type));
    }
    if (frame.command == "CONNECTED" && item.kind == Item::Kind::Frame
        && !Stomp::versionFromHeader(frame.header("version")))
        u.error = joined(u.error,
            Tr::tr("version %1 is none of 1.0, 1.1 and 1.2")
                .arg(DisplayText::quoted(frame.header("version").value_or(QByteArray()), 20)));
    return u;
}

Unit StompDecoder::partialUnit(const Side &side, const Item &head) const
{
    Unit u;
    const bool known = Stomp::isKnownCommand(head.frame.command);
    u.type = known ? QString::fromLatin1(head.frame.command) : QStringLiteral("partial");
    const QString what = headLine(head.frame);
    const QString soFar = SizeFormat::compact(quint64(side.carry.size()));
    u.summary = Tr::tr("%1, unfinished: %2 so far in %3, the rest in the next message")
                    .arg(what, soFar, side.pieces == 1 ? Tr::tr("1 message") : Tr::tr("%1 messages").arg(side.pieces));
    u.fields = frameFields(head.frame);
    if (head.bodyOffset >= 0)
        u.fields << Field(Tr::tr("body so far"), SizeFormat::bytes(quint64(side.carry.size() - head.bodyOffset)));
    u.fields << Field(Tr::tr("unfinished"),
        Tr::tr("%1 in %2; a frame split across messages (stomp.js splitLargeFrames) "
               "continues in the sender's next message")
            .arg(SizeFormat::bytes(quint64(side.carry.size())))
            .arg(side.pieces == 1 ? Tr::tr("1 message") : Tr::tr("%1 messages").arg(side.pieces)));
    return u;
}

Decoded StompDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Q_UNUSED(binary) // frames with a binary body come as binary messages (stomp.js, RabbitMQ); read the same
    Decoded d;
    d.protocol = Protocol::Stomp;
    Side &side = m_sides[slot(sender)];

    QByteArray joinedBytes;
    QByteArrayView data = payload;
    quint32 pieces = 1; // messages the first item's bytes came in
    if (!side.carry.isEmpty()) {
        if (startsWithCommandLine(payload)) {
            // The kept frame never got its end: this message starts another one.
            const QList<Item> kept = Stomp::parse(side.carry, side.version);
            for (const Item &item : kept) {
                Unit u = unit(item, sender);
                if (item.kind == Item::Kind::Unfinished)
                    u.error = joined(u.error,
                        Tr::tr("the next message starts a new frame, so this one never ended "
                               "(a server that buffers split frames, as Spring does, reads "
                               "both as one)"));
                d.units << u;
            }
            side.carry.clear();
            side.pieces = 0;
        } else if (side.carry.size() + payload.size() > m_carryLimit) {
            const Item head = Stomp::readHead(side.carry, side.version);
            Unit u = partialUnit(side, head);
            u.summary = Tr::tr("%1, dropped after %2 in %3 messages")
                            .arg(headLine(head.frame), SizeFormat::compact(quint64(side.carry.size() + payload.size())))
                            .arg(side.pieces + 1);
            u.error = Tr::tr("a frame split across messages grew past %1 in %2 messages; its bytes are dropped")
                          .arg(SizeFormat::rounded(quint64(m_carryLimit)))
                          .arg(side.pieces + 1);
            side.carry.clear();
            side.pieces = 0;
            d.units << u;
            return d;
        } else if (!payload.contains('\0')) {
            // Every frame ends with a NUL: without one this piece cannot finish the frame. Only the
            // head is read again, so a long frame in many pieces costs no more than its bytes.
            side.carry += payload;
            ++side.pieces;
            d.units << partialUnit(side, Stomp::readHead(side.carry, side.version));
            return d;
        } else {
            joinedBytes = side.carry;
            joinedBytes += payload;
            data = joinedBytes;
            pieces = side.pieces + 1;
            side.carry.clear();
            side.pieces = 0;
        }
    }
    if (data.isEmpty()) {
        d.error = Tr::tr("an empty message: neither a frame nor a heart-beat");
        return d;
    }

    QList<Item> items = Stomp::parse(data, side.version, MaxUnits);
    bool recognised = !d.units.isEmpty();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Item item = items[i]; // a copy: `items` may be read again below
        const QByteArrayView bytes = data.sliced(item.offset, item.size);
        recognised = recognised || item.kind == Item::Kind::Heartbeat || Stomp::isKnownCommand(item.frame.command);
        if (item.kind == Item::Kind::Unfinished && i == items.size() - 1 && worthCarrying(item, bytes)) {
            if (bytes.size() <= m_carryLimit) {
                recognised = true; // the start of a known command, cut
                side.carry = bytes.toByteArray();
                side.pieces = item.offset == 0 ? pieces : 1;
                Unit u = partialUnit(side, item);
                u.fields << Field(Tr::tr("waiting for"), item.error);
                d.units << u;
                continue;
            }
            Unit u = unit(item, sender);
            u.error = joined(u.error,
                Tr::tr("the frame is larger than %1; not kept for the next message")
                    .arg(SizeFormat::rounded(quint64(m_carryLimit))));
            d.units << u;
            continue;
        }
        Unit u = unit(item, sender);
        if (item.offset == 0 && pieces > 1 && item.kind == Item::Kind::Frame) {
            u.summary += QLatin1Char(' ') + Tr::tr("(split across %1 messages)").arg(pieces);
            u.fields << Field(Tr::tr("split"), Tr::tr("across %1 messages").arg(pieces));
        }
        d.units << u;
        if (item.kind == Item::Kind::Frame && item.frame.command == "CONNECTED" && sender == Sender::Server) {
            // The agreed version decides the escapes of both senders' frames from now on, the
            // frames after it in this message included: those are read again.
            const auto agreed = Stomp::versionFromHeader(item.frame.header("version"));
            if (agreed && *agreed != side.version) {
                m_sides[0].version = m_sides[1].version = *agreed;
                const qsizetype end = item.offset + item.size;
                QList<Item> rest = Stomp::parse(data.sliced(end), *agreed, MaxUnits - (i + 1));
                for (Item &r : rest)
                    r.offset += end;
                items = items.first(i + 1) + rest;
            }
        }
    }
    if (const qsizetype end = items.isEmpty() ? 0 : items.last().offset + items.last().size; end < data.size()) {
        Unit rest;
        rest.type = QStringLiteral("not decoded");
        rest.summary = Tr::tr("%1 more not decoded").arg(SizeFormat::bytes(quint64(data.size() - end)));
        rest.error = Tr::tr("the message holds more than %1 frames and heart-beats; the last %2 are not decoded")
                         .arg(MaxUnits)
                         .arg(SizeFormat::bytes(quint64(data.size() - end)));
        d.units << rest;
    }
    if (!recognised) {
        // Nothing in the message is STOMP: shown raw with the first reason.
        d.error = Tr::tr("not a STOMP frame: %1").arg(items.isEmpty() ? QString() : items.first().error);
        d.units.clear();
    }
    return d;
}

QByteArray StompDecoder::state(Sender sender) const
{
    const Side &side = m_sides[slot(sender)];
    if (side.version == Version::Unknown && side.carry.isEmpty())
        return {};
    QByteArray out(1, versionCode(side.version));
    if (!side.carry.isEmpty()) {
        const quint32 p = side.pieces;
        out += char(p >> 24);
        out += char(p >> 16);
        out += char(p >> 8);
        out += char(p);
        out += side.carry;
    }
    return out;
}

void StompDecoder::setState(Sender sender, const QByteArray &state)
{
    Side &side = m_sides[slot(sender)];
    side = {};
    if (state.isEmpty())
        return;
    const auto version = versionFromCode(state[0]);
    if (!version)
        return;
    side.version = *version;
    if (state.size() < 6)
        return;
    const auto byte = [&](int i) { return quint32(quint8(state[i])); };
    const quint32 pieces = byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4);
    if (pieces == 0 || state.size() - 5 > m_carryLimit)
        return;
    side.pieces = pieces;
    side.carry = state.sliced(5);
}
