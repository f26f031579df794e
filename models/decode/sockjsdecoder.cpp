#include "decode/sockjsdecoder.h"

#include "decode/sockjsframe.h"
#include "text/displaytext.h"
#include "text/jsontext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {

// An upper-case word on the first line and a NUL at the end (line ends may follow): a STOMP frame
// by its shape, even with a command STOMP does not have.
bool shapedLikeStompFrame(QByteArrayView m)
{
    qsizetype at = 0;
    while (at < m.size() && m[at] >= 'A' && m[at] <= 'Z')
        ++at;
    if (at == 0 || at >= m.size() || (m[at] != '\n' && m[at] != '\r'))
        return false;
    QByteArrayView end = m;
    while (end.endsWith('\n') || end.endsWith('\r'))
        end.chop(1);
    return end.endsWith('\0');
}

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SockJsDecoder)
};

using namespace Decode;
using SockJs::Frame;

constexpr int SummarisedMessages = 4; // the summary names this many messages, then counts the rest
// A frame of a million empty strings is legal but no peer sends one: the messages past this many are
// checked, counted and not decoded.
constexpr qsizetype MaxMessages = 1000;

QString typeToken(Frame::Type type)
{
    switch (type) {
    case Frame::Type::Open:
        return QStringLiteral("open");
    case Frame::Type::Heartbeat:
        return QStringLiteral("heartbeat");
    case Frame::Type::Messages:
        return QStringLiteral("messages");
    case Frame::Type::Message:
        return QStringLiteral("message");
    case Frame::Type::Close:
        return QStringLiteral("close");
    case Frame::Type::Empty:
        return QStringLiteral("empty");
    }
    return {};
}

// The frame type a message claims by its first character, for an error on a frame of that type.
std::optional<Frame::Type> claimedType(Sender sender, QByteArrayView payload)
{
    if (sender == Sender::Server) {
        switch (payload.isEmpty() ? '\0' : payload.front()) {
        case 'a':
            return Frame::Type::Messages;
        case 'm':
            return Frame::Type::Message;
        case 'c':
            return Frame::Type::Close;
        case 'o':
            return Frame::Type::Open;
        case 'h':
            return Frame::Type::Heartbeat;
        default:
            return std::nullopt;
        }
    }
    const QByteArrayView trimmed = payload.trimmed();
    if (trimmed.startsWith('['))
        return Frame::Type::Messages;
    if (trimmed.startsWith('"'))
        return Frame::Type::Message;
    return std::nullopt;
}

QString frameField(Sender sender, Frame::Type type)
{
    switch (type) {
    case Frame::Type::Open:
        return QStringLiteral("o");
    case Frame::Type::Heartbeat:
        return QStringLiteral("h");
    case Frame::Type::Messages:
        return sender == Sender::Server ? QStringLiteral("a") : Tr::tr("JSON array");
    case Frame::Type::Message:
        return sender == Sender::Server ? QStringLiteral("m") : Tr::tr("JSON string");
    case Frame::Type::Close:
        return QStringLiteral("c");
    case Frame::Type::Empty:
        return Tr::tr("(empty)");
    }
    return {};
}

QString withError(const Unit &u)
{
    return u.error.isEmpty() ? u.summary : Tr::tr("%1 (%2)").arg(u.summary, u.error);
}

} // namespace

SockJsDecoder::SockJsDecoder(qsizetype stompCarryLimit)
    : m_stomp(stompCarryLimit)
{
}

Decoded SockJsDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Decoded d;
    d.protocol = Protocol::SockJs;
    if (binary) {
        d.error = Tr::tr("SockJS frames are text, but this is a binary message of %1")
                      .arg(SizeFormat::bytes(quint64(payload.size())));
        return d;
    }
    QString why;
    const auto frame = sender == Sender::Client ? SockJs::parseClient(payload, &why, MaxMessages)
                                                : SockJs::parseServer(payload, &why, MaxMessages);
    if (!frame) {
        const auto claimed = claimedType(sender, payload);
        if (!claimed) {
            d.error = why;
            return d;
        }
        Unit u;
        u.type = typeToken(*claimed);
        u.summary = DisplayText::line(payload, 60);
        u.fields << Field(Tr::tr("frame"), frameField(sender, *claimed));
        u.error = why;
        d.units << u;
        return d;
    }

    Unit u;
    u.type = typeToken(frame->type);
    u.fields << Field(Tr::tr("frame"), frameField(sender, frame->type));
    switch (frame->type) {
    case Frame::Type::Open:
        u.summary = Tr::tr("open");
        break;
    case Frame::Type::Heartbeat:
        u.summary = Tr::tr("heartbeat");
        break;
    case Frame::Type::Empty:
        u.summary = Tr::tr("empty message (SockJS servers ignore it)");
        break;
    case Frame::Type::Close:
        u.summary = Tr::tr("close %1 %2").arg(frame->closeCode).arg(DisplayText::quoted(frame->closeReason, 60));
        u.fields << Field(Tr::tr("code"), QString::number(frame->closeCode));
        u.fields << Field(Tr::tr("reason"), textOrHex(frame->closeReason));
        break;
    case Frame::Type::Messages:
    case Frame::Type::Message: {
        const qsizetype n = frame->messages.size() + frame->omitted;
        Field messages(Tr::tr("messages"), QString::number(n));
        QStringList parts;
        for (qsizetype i = 0; i < frame->messages.size(); ++i) {
            const QByteArray &m = frame->messages[i];
            Field field(QStringLiteral("[%1]").arg(i), textOrHex(m));
            QString part;
            // STOMP also for a message shaped like a frame whatever its command: an unknown command
            // is STOMP's error to show, not text.
            if (m_stomp.carrying(sender) || Stomp::looksLikeStomp(m) || shapedLikeStompFrame(m)) {
                const Decoded inner = m_stomp.decode(sender, false, m);
                QList<Unit> units = inner.units;
                if (!inner.error.isEmpty()) {
                    Unit e;
                    e.type = QStringLiteral("invalid");
                    e.summary = DisplayText::line(m, 40);
                    e.error = inner.error;
                    units << e;
                }
                QStringList summaries;
                for (const Unit &s : units)
                    summaries << withError(s);
                part = QStringLiteral("STOMP ") + summaries.join(QStringLiteral(" + "));
                u.innerProtocol = Protocol::Stomp;
                u.inner << units;
            } else if (!JsonText::check(QString::fromUtf8(m))) {
                const QString compact = JsonText::compact(QString::fromUtf8(m));
                part = DisplayText::line(compact.toUtf8(), 60);
                if (JsonText::startsWithContainer(m))
                    field.children = jsonFields(m);
            } else {
                part = DisplayText::quoted(m, 60);
            }
            messages.children << field;
            if (i < SummarisedMessages)
                parts << part;
        }
        if (n > SummarisedMessages)
            parts << Tr::tr("%1 more").arg(n - SummarisedMessages);
        if (frame->omitted > 0) {
            messages.children << Field(Tr::tr("(more)"), Tr::tr("not decoded: %1").arg(frame->omitted));
            u.error = Tr::tr("only the first %1 of its %2 messages are decoded").arg(MaxMessages).arg(n);
        }
        u.summary = n == 0 ? Tr::tr("no messages")
            : n == 1       ? Tr::tr("1 message: %1").arg(parts.join(QString()))
                           : Tr::tr("%1 messages: %2").arg(n).arg(parts.join(QStringLiteral(" · ")));
        u.fields << messages;
        break;
    }
    }
    d.units << u;
    return d;
}

QByteArray SockJsDecoder::state(Sender sender) const
{
    return m_stomp.state(sender);
}

void SockJsDecoder::setState(Sender sender, const QByteArray &state)
{
    m_stomp.setState(sender, state);
}
