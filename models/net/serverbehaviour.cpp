#include "net/serverbehaviour.h"

#include "protocol/closecodes.h"
#include "text/sizeformat.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

namespace {

// Translation context for setting names, problems and the summary (ServerBehaviour is a struct).
// HTTP reason phrases are protocol text and stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ServerBehaviour)
};

QString seconds(int ms)
{
    return Tr::tr("%1 s").arg(QString::number(ms / 1000.0, 'g', 10));
}

QString quotedList(const QStringList &items)
{
    return items.join(QStringLiteral(", "));
}

} // namespace

QList<ServerBehaviour::Problem> ServerBehaviour::problems() const
{
    QList<Problem> out;
    auto add = [&out](Setting setting, const QString &message) { out.append(Problem { setting, message }); };

    if (replyDelayMs < 0)
        add(Setting::ReplyDelay, Tr::tr("%1 ms is negative (0: reply at once)").arg(replyDelayMs));
    else if (replyDelayMs > MaxReplyDelayMs)
        add(Setting::ReplyDelay,
            Tr::tr("%1 ms is more than an hour (at most %2)").arg(replyDelayMs).arg(MaxReplyDelayMs));

    if (fragmentSize < 0)
        add(Setting::FragmentSize, Tr::tr("%1 bytes is negative (0: do not fragment replies)").arg(fragmentSize));
    else if (fragmentSize > MaxFragmentSize)
        add(Setting::FragmentSize,
            Tr::tr("%1 bytes is more than Qt's largest frame (%2)").arg(fragmentSize).arg(MaxFragmentSize));

    if (pingIntervalMs < 0)
        add(Setting::PingInterval, Tr::tr("%1 ms is negative (0: never ping)").arg(pingIntervalMs));
    else if (pingIntervalMs > 0 && pingIntervalMs < MinPingIntervalMs)
        add(Setting::PingInterval,
            Tr::tr("every %1 ms is too often (at least %2 ms, or 0: never ping)")
                .arg(pingIntervalMs)
                .arg(MinPingIntervalMs));
    else if (pingIntervalMs > MaxPingIntervalMs)
        add(Setting::PingInterval,
            Tr::tr("%1 ms is more than a day (at most %2)").arg(pingIntervalMs).arg(MaxPingIntervalMs));

    if (closeAfterMessages < 0)
        add(Setting::CloseAfter, Tr::tr("%1 messages is negative (0: never close)").arg(closeAfterMessages));
    // The code and reason matter only when the server is going to send them.
    if (closeAfterMessages > 0) {
        if (!CloseCodes::maySend(closeCode))
            add(Setting::CloseCode,
                Tr::tr("%1 may not be sent in a close frame (RFC 6455 §7.4): use 1000-1003, 1007-1014 "
                       "or 3000-4999")
                    .arg(CloseCodes::label(closeCode)));
        const qsizetype reasonBytes = closeReason.toUtf8().size();
        if (reasonBytes > MaxCloseReasonBytes)
            add(Setting::CloseReason,
                Tr::tr("the reason is %1 bytes in UTF-8; a close frame has room for %2")
                    .arg(reasonBytes)
                    .arg(MaxCloseReasonBytes));
    }

    if (rejectStatus != 0 && (rejectStatus < 400 || rejectStatus > 599))
        add(Setting::RejectStatus,
            Tr::tr("%1 is not a client or server error status: use 400-599 (0: accept handshakes)").arg(rejectStatus));

    for (qsizetype i = 0; i < subprotocols.size(); ++i) {
        const QString &name = subprotocols[i];
        if (!isToken(name))
            add(Setting::Subprotocols,
                Tr::tr("\"%1\" is not a subprotocol name: use letters, digits and !#$%&'*+-.^_`|~, "
                       "without spaces, commas or quotes")
                    .arg(name));
        else if (subprotocols.indexOf(name) < i)
            add(Setting::Subprotocols, Tr::tr("\"%1\" is listed twice").arg(name));
    }

    for (qsizetype i = 0; i < allowedOrigins.size(); ++i) {
        const QString problem = originProblem(allowedOrigins[i]);
        if (!problem.isEmpty())
            add(Setting::AllowedOrigins, problem);
        else if (allowedOrigins.indexOf(allowedOrigins[i]) < i)
            add(Setting::AllowedOrigins, Tr::tr("\"%1\" is listed twice").arg(allowedOrigins[i]));
    }

    if (maxClients < 0)
        add(Setting::MaxClients, Tr::tr("%1 is negative (0: no limit)").arg(maxClients));
    else if (maxClients > MaxClientsLimit)
        add(Setting::MaxClients, Tr::tr("%1 is more than %2").arg(maxClients).arg(MaxClientsLimit));

    if (maxMessageSize == 0)
        add(Setting::MaxMessageSize, Tr::tr("0 bytes would refuse every message"));
    else if (maxMessageSize > MaxMessageSizeLimit)
        add(Setting::MaxMessageSize,
            Tr::tr("%1 bytes is more than Qt accepts (at most %2)").arg(maxMessageSize).arg(MaxMessageSizeLimit));
    return out;
}

QString ServerBehaviour::toString() const
{
    QStringList parts;
    if (rejectStatus != 0)
        parts << Tr::tr("reject every handshake with %1 %2")
                     .arg(rejectStatus)
                     .arg(QString::fromLatin1(reasonPhrase(rejectStatus)));
    if (!allowedOrigins.isEmpty())
        parts << Tr::tr("origins %1").arg(quotedList(allowedOrigins));
    if (!subprotocols.isEmpty())
        parts << Tr::tr("subprotocols %1").arg(quotedList(subprotocols));
    if (maxClients > 0)
        parts << (maxClients == 1 ? Tr::tr("at most %1 client") : Tr::tr("at most %1 clients")).arg(maxClients);
    if (maxMessageSize != DefaultMaxMessageSize)
        parts << Tr::tr("messages up to %1").arg(SizeFormat::bytes(maxMessageSize));
    if (replyDelayMs > 0)
        parts << Tr::tr("reply after %1 ms").arg(replyDelayMs);
    if (fragmentSize > 0)
        parts << Tr::tr("frames of %1").arg(SizeFormat::bytes(fragmentSize));
    if (pingIntervalMs > 0)
        parts << Tr::tr("ping every %1").arg(seconds(pingIntervalMs));
    if (closeAfterMessages > 0) {
        QString close = Tr::tr("close with %1").arg(closeCode);
        if (!closeReason.isEmpty())
            close += QStringLiteral(" \"%1\"").arg(closeReason);
        // Both at once: the reason is the user's text and may hold "%2".
        parts << (closeAfterMessages == 1 ? Tr::tr("%1 after %2 message") : Tr::tr("%1 after %2 messages"))
                     .arg(close, QString::number(closeAfterMessages));
    }
    return parts.isEmpty() ? Tr::tr("defaults") : parts.join(QStringLiteral(", "));
}

bool ServerBehaviour::allowsOrigin(QByteArrayView origin) const
{
    const QString value = QString::fromUtf8(origin).trimmed();
    for (const QString &allowed : allowedOrigins) {
        if (allowed.compare(value, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString ServerBehaviour::selectSubprotocol(const QList<QByteArray> &offered) const
{
    for (const QByteArray &name : offered) {
        const QString candidate = QString::fromUtf8(name);
        if (subprotocols.contains(candidate)) // subprotocol names are case-sensitive (RFC 6455 §4.1)
            return candidate;
    }
    return {};
}

QString ServerBehaviour::settingName(Setting setting)
{
    switch (setting) {
    case Setting::ReplyDelay:
        return Tr::tr("reply delay");
    case Setting::FragmentSize:
        return Tr::tr("fragment size");
    case Setting::PingInterval:
        return Tr::tr("ping interval");
    case Setting::CloseAfter:
        return Tr::tr("close after");
    case Setting::CloseCode:
        return Tr::tr("close code");
    case Setting::CloseReason:
        return Tr::tr("close reason");
    case Setting::RejectStatus:
        return Tr::tr("reject status");
    case Setting::Subprotocols:
        return Tr::tr("subprotocols");
    case Setting::AllowedOrigins:
        return Tr::tr("allowed origins");
    case Setting::MaxClients:
        return Tr::tr("max clients");
    case Setting::MaxMessageSize:
        return Tr::tr("max message size");
    }
    return {};
}

QByteArray ServerBehaviour::reasonPhrase(int status)
{
    // RFC 9110 §15 and the IANA HTTP status code registry.
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 407:
        return "Proxy Authentication Required";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 421:
        return "Misdirected Request";
    case 422:
        return "Unprocessable Content";
    case 425:
        return "Too Early";
    case 426:
        return "Upgrade Required";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 451:
        return "Unavailable For Legal Reasons";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    case 511:
        return "Network Authentication Required";
    default:
        break;
    }
    if (status >= 400 && status < 500)
        return "Client Error";
    if (status >= 500 && status < 600)
        return "Server Error";
    return "Unknown";
}

QList<int> ServerBehaviour::commonRejectStatuses()
{
    return { 400, 401, 403, 404, 426, 429, 500, 503 };
}

bool ServerBehaviour::isToken(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool alnum = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
        if (!alnum && !QStringView(u"!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

QString ServerBehaviour::originProblem(const QString &origin)
{
    if (origin.isEmpty())
        return Tr::tr("an empty origin: write scheme://host[:port], e.g. https://example.org");
    // Sandboxed documents and file:// pages send the opaque origin "null".
    if (origin == QLatin1String("null"))
        return {};
    for (const QChar c : origin) {
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7f || c == u',')
            return Tr::tr("\"%1\" contains spaces, commas or control characters").arg(origin);
    }
    const QUrl url(origin, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return Tr::tr("\"%1\" is not an origin: write scheme://host[:port], e.g. https://example.org").arg(origin);
    if (!url.path().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()) {
        QUrl bare;
        bare.setScheme(url.scheme());
        bare.setHost(url.host());
        bare.setPort(url.port());
        return Tr::tr("\"%1\" is more than an origin (browsers send scheme://host[:port] only): use %2")
            .arg(origin, bare.toString());
    }
    return {};
}

QStringList ServerBehaviour::splitList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}
