#include "protocol/handshake.h"

#include "text/displaytext.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <limits>

namespace {

// Translation context for the parsers' errors and the response check's failures (Handshake is a
// namespace, the parsers are not QObjects). Header names and protocol tokens inside them stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Handshake)
};

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// RFC 7230 §3.2.6 tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    for (char c : bytes) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// "HTTP/" DIGIT "." DIGIT
bool isHttpVersion(QByteArrayView v)
{
    return v.size() == 8 && v.startsWith("HTTP/") && isDigit(v[5]) && v[6] == '.' && isDigit(v[7]);
}

// "48 65 6c 6c 6f (\"Hello\")", at most `max` bytes, " ..." when there are more.
QString describeFirstBytes(QByteArrayView bytes, qsizetype max = 16)
{
    const QByteArrayView shown = bytes.first(qMin(max, bytes.size()));
    QString text = QString::fromLatin1(shown.toByteArray().toHex(' '));
    if (bytes.size() > max)
        text += QStringLiteral(" ...");
    text += QStringLiteral(" (") + DisplayText::quoted(shown) + QLatin1Char(')');
    return text;
}

void appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

enum class LineResult { Ok, Error };

// Parses the header lines of a complete head into `headers`. `lines` excludes the start line and
// the blank line. Obsolete line folding is joined for responses (RFC 7230 §3.2.4 tells user
// agents to replace it by spaces) and rejected for requests (servers must reject it).
LineResult parseHeaderLines(const QList<QByteArrayView> &lines, bool allowFolding, HttpHeaders &headers, QString &error)
{
    for (QByteArrayView line : lines) {
        if (!line.isEmpty() && (line[0] == ' ' || line[0] == '\t')) {
            if (!allowFolding || headers.isEmpty()) {
                error = Tr::tr("obsolete line folding in header line %1").arg(DisplayText::quoted(line));
                return LineResult::Error;
            }
            HttpHeader &last = headers.last();
            const QByteArray more = line.toByteArray().trimmed();
            if (!more.isEmpty())
                last.value = last.value.isEmpty() ? more : last.value + ' ' + more;
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView name = colon < 0 ? QByteArrayView() : line.first(colon);
        if (colon < 0 || !isToken(name)) {
            error = Tr::tr("malformed header line %1").arg(DisplayText::quoted(line));
            return LineResult::Error;
        }
        headers.append(HttpHeader { name.toByteArray(), line.sliced(colon + 1).toByteArray().trimmed() });
    }
    return LineResult::Ok;
}

// Splits a complete head into lines without their CR LF / LF endings; the blank line is dropped.
QList<QByteArrayView> headLines(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < head.size()) {
        qsizetype end = head.indexOf('\n', start);
        if (end < 0)
            end = head.size();
        QByteArrayView line = head.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        start = end + 1;
    }
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// Looks for the blank line that ends a head, resuming at `lineStart` (the start of the first
// line not yet known to be complete). Returns the head size including the blank line, or -1.
qsizetype findHeadEnd(const QByteArray &buffer, qsizetype &lineStart)
{
    while (true) {
        const qsizetype lf = buffer.indexOf('\n', lineStart);
        if (lf < 0)
            return -1;
        const qsizetype length = lf - lineStart;
        const bool blank = length == 0 || (length == 1 && buffer[lineStart] == '\r');
        if (blank && lineStart > 0)
            return lf + 1;
        lineStart = lf + 1;
    }
}

// Not translated: EmbeddedServer tells a request over the limit (431) from other bad requests (400) by
// this text.
QString headerLimitError(qsizetype limit)
{
    return QStringLiteral("headers exceed %1 bytes").arg(limit);
}

} // namespace

// ---------------------------------------------------------------------------------------------

namespace HttpHeaderList {

QByteArray value(const HttpHeaders &headers, QByteArrayView name)
{
    for (const HttpHeader &h : headers) {
        if (equalsIgnoreCase(h.name, name))
            return h.value;
    }
    return {};
}

QList<QByteArray> values(const HttpHeaders &headers, QByteArrayView name)
{
    QList<QByteArray> result;
    for (const HttpHeader &h : headers) {
        if (equalsIgnoreCase(h.name, name))
            result.append(h.value);
    }
    return result;
}

bool contains(const HttpHeaders &headers, QByteArrayView name)
{
    for (const HttpHeader &h : headers) {
        if (equalsIgnoreCase(h.name, name))
            return true;
    }
    return false;
}

QList<QByteArray> tokens(const HttpHeaders &headers, QByteArrayView name)
{
    QList<QByteArray> result;
    for (const HttpHeader &h : headers) {
        if (!equalsIgnoreCase(h.name, name))
            continue;
        for (const QByteArray &part : h.value.split(',')) {
            const QByteArray token = part.trimmed();
            if (!token.isEmpty())
                result.append(token);
        }
    }
    return result;
}

} // namespace HttpHeaderList

// ---------------------------------------------------------------------------------------------

namespace Handshake {

QByteArray generateKey()
{
    std::array<quint32, 4> words;
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toBase64();
}

QByteArray acceptFor(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView(Guid));
    return sha1.result().toBase64();
}

QByteArray requestTarget(const QUrl &url)
{
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return target;
}

QByteArray hostHeaderValue(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const bool secure = scheme == QLatin1String("wss") || scheme == QLatin1String("https");
    const int defaultPort = secure ? 443 : 80;
    // QUrl::host() drops the brackets of IPv6 literals; the Host header needs them (RFC 7230 §5.4).
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = url.port(-1);
    if (port != -1 && port != defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

QByteArray buildRequest(const ClientHandshakeOptions &options, QByteArrayView key)
{
    const QUrl &url = options.url;
    const QByteArray target = requestTarget(url);
    const QByteArray host = hostHeaderValue(url);

    QByteArray out;
    out.reserve(256);
    out += "GET " + target + " HTTP/1.1\r\n";
    auto header = [&out](QByteArrayView name, QByteArrayView value) { appendHeader(out, name, value); };
    header("Host", host);
    header("Upgrade", "websocket");
    header("Connection", "Upgrade");
    header("Sec-WebSocket-Key", key);
    header("Sec-WebSocket-Version", "13");
    if (!options.origin.isEmpty())
        header("Origin", options.origin.toUtf8());
    if (!options.subprotocols.isEmpty())
        header("Sec-WebSocket-Protocol", options.subprotocols.join(QStringLiteral(", ")).toUtf8());
    if (!options.extensions.isEmpty())
        header("Sec-WebSocket-Extensions", options.extensions.join(QStringLiteral(", ")).toUtf8());
    for (const HttpHeader &extra : options.extraHeaders) {
        if (extraHeaderProblem(options, extra).isEmpty())
            appendHeader(out, extra.name, extra.value);
    }
    out += "\r\n";
    return out;
}

QString extraHeaderProblem(const ClientHandshakeOptions &options, const HttpHeader &extra)
{
    if (extra.name.isEmpty())
        return Tr::tr("the header has no name");
    if (extra.name.contains('\r') || extra.name.contains('\n') || extra.value.contains('\r')
        || extra.value.contains('\n'))
        return Tr::tr("it contains a CR or LF, which would add lines of its own to the request");
    QList<QByteArrayView> written { "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version" };
    if (!options.origin.isEmpty())
        written << "Origin";
    if (!options.subprotocols.isEmpty())
        written << "Sec-WebSocket-Protocol";
    if (!options.extensions.isEmpty())
        written << "Sec-WebSocket-Extensions";
    for (QByteArrayView name : std::as_const(written))
        if (equalsIgnoreCase(name, extra.name))
            return Tr::tr("the handshake writes %1 itself").arg(QString::fromLatin1(name));
    return QString();
}

namespace {

void fail(HandshakeCheck &check, const QString &failure)
{
    check.failures.append(failure);
    check.extensionFailures.append(failure);
}

// The server answers one of the client's permessage-deflate offers (RFC 7692 §5); the answer is
// valid if it fits any of them. The first offer's complaint is the one reported.
void checkDeflate(const Extension &accepted, const QList<Extension> &offered, HandshakeCheck &check)
{
    QString firstError;
    for (const Extension &o : offered) {
        if (o.name.compare(PerMessageDeflate::Name, Qt::CaseInsensitive) != 0)
            continue;
        const auto offer = PerMessageDeflate::Offer::fromExtension(o, nullptr);
        if (!offer)
            continue;
        QString error;
        if (const auto agreement = PerMessageDeflate::accept(accepted, *offer, &error)) {
            check.deflate = agreement;
            return;
        }
        if (firstError.isEmpty())
            firstError = error;
    }
    fail(check, firstError.isEmpty()
            ? Tr::tr("server accepted permessage-deflate, but the client's offer of it is not one the client can honour")
            : firstError);
}

// Sec-WebSocket-Extensions of the response, read by the RFC 7230 grammar (never "fewer items"):
// every extension the server accepted must have been offered, each at most once, and an accepted
// permessage-deflate must fit one of the client's permessage-deflate offers (RFC 7692 §5, §7).
void checkExtensions(const HttpResponse &response, const QStringList &offeredExtensions, HandshakeCheck &check)
{
    const QList<QByteArray> headers = HttpHeaderList::values(response.headers, "Sec-WebSocket-Extensions");
    if (headers.isEmpty())
        return;
    const Extensions::Parsed accepted = Extensions::parse(headers);
    if (!accepted.ok()) {
        fail(check, Tr::tr("Sec-WebSocket-Extensions is malformed: %1").arg(accepted.error));
        return;
    }
    QList<Extension> offered;
    for (const QString &offer : offeredExtensions)
        offered += Extensions::parse(offer.toUtf8()).list; // the client's own offers; one it wrote badly offers nothing
    auto sameName = [](const Extension &a, const Extension &b) { return a.name.compare(b.name, Qt::CaseInsensitive) == 0; };

    for (qsizetype i = 0; i < accepted.list.size(); ++i) {
        const Extension &extension = accepted.list[i];
        const QString shown = DisplayText::quoted(extension.name, 60);
        const auto earlier = std::find_if(accepted.list.cbegin(), accepted.list.cbegin() + i,
            [&](const Extension &e) { return sameName(e, extension); });
        if (earlier != accepted.list.cbegin() + i) {
            fail(check, Tr::tr("server accepted extension %1 more than once").arg(shown));
            continue;
        }
        const bool wasOffered
            = std::any_of(offered.cbegin(), offered.cend(), [&](const Extension &o) { return sameName(o, extension); });
        if (!wasOffered) {
            fail(check, Tr::tr("server selected extension %1 which the client did not offer").arg(shown));
            continue;
        }
        check.acceptedExtensions.append(extension);
        if (extension.name.compare(PerMessageDeflate::Name, Qt::CaseInsensitive) == 0)
            checkDeflate(extension, offered, check);
    }
}

} // namespace

HandshakeCheck checkResponse(const HttpResponse &response, QByteArrayView key, const QStringList &offeredSubprotocols,
    const QStringList &offeredExtensions)
{
    using namespace HttpHeaderList;
    HandshakeCheck check;
    check.expectedAccept = acceptFor(key);
    check.receivedAccept = value(response.headers, "Sec-WebSocket-Accept");
    check.selectedSubprotocol = values(response.headers, "Sec-WebSocket-Protocol").join(", ");
    check.selectedExtensions = values(response.headers, "Sec-WebSocket-Extensions").join(", ");
    QStringList &failures = check.failures;

    if (response.status != 101) {
        // The other checks mean nothing for a response that is not an upgrade.
        QString status = QString::number(response.status);
        if (!response.reason.isEmpty())
            status += QLatin1Char(' ') + DisplayText::line(response.reason);
        failures.append(Tr::tr("unexpected status %1 (expected 101 Switching Protocols)").arg(status));
        return check;
    }

    const QList<QByteArray> upgrade = values(response.headers, "Upgrade");
    if (upgrade.isEmpty()) {
        failures.append(Tr::tr("missing Upgrade header"));
    } else if (upgrade.size() != 1 || !equalsIgnoreCase(upgrade.first(), "websocket")) {
        failures.append(
            Tr::tr("Upgrade header is %1, expected \"websocket\"").arg(DisplayText::quoted(upgrade.join(", "))));
    }

    if (!contains(response.headers, "Connection")) {
        failures.append(Tr::tr("missing Connection header"));
    } else {
        const QList<QByteArray> connection = tokens(response.headers, "Connection");
        const bool hasUpgrade = std::any_of(
            connection.cbegin(), connection.cend(), [](const QByteArray &t) { return equalsIgnoreCase(t, "upgrade"); });
        if (!hasUpgrade) {
            failures.append(Tr::tr("Connection header is %1, expected it to contain \"Upgrade\"")
                                .arg(DisplayText::quoted(values(response.headers, "Connection").join(", "))));
        }
    }

    const QList<QByteArray> accepts = values(response.headers, "Sec-WebSocket-Accept");
    if (accepts.isEmpty()) {
        failures.append(Tr::tr("missing Sec-WebSocket-Accept header"));
    } else if (accepts.size() > 1) {
        failures.append(Tr::tr("%1 Sec-WebSocket-Accept headers, expected one").arg(accepts.size()));
    } else if (check.receivedAccept != check.expectedAccept) {
        failures.append(Tr::tr("Sec-WebSocket-Accept mismatch: expected %1, got %2")
                            .arg(QString::fromLatin1(check.expectedAccept), DisplayText::line(check.receivedAccept)));
    }

    const QList<QByteArray> protocols = values(response.headers, "Sec-WebSocket-Protocol");
    if (protocols.size() > 1 || check.selectedSubprotocol.contains(',')) {
        failures.append(Tr::tr("server selected more than one subprotocol: %1")
                            .arg(DisplayText::quoted(check.selectedSubprotocol)));
    } else if (protocols.size() == 1) {
        const QString selected = QString::fromUtf8(protocols.first());
        if (protocols.first().isEmpty())
            failures.append(Tr::tr("empty Sec-WebSocket-Protocol header"));
        else if (!offeredSubprotocols.contains(selected)) // subprotocol names are case-sensitive
            failures.append(Tr::tr("server selected subprotocol %1 which the client did not offer")
                                .arg(DisplayText::quoted(protocols.first())));
    }

    checkExtensions(response, offeredExtensions, check);
    check.ok = failures.isEmpty();
    return check;
}

QByteArray buildResponse(QByteArrayView key, QByteArrayView subprotocol, const HttpHeaders &extra)
{
    QByteArray out = "HTTP/1.1 101 Switching Protocols\r\n";
    appendHeader(out, "Upgrade", "websocket");
    appendHeader(out, "Connection", "Upgrade");
    appendHeader(out, "Sec-WebSocket-Accept", acceptFor(key));
    if (!subprotocol.isEmpty())
        appendHeader(out, "Sec-WebSocket-Protocol", subprotocol);
    for (const HttpHeader &h : extra)
        appendHeader(out, h.name, h.value);
    out += "\r\n";
    return out;
}

} // namespace Handshake

// ---------------------------------------------------------------------------------------------

ResponseParser::ResponseParser(qsizetype maxHeaderBytes, qsizetype maxBodyBytes)
    : m_maxHeader(maxHeaderBytes)
    , m_maxBody(maxBodyBytes)
{
}

ResponseParser::Status ResponseParser::feed(QByteArrayView bytes)
{
    if (m_status != Status::NeedMore || bytes.isEmpty())
        return m_status;

    if (m_headComplete) {
        takeBody(bytes);
        return m_status;
    }

    // Never hold more than one byte past the header limit: that byte already proves the limit broken.
    const qsizetype before = m_buffer.size();
    const QByteArrayView taken = bytes.first(qMin(bytes.size(), m_maxHeader + 1 - before));
    m_buffer.append(taken);

    // Reject anything that is not HTTP as soon as its first bytes disagree with "HTTP/", so that a
    // server speaking another protocol (or TLS on a ws:// URL) fails at once, not at the timeout.
    static constexpr QByteArrayView prefix("HTTP/");
    if (before < prefix.size()) {
        const qsizetype n = qMin(m_buffer.size(), prefix.size());
        if (QByteArrayView(m_buffer).first(n) != prefix.first(n))
            return fail(Tr::tr("not an HTTP response: first bytes are %1").arg(describeFirstBytes(m_buffer)));
    }

    const qsizetype headSize = findHeadEnd(m_buffer, m_scanPos);
    if (headSize < 0) {
        if (m_buffer.size() > m_maxHeader)
            return fail(headerLimitError(m_maxHeader));
        return m_status;
    }
    if (headSize > m_maxHeader)
        return fail(headerLimitError(m_maxHeader));
    if (!parseHead(headSize))
        return m_status;

    m_headComplete = true;
    m_headSize = headSize;
    m_consumed = headSize;
    m_response.raw = m_buffer.first(headSize);

    const int status = m_response.status;
    const bool noBody
        = status == 101 || (status >= 100 && status < 200) || status == 204 || status == 304 || m_contentLength == 0;
    if (noBody) {
        m_status = Status::Complete;
        return m_status;
    }
    // The body starts in the buffered bytes after the head and may go on in what was not buffered.
    takeBody(QByteArrayView(m_buffer).sliced(headSize));
    takeBody(bytes.sliced(taken.size()));
    return m_status;
}

ResponseParser::Status ResponseParser::finish()
{
    if (m_status != Status::NeedMore)
        return m_status;
    if (m_headComplete) {
        m_status = Status::Complete;
        return m_status;
    }
    if (m_buffer.isEmpty())
        return fail(Tr::tr("connection closed before any response bytes arrived"));
    return fail(Tr::tr("connection closed after %1 bytes of an incomplete response head: first bytes are %2")
                    .arg(m_buffer.size())
                    .arg(describeFirstBytes(m_buffer)));
}

bool ResponseParser::parseHead(qsizetype headSize)
{
    const QList<QByteArrayView> lines = headLines(QByteArrayView(m_buffer).first(headSize));
    const QByteArrayView statusLine = lines.first();

    // status-line = HTTP-version SP status-code SP reason-phrase; a missing reason is tolerated.
    const bool shapeOk = statusLine.size() >= 12 && isHttpVersion(statusLine.first(8)) && statusLine[8] == ' '
        && isDigit(statusLine[9]) && isDigit(statusLine[10]) && isDigit(statusLine[11])
        && (statusLine.size() == 12 || statusLine[12] == ' ');
    if (!shapeOk) {
        fail(Tr::tr("malformed status line %1").arg(DisplayText::quoted(statusLine)));
        return false;
    }
    m_response.version = statusLine.first(8).toByteArray();
    m_response.status = statusLine.sliced(9, 3).toInt();
    m_response.reason = statusLine.size() > 13 ? statusLine.sliced(13).toByteArray().trimmed() : QByteArray();

    QString error;
    if (parseHeaderLines(lines.sliced(1), true, m_response.headers, error) != LineResult::Ok) {
        fail(error);
        return false;
    }

    // RFC 9112 §6.3: Transfer-Encoding wins over Content-Length. A body whose last coding is
    // chunked ends with its last chunk (SockJS's /info comes so, on a connection kept open); any
    // other is read until the connection ends.
    if (HttpHeaderList::contains(m_response.headers, "Transfer-Encoding")) {
        const QList<QByteArray> codings = HttpHeaderList::values(m_response.headers, "Transfer-Encoding").join(',').split(',');
        if (codings.last().trimmed().compare("chunked", Qt::CaseInsensitive) == 0)
            m_chunked.emplace();
        return true;
    }
    const QList<QByteArray> lengths = HttpHeaderList::values(m_response.headers, "Content-Length");
    for (const QByteArray &text : lengths) {
        bool ok = !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), isDigit);
        const qint64 length = ok ? text.toLongLong(&ok) : -1;
        if (!ok) {
            fail(Tr::tr("invalid Content-Length %1").arg(DisplayText::quoted(text)));
            return false;
        }
        if (m_contentLength >= 0 && m_contentLength != length) {
            fail(Tr::tr("conflicting Content-Length headers: %1").arg(DisplayText::quoted(lengths.join(", "))));
            return false;
        }
        m_contentLength = length;
    }
    return true;
}

void ResponseParser::takeBody(QByteArrayView bytes)
{
    if (m_status == Status::Complete)
        return;
    if (m_contentLength >= 0)
        bytes = bytes.first(qMin(bytes.size(), qsizetype(m_contentLength - m_bodyReceived)));
    if (m_chunked)
        bytes = bytes.first(m_chunked->feed(bytes));
    m_bodyReceived += bytes.size();
    m_consumed += bytes.size();

    const qsizetype room = m_maxBody - m_response.body.size();
    if (room > 0) {
        const QByteArrayView kept = bytes.first(qMin(room, bytes.size()));
        m_response.body += kept;
        m_response.raw += kept;
    }
    if ((m_contentLength >= 0 && m_bodyReceived >= m_contentLength) || (m_chunked && m_chunked->isComplete()))
        m_status = Status::Complete;
}

ResponseParser::Status ResponseParser::fail(const QString &error)
{
    m_error = error;
    m_status = Status::Error;
    return m_status;
}

// ---------------------------------------------------------------------------------------------

RequestParser::RequestParser(qsizetype maxHeaderBytes)
    : m_maxHeader(maxHeaderBytes)
{
}

RequestParser::Status RequestParser::feed(QByteArrayView bytes)
{
    if (m_status != Status::NeedMore || bytes.isEmpty())
        return m_status;

    m_buffer.append(bytes.first(qMin(bytes.size(), m_maxHeader + 1 - m_buffer.size())));

    // The method is a token followed by a space; any other byte there means this is not HTTP
    // (a TLS ClientHello on a ws:// port starts with 0x16), so say so at once.
    while (m_methodChecked < m_buffer.size()) {
        const char c = m_buffer[m_methodChecked];
        if (c == ' ' && m_methodChecked > 0) {
            m_methodChecked = std::numeric_limits<qsizetype>::max();
            break;
        }
        if (!isTokenChar(c)) {
            m_error = Tr::tr("not an HTTP request: first bytes are %1").arg(describeFirstBytes(m_buffer));
            m_status = Status::Error;
            return m_status;
        }
        ++m_methodChecked;
    }

    const qsizetype headSize = findHeadEnd(m_buffer, m_scanPos);
    if (headSize < 0 ? m_buffer.size() > m_maxHeader : headSize > m_maxHeader) {
        m_error = headerLimitError(m_maxHeader);
        m_status = Status::Error;
        return m_status;
    }
    if (headSize < 0)
        return m_status;

    // RFC 7230 §3.5: a bare CR is invalid. A relay forwards requests; one that let a bare CR through
    // would let a line mean one thing here and another to the server behind it.
    const QByteArrayView head = QByteArrayView(m_buffer).first(headSize);
    for (qsizetype cr = head.indexOf('\r'); cr >= 0; cr = head.indexOf('\r', cr + 1)) {
        if (cr + 1 >= head.size() || head[cr + 1] != '\n') {
            m_error = Tr::tr("bare CR (not followed by LF) at byte %1 of the request head").arg(cr);
            m_status = Status::Error;
            return m_status;
        }
    }
    const QList<QByteArrayView> lines = headLines(head);
    const QList<QByteArray> parts = lines.first().toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty() || !isHttpVersion(parts[2])) {
        m_error = Tr::tr("malformed request line %1").arg(DisplayText::quoted(lines.first()));
        m_status = Status::Error;
        return m_status;
    }
    m_request.method = parts[0];
    m_request.target = parts[1];
    m_request.version = parts[2];
    if (parseHeaderLines(lines.sliced(1), false, m_request.headers, m_error) != LineResult::Ok) {
        m_status = Status::Error;
        return m_status;
    }
    m_request.raw = m_buffer.first(headSize);
    m_consumed = headSize;
    m_buffer.clear();
    m_status = Status::Complete;
    return m_status;
}
