#include "protocol/closecodes.h"

#include <QtEndian>

namespace {

struct Registered {
    quint16 code;
    const char *name;
    const char *meaning;
    const char *source;
};

// RFC 6455 §7.4.1 defines 1000-1011 and 1015; IANA registered 1012-1014 later (the registry also
// records 1015 as RFC 6455's). Meanings are written for someone meeting the code for the first time.
constexpr Registered kRegistered[] = {
    { 1000, "Normal Closure", "The connection did what it was opened for and is being closed on purpose.", "RFC 6455" },
    { 1001, "Going Away", "The server is going down or the browser navigated away from the page.", "RFC 6455" },
    { 1002, "Protocol Error", "The endpoint received a frame that breaks the WebSocket protocol rules.", "RFC 6455" },
    { 1003, "Unsupported Data",
        "The endpoint received a kind of data it cannot accept, such as binary data when it only understands text.",
        "RFC 6455" },
    { 1004, "Reserved", "Reserved by RFC 6455 for a future meaning; it must not be sent in a close frame.",
        "RFC 6455" },
    { 1005, "No Status Received",
        "Never sent on the wire: an API reports it when the peer's close frame carried no status code.", "RFC 6455" },
    { 1006, "Abnormal Closure",
        "Never sent on the wire: an API reports it when the connection dropped without any close frame.", "RFC 6455" },
    { 1007, "Invalid Payload Data",
        "A message carried data that does not match its type, such as invalid UTF-8 in a text message.", "RFC 6455" },
    { 1008, "Policy Violation",
        "A message broke the endpoint's rules; a generic code used when no more specific one fits.", "RFC 6455" },
    { 1009, "Message Too Big", "A message or frame was too big for the endpoint to process.", "RFC 6455" },
    { 1010, "Mandatory Extension",
        "The client closes because the server did not agree to an extension the client requires; the reason "
        "names them.",
        "RFC 6455" },
    { 1011, "Internal Error", "The server hit an unexpected condition that kept it from completing the request.",
        "RFC 6455" },
    { 1012, "Service Restart", "The server is restarting; a client may reconnect after a short, randomized wait.",
        "IANA" },
    { 1013, "Try Again Later",
        "The server is temporarily overloaded or cannot serve now; the client should try again later.", "IANA" },
    { 1014, "Bad Gateway",
        "A gateway or proxy in front of the server received an invalid response from the server behind it.", "IANA" },
    { 1015, "TLS Handshake",
        "Never sent on the wire: an API reports it when the TLS handshake failed, for example because the "
        "server's certificate could not be verified.",
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
    info.meaning = QString::fromLatin1(r.meaning);
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
        info.name = QStringLiteral("Unused");
        info.meaning = QStringLiteral("Codes below 1000 are not used by WebSocket; a close frame must not carry one.");
        info.source = QStringLiteral("unassigned");
    } else if (code < 3000) {
        info.name = QStringLiteral("Reserved for the protocol");
        info.meaning = QStringLiteral("Kept for future revisions of the WebSocket protocol and its extensions; not "
                                      "assigned yet, so it must not be sent.");
        info.source = QStringLiteral("unassigned");
    } else if (code < 4000) {
        info.name = QStringLiteral("Registered by a library or framework");
        info.meaning = QStringLiteral("A code that libraries, frameworks and applications register with IANA; "
                                      "valid, its meaning is defined by whoever registered it.");
        info.source = QStringLiteral("IANA");
    } else if (code < 5000) {
        info.name = QStringLiteral("Private use");
        info.meaning = QStringLiteral("A code an application chose for itself by agreement with its peer; valid, "
                                      "its meaning is private to that application.");
        info.source = QStringLiteral("private use");
    } else {
        info.name = QStringLiteral("Invalid");
        info.meaning = QStringLiteral("Codes from 5000 up are outside every range RFC 6455 defines; a close frame "
                                      "must not carry one.");
        info.source = QStringLiteral("unassigned");
    }
    return info;
}

QString CloseCodes::label(quint16 code)
{
    return QString::number(code) + QLatin1Char(' ') + info(code).name;
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
