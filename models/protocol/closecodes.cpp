#include "protocol/closecodes.h"

#include <QCoreApplication>
#include <QtEndian>

namespace {

// Translation context for the close codes' names and meanings (CloseCodes is a namespace). A
// CloseCodeInfo carries the registry's English name, as the jsonl writer and session files record it
// (close_name); label() translates it for people. Sources ("RFC 6455", "IANA", ...) stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(CloseCodes)
};

struct Registered {
    quint16 code;
    const char *name;
    const char *meaning;
    const char *source;
};

// RFC 6455 §7.4.1 defines 1000-1011 and 1015; IANA registered 1012-1014 later (the registry also
// records 1015 as RFC 6455's). Meanings are written for someone meeting the code for the first time.
// Names and meanings are translated where they are used.
constexpr Registered kRegistered[] = {
    { 1000, QT_TRANSLATE_NOOP("CloseCodes", "Normal Closure"),
        QT_TRANSLATE_NOOP("CloseCodes", "The connection did what it was opened for and is being closed on purpose."),
        "RFC 6455" },
    { 1001, QT_TRANSLATE_NOOP("CloseCodes", "Going Away"),
        QT_TRANSLATE_NOOP("CloseCodes", "The server is going down or the browser navigated away from the page."),
        "RFC 6455" },
    { 1002, QT_TRANSLATE_NOOP("CloseCodes", "Protocol Error"),
        QT_TRANSLATE_NOOP("CloseCodes", "The endpoint received a frame that breaks the WebSocket protocol rules."),
        "RFC 6455" },
    { 1003, QT_TRANSLATE_NOOP("CloseCodes", "Unsupported Data"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "The endpoint received a kind of data it cannot accept, such as binary data when it only understands "
            "text."),
        "RFC 6455" },
    { 1004, QT_TRANSLATE_NOOP("CloseCodes", "Reserved"),
        QT_TRANSLATE_NOOP(
            "CloseCodes", "Reserved by RFC 6455 for a future meaning; it must not be sent in a close frame."),
        "RFC 6455" },
    { 1005, QT_TRANSLATE_NOOP("CloseCodes", "No Status Received"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "Never sent on the wire: an API reports it when the peer's close frame carried no status code."),
        "RFC 6455" },
    { 1006, QT_TRANSLATE_NOOP("CloseCodes", "Abnormal Closure"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "Never sent on the wire: an API reports it when the connection dropped without any close frame."),
        "RFC 6455" },
    { 1007, QT_TRANSLATE_NOOP("CloseCodes", "Invalid Payload Data"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "A message carried data that does not match its type, such as invalid UTF-8 in a text message."),
        "RFC 6455" },
    { 1008, QT_TRANSLATE_NOOP("CloseCodes", "Policy Violation"),
        QT_TRANSLATE_NOOP(
            "CloseCodes", "A message broke the endpoint's rules; a generic code used when no more specific one fits."),
        "RFC 6455" },
    { 1009, QT_TRANSLATE_NOOP("CloseCodes", "Message Too Big"),
        QT_TRANSLATE_NOOP("CloseCodes", "A message or frame was too big for the endpoint to process."), "RFC 6455" },
    { 1010, QT_TRANSLATE_NOOP("CloseCodes", "Mandatory Extension"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "The client closes because the server did not agree to an extension the client requires; the reason names "
            "them."),
        "RFC 6455" },
    { 1011, QT_TRANSLATE_NOOP("CloseCodes", "Internal Error"),
        QT_TRANSLATE_NOOP(
            "CloseCodes", "The server hit an unexpected condition that kept it from completing the request."),
        "RFC 6455" },
    { 1012, QT_TRANSLATE_NOOP("CloseCodes", "Service Restart"),
        QT_TRANSLATE_NOOP(
            "CloseCodes", "The server is restarting; a client may reconnect after a short, randomized wait."),
        "IANA" },
    { 1013, QT_TRANSLATE_NOOP("CloseCodes", "Try Again Later"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "The server is temporarily overloaded or cannot serve now; the client should try again later."),
        "IANA" },
    { 1014, QT_TRANSLATE_NOOP("CloseCodes", "Bad Gateway"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "A gateway or proxy in front of the server received an invalid response from the server behind it."),
        "IANA" },
    { 1015, QT_TRANSLATE_NOOP("CloseCodes", "TLS Handshake"),
        QT_TRANSLATE_NOOP("CloseCodes",
            "Never sent on the wire: an API reports it when the TLS handshake failed, for example because the "
            "server's certificate could not be verified."),
        "RFC 6455" },
};

constexpr quint16 kFirstRegistered = 1000;
constexpr quint16 kLastRegistered = 1015;
static_assert(std::size(kRegistered) == kLastRegistered - kFirstRegistered + 1, "one entry per code, in order");

CloseCodeInfo fromRegistered(const Registered &r)
{
    CloseCodeInfo info;
    info.code = r.code;
    info.name = QString::fromLatin1(r.name);
    info.meaning = QCoreApplication::translate("CloseCodes", r.meaning);
    info.validOnWire = CloseCodes::isValidOnWire(r.code);
    info.reserved = CloseCodes::isReserved(r.code);
    info.source = QString::fromLatin1(r.source);
    return info;
}

} // namespace

bool CloseCodes::isValidOnWire(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

bool CloseCodes::isReserved(quint16 code)
{
    return code == Reserved1004 || code == NoStatusReceived || code == AbnormalClosure || code == TlsHandshake;
}

CloseCodeInfo CloseCodes::info(quint16 code)
{
    if (code >= kFirstRegistered && code <= kLastRegistered)
        return fromRegistered(kRegistered[code - kFirstRegistered]);

    CloseCodeInfo info;
    info.code = code;
    info.validOnWire = isValidOnWire(code);
    info.reserved = false;
    if (code < 1000) {
        info.name = QLatin1String(QT_TRANSLATE_NOOP("CloseCodes", "Unused"));
        info.meaning = Tr::tr("Codes below 1000 are not used by WebSocket; a close frame must not carry one.");
        info.source = QStringLiteral("unassigned");
    } else if (code < 3000) {
        info.name = QLatin1String(QT_TRANSLATE_NOOP("CloseCodes", "Reserved for the protocol"));
        info.meaning = Tr::tr("Kept for future revisions of the WebSocket protocol and its extensions; not "
                              "assigned yet, so it must not be sent.");
        info.source = QStringLiteral("unassigned");
    } else if (code < 4000) {
        info.name = QLatin1String(QT_TRANSLATE_NOOP("CloseCodes", "Registered by a library or framework"));
        info.meaning = Tr::tr("A code that libraries, frameworks and applications register with IANA; "
                              "valid, its meaning is defined by whoever registered it.");
        info.source = QStringLiteral("IANA");
    } else if (code < 5000) {
        info.name = QLatin1String(QT_TRANSLATE_NOOP("CloseCodes", "Private use"));
        info.meaning = Tr::tr("A code an application chose for itself by agreement with its peer; valid, "
                              "its meaning is private to that application.");
        info.source = QStringLiteral("private use");
    } else {
        info.name = QLatin1String(QT_TRANSLATE_NOOP("CloseCodes", "Invalid"));
        info.meaning = Tr::tr("Codes from 5000 up are outside every range RFC 6455 defines; a close frame "
                              "must not carry one.");
        info.source = QStringLiteral("unassigned");
    }
    return info;
}

QByteArray CloseCodes::fittingReason(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= 123)
        return utf8;
    qsizetype cut = 123;
    while (cut > 0 && (uchar(utf8[cut]) & 0xC0) == 0x80)
        --cut;
    return utf8.left(cut);
}

QString CloseCodes::label(quint16 code)
{
    const QByteArray name = info(code).name.toLatin1();
    return QString::number(code) + QLatin1Char(' ') + QCoreApplication::translate("CloseCodes", name.constData());
}

QList<CloseCodeInfo> CloseCodes::registry()
{
    QList<CloseCodeInfo> list;
    list.reserve(std::size(kRegistered));
    for (const Registered &r : kRegistered)
        list.append(fromRegistered(r));
    return list;
}

ClosePayload ClosePayload::parse(QByteArrayView payload)
{
    ClosePayload result;
    // A single byte cannot hold a code; it is a protocol error the parser reports, and there is no
    // reason text either, so nothing is extracted.
    if (payload.size() < 2)
        return result;
    result.hasCode = true;
    result.code = qFromBigEndian<quint16>(payload.data());
    result.reason = payload.sliced(2).toByteArray();
    return result;
}
