#include "protocol/relayhandshake.h"

#include "text/displaytext.h"

#include <QCoreApplication>

#include <algorithm>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(RelayHandshake)
};

void appendHeaderLine(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

bool isHeader(QByteArrayView line, QByteArrayView name)
{
    return line.size() > name.size() && line[name.size()] == ':'
        && line.first(name.size()).compare(name, Qt::CaseInsensitive) == 0;
}

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 431:
        return "Request Header Fields Too Large";
    case 502:
        return "Bad Gateway";
    case 504:
        return "Gateway Timeout";
    default:
        return "Error";
    }
}

} // namespace

namespace RelayHandshake {

std::optional<QUrl> upstreamUrl(const QUrl &to, QByteArrayView target, QString *error)
{
    if (!target.startsWith('/')) {
        if (error)
            *error = Tr::tr("request target %1 is not a path; a relay takes requests for paths like /chat")
                         .arg(QString::fromLatin1(target.first(qMin<qsizetype>(target.size(), 200))));
        return std::nullopt;
    }
    const qsizetype question = target.indexOf('?');
    const QByteArrayView path = question < 0 ? target : target.first(question);
    const QByteArrayView query = question < 0 ? QByteArrayView() : target.sliced(question + 1);

    QUrl url = to;
    if (path != "/") {
        QByteArray joined = to.path(QUrl::FullyEncoded).toLatin1();
        if (joined.endsWith('/'))
            joined.chop(1);
        joined += path;
        url.setPath(QString::fromLatin1(joined), QUrl::TolerantMode);
    }
    if (question >= 0) {
        QByteArray joinedQuery = to.query(QUrl::FullyEncoded).toLatin1();
        if (!joinedQuery.isEmpty() && !query.isEmpty())
            joinedQuery += '&';
        joinedQuery += query;
        url.setQuery(QString::fromLatin1(joinedQuery), QUrl::TolerantMode);
    }
    if (!url.isValid()) {
        if (error)
            *error = Tr::tr("request target %1 does not make a valid URL with %2: %3")
                         .arg(QString::fromLatin1(target.first(qMin<qsizetype>(target.size(), 200))), to.toString(),
                             url.errorString());
        return std::nullopt;
    }
    return url;
}

std::optional<QUrl> absoluteTarget(QByteArrayView target, QString *error)
{
    QUrl url(QString::fromLatin1(target), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool plain = scheme == QLatin1String("http") || scheme == QLatin1String("ws");
    const bool secure = scheme == QLatin1String("https") || scheme == QLatin1String("wss");
    if (!url.isValid() || url.host().isEmpty() || (!plain && !secure)) {
        if (error)
            *error = Tr::tr("request target %1 is not an absolute http://, https://, ws:// or wss:// URL")
                         .arg(DisplayText::line(target, 200));
        return std::nullopt;
    }
    url.setScheme(plain ? QStringLiteral("ws") : QStringLiteral("wss"));
    return url;
}

std::optional<Authority> connectAuthority(QByteArrayView target, QString *error)
{
    const QString text = QString::fromLatin1(target);
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    QString host = colon > 0 ? text.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    // Only what a host name or address is made of: QUrl would take a NUL inside an IPv6 literal.
    // ASCII only: a certificate's DNS name is ASCII (an international name comes as xn--...).
    const bool plain = std::all_of(host.cbegin(), host.cend(), [](QChar c) {
        return (c.unicode() < 128 && c.isLetterOrNumber()) || c == u'.' || c == u'-' || c == u':' || c == u'_';
    });
    QUrl check;
    check.setHost(host, QUrl::StrictMode);
    if (!ok || port == 0 || port > 65535 || host.isEmpty() || !plain || !check.isValid() || check.host().isEmpty()) {
        if (error)
            *error = Tr::tr("CONNECT target %1 is not host:port").arg(DisplayText::line(target, 200));
        return std::nullopt;
    }
    return Authority { host, quint16(port) };
}

QByteArray forwardPlainRequest(const HttpRequest &request, const QUrl &url)
{
    QByteArray out = request.method + ' ' + Handshake::requestTarget(url) + ' ' + request.version + "\r\n";
    for (const HttpHeader &header : request.headers) {
        const QByteArray lower = header.name.toLower();
        if (lower == "connection" || lower == "proxy-connection" || lower == "keep-alive")
            continue;
        appendHeaderLine(out, header.name, header.value);
    }
    appendHeaderLine(out, "Connection", "close");
    out += "\r\n";
    return out;
}

QByteArray forwardRequest(const HttpRequest &request, const QUrl &upstream, QByteArrayView origin, bool dropExtensions)
{
    const QByteArrayView raw = request.raw;
    QByteArray out;
    out.reserve(raw.size() + 64);
    out += request.method + ' ' + Handshake::requestTarget(upstream) + ' ' + request.version + "\r\n";

    const QByteArray host = Handshake::hostHeaderValue(upstream);
    bool originWritten = origin.isEmpty();
    qsizetype start = raw.indexOf('\n') + 1; // past the request line
    while (start < raw.size()) {
        qsizetype end = raw.indexOf('\n', start);
        end = end < 0 ? raw.size() : end + 1;
        const QByteArrayView line = raw.sliced(start, end - start);
        start = end;
        const bool blank = line == "\r\n" || line == "\n";
        if (blank) {
            if (!originWritten)
                appendHeaderLine(out, "Origin", origin);
            out += line;
            break;
        }
        if (isHeader(line, "host")) {
            appendHeaderLine(out, line.first(4), host); // the name as the application wrote it
            if (!originWritten && !HttpHeaderList::contains(request.headers, "origin")) {
                appendHeaderLine(out, "Origin", origin);
                originWritten = true;
            }
        } else if (!origin.isEmpty() && isHeader(line, "origin")) {
            if (!originWritten)
                appendHeaderLine(out, line.first(6), origin);
            originWritten = true; // a repeated Origin goes once, replaced
        } else if (dropExtensions && isHeader(line, "sec-websocket-extensions")) {
            continue;
        } else {
            out += line;
        }
    }
    return out;
}

QList<Change> requestChanges(const HttpRequest &fromApp, const HttpRequest &forwarded)
{
    QList<Change> changes;
    if (fromApp.target != forwarded.target)
        changes.append({ "request target", fromApp.target, forwarded.target });
    QList<QByteArray> seen;
    auto compare = [&](const HttpHeader &header) {
        const QByteArray lower = header.name.toLower();
        if (seen.contains(lower))
            return;
        seen.append(lower);
        const bool inApp = HttpHeaderList::contains(fromApp.headers, lower);
        const bool inForwarded = HttpHeaderList::contains(forwarded.headers, lower);
        const QByteArray before = HttpHeaderList::value(fromApp.headers, lower);
        const QByteArray after = HttpHeaderList::value(forwarded.headers, lower);
        if (inApp != inForwarded || before != after)
            changes.append({ header.name, before, after });
    };
    for (const HttpHeader &header : fromApp.headers)
        compare(header);
    for (const HttpHeader &header : forwarded.headers)
        compare(header);
    return changes;
}

QByteArray errorResponse(int status, const QString &why)
{
    const QByteArray body = why.toUtf8() + '\n';
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status).toByteArray() + "\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += body;
    return out;
}

} // namespace RelayHandshake
