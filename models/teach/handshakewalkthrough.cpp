#include "teach/handshakewalkthrough.h"

#include "teach/deflatenotes.h"

#include "teach/glossary.h"
#include "text/displaytext.h"

#include <QCoreApplication>

#include <algorithm>

namespace {

// Translation context for the walk-through's titles, explanations and details (not a QObject).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(HandshakeWalkthrough)
};

using Kind = WalkthroughStep::Kind;
using Stage = WalkthroughStep::Stage;

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool hasToken(const HttpHeaders &headers, QByteArrayView name, QByteArrayView token)
{
    const QList<QByteArray> tokens = HttpHeaderList::tokens(headers, name);
    return std::any_of(tokens.cbegin(), tokens.cend(), [token](const QByteArray &t) { return sameName(t, token); });
}

QStringList commaList(const HttpHeaders &headers, QByteArrayView name)
{
    QStringList list;
    for (const QByteArray &token : HttpHeaderList::tokens(headers, name))
        list.append(QString::fromLatin1(token));
    return list;
}

// Extension names of a Sec-WebSocket-Extensions value: "permessage-deflate; client_max_window_bits"
// -> "permessage-deflate". Parameters may hold quoted commas only in theory; names never do.
QList<QByteArray> extensionNames(const QList<Extension> &extensions)
{
    QList<QByteArray> names;
    for (const Extension &e : extensions)
        names.append(e.name);
    return names;
}

// The permessage-deflate elements of a list, each explained parameter by parameter.
QString deflateNotes(const QList<Extension> &extensions, bool fromServer)
{
    QStringList out;
    for (const Extension &e : extensions) {
        if (sameName(e.name, PerMessageDeflate::Name))
            out += fromServer ? DeflateNotes::answer(e) : DeflateNotes::offer(e);
    }
    return out.isEmpty() ? QString() : QLatin1Char(' ') + out.join(QLatin1Char(' '));
}

QString plural(qsizetype n, const QString &one, const QString &many)
{
    return n == 1 ? one : many;
}

// Every header the handshake defines, with how the walkthrough spells it. Anything else is one of
// the "other headers".
constexpr const char *kRequestHeaderOrder[] = {
    "Host",
    "Upgrade",
    "Connection",
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Version",
    "Origin",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
};
constexpr const char *kRequired[] = { "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version" };
constexpr const char *kResponseHeaders[] = {
    "Upgrade",
    "Connection",
    "Sec-WebSocket-Accept",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
    "Sec-WebSocket-Version",
};

const char *canonicalName(QByteArrayView name, const auto &list)
{
    for (const char *known : list) {
        if (sameName(name, QByteArrayView(known)))
            return known;
    }
    return nullptr;
}

QString statusMeaning(int status, const HttpHeaders &headers)
{
    const QByteArray location = HttpHeaderList::value(headers, "Location");
    switch (status) {
    case 200:
        return Tr::tr("200 OK is an ordinary HTTP answer: the server, or a proxy in front of it, handled the "
                      "request as a normal page request and ignored Upgrade. This URL is probably a web page "
                      "or an API rather than a WebSocket endpoint, or a proxy on the way does not pass "
                      "WebSocket upgrades on.");
    case 301:
    case 302:
    case 303:
    case 307:
    case 308:
        if (location.isEmpty())
            return Tr::tr("The server redirects. Browsers do not follow redirects during a WebSocket handshake, so "
                          "the connection fails; connect to the new address directly.");
        return Tr::tr("The server redirects to %1. Browsers do not follow redirects during a WebSocket handshake, "
                      "so the connection fails; connect to the new address directly.")
            .arg(DisplayText::quoted(location));
    case 400:
        return Tr::tr("400 Bad Request: the server found something missing or wrong in the request, often "
                      "Host, Sec-WebSocket-Key or Sec-WebSocket-Version, or it turns the request down for a "
                      "reason of its own.");
    case 401:
        return Tr::tr("401 Unauthorized: the server wants credentials before it upgrades. A browser sends "
                      "the site's cookies with the handshake but a script cannot add an Authorization header, "
                      "so servers usually take a token from a cookie or from the URL.");
    case 403:
        return Tr::tr("403 Forbidden: the server refused the connection. Common causes are an Origin it does "
                      "not accept, or a missing login cookie or token.");
    case 404:
        return Tr::tr("404 Not Found: there is no WebSocket endpoint at this path; check the path in the URL. "
                      "A Socket.IO server lives at /socket.io/ and does not accept plain WebSocket clients "
                      "anyway.");
    case 426:
        return Tr::tr("426 Upgrade Required: the server only speaks WebSocket here but did not accept this "
                      "request's upgrade, most often because of its Sec-WebSocket-Version; the response "
                      "lists the versions the server supports.");
    case 429:
        return Tr::tr("429 Too Many Requests: the server limits how often a client may connect; wait before "
                      "trying again.");
    case 500:
        return Tr::tr("500 Internal Server Error: the server failed while handling the handshake.");
    case 502:
    case 503:
    case 504:
        return Tr::tr("%1: a proxy or load balancer in front of the server answered, because the server "
                      "behind it is down, overloaded or not reachable.")
            .arg(status);
    default:
        break;
    }
    if (status >= 100 && status < 200)
        return Tr::tr("%1 is an interim HTTP answer, not the 101 that switches protocols.").arg(status);
    if (status < 300)
        return Tr::tr("%1 is a successful HTTP answer, but not an upgrade: the server handled the request as "
                      "plain HTTP.")
            .arg(status);
    if (status < 400)
        return Tr::tr("%1 is a redirection, which a WebSocket handshake does not follow.").arg(status);
    if (status < 500)
        return Tr::tr("%1 is a client error: the server did not accept this request.").arg(status);
    return Tr::tr("%1 is a server error: the server or a proxy in front of it failed.").arg(status);
}

} // namespace

QString HandshakeWalkthrough::stageName(WalkthroughStep::Stage stage)
{
    switch (stage) {
    case Stage::Request:
        return Tr::tr("Request");
    case Stage::RequestHeaders:
        return Tr::tr("Headers");
    case Stage::Accept:
        //: The stage where the server computes Sec-WebSocket-Accept
        return Tr::tr("Accept");
    case Stage::Response:
        return Tr::tr("Response");
    case Stage::Frames:
        return Tr::tr("Frames");
    }
    return QString();
}

HandshakeWalkthrough::HandshakeWalkthrough(QByteArrayView request, QByteArrayView response, Transport transport)
    : m_transport(transport)
{
    if (request.isEmpty() && response.isEmpty())
        return;

    m_hasRequest = !request.isEmpty();
    if (m_hasRequest) {
        // Whatever was recorded is explained, so the limit is at least its size.
        RequestParser parser(std::max<qsizetype>(request.size(), 16 * 1024));
        const auto status = parser.feed(request);
        m_requestParsed = status == RequestParser::Status::Complete;
        if (m_requestParsed)
            m_request = parser.request();
        else if (status == RequestParser::Status::Error)
            m_requestError = parser.errorString();
        else
            m_requestError = Tr::tr("the request is incomplete: it does not end with a blank line");

        qsizetype headSize = -1;
        const QList<Line> lines = headLines(request, &headSize);
        if (!lines.isEmpty())
            m_requestLine = span(request, lines.first().offset, lines.first().length, false);
        if (m_requestParsed)
            m_requestHeaders = matchHeaders(request, lines, m_request.headers, false);
    }

    m_hasResponse = !response.isEmpty();
    if (m_hasResponse) {
        ResponseParser parser(
            std::max<qsizetype>(response.size(), 16 * 1024), std::max<qsizetype>(response.size(), 64 * 1024));
        auto status = parser.feed(response);
        // The recording is all there will be: a response cut short is explained with what arrived.
        if (status == ResponseParser::Status::NeedMore)
            status = parser.finish();
        m_responseParsed = status == ResponseParser::Status::Complete;
        if (m_responseParsed) {
            m_response = parser.response();
            m_status = m_response.status;
        } else {
            m_responseError = parser.errorString();
        }
        qsizetype headSize = -1;
        const QList<Line> lines = headLines(response, &headSize);
        if (!lines.isEmpty())
            m_statusLine = span(response, lines.first().offset, lines.first().length, true);
        if (m_responseParsed)
            m_responseHeaders = matchHeaders(response, lines, m_response.headers, true);
    }

    m_accept = AcceptComputation::fromHandshake(m_request, m_responseParsed ? &m_response : nullptr);
    if (m_responseParsed) {
        QStringList offeredExtensions;
        for (const QByteArray &value : HttpHeaderList::values(m_request.headers, "Sec-WebSocket-Extensions"))
            offeredExtensions.append(QString::fromLatin1(value));
        m_check = Handshake::checkResponse(
            m_response, m_accept.key(), commaList(m_request.headers, "Sec-WebSocket-Protocol"), offeredExtensions);
        m_upgraded = m_requestParsed && m_check.ok;
    }

    addConnect(request);
    addRequestHeaders();
    addAccept();
    addStatus(response);
    addResponseHeaders();
    addFrames();
}

QList<HandshakeWalkthrough::Line> HandshakeWalkthrough::headLines(QByteArrayView bytes, qsizetype *headSize)
{
    // The same line rules as the parsers: LF ends a line, a CR before it is not part of the line,
    // and the first empty line after the start line ends the head.
    QList<Line> lines;
    *headSize = -1;
    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype lf = bytes.indexOf('\n', start);
        const qsizetype end = lf < 0 ? bytes.size() : lf;
        qsizetype length = end - start;
        if (lf >= 0 && length > 0 && bytes[end - 1] == '\r')
            --length;
        if (lf >= 0 && length == 0 && !lines.isEmpty()) {
            *headSize = lf + 1;
            break;
        }
        lines.append(Line { start, length });
        if (lf < 0)
            break;
        start = lf + 1;
    }
    return lines;
}

HandshakeSpan HandshakeWalkthrough::span(QByteArrayView bytes, qsizetype offset, qsizetype length, bool inResponse)
{
    HandshakeSpan s;
    s.inResponse = inResponse;
    s.offset = offset;
    s.length = length;
    s.text = DisplayText::line(bytes.sliced(offset, length));
    return s;
}

QList<HandshakeWalkthrough::HeaderLines> HandshakeWalkthrough::matchHeaders(
    QByteArrayView bytes, const QList<Line> &lines, const HttpHeaders &headers, bool inResponse)
{
    // The parser keeps headers in wire order, one per line that does not start with a space or a
    // tab; such a line continues the previous header (obsolete folding, accepted in responses).
    QList<HeaderLines> result;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const Line &line = lines[i];
        const bool continuation = line.length > 0 && (bytes[line.offset] == ' ' || bytes[line.offset] == '\t');
        if (continuation && !result.isEmpty()) {
            HandshakeSpan &last = result.last().span;
            last.length = line.offset + line.length - last.offset;
            last.text += QLatin1Char(' ') + DisplayText::line(bytes.sliced(line.offset, line.length).trimmed());
            continue;
        }
        if (result.size() >= headers.size())
            break;
        result.append(HeaderLines { headers[result.size()], span(bytes, line.offset, line.length, inResponse) });
    }
    return result;
}

HandshakeWalkthrough::GroupedHeaders HandshakeWalkthrough::groupHeaders(const QList<HeaderLines> &lines,
    const QList<const char *> &knownNames)
{
    GroupedHeaders out;
    for (const HeaderLines &l : lines) {
        const char *name = canonicalName(l.header.name, knownNames);
        if (!name) {
            out.otherSpans.append(l.span);
            const QString shown = DisplayText::line(l.header.name);
            if (!out.otherNames.contains(shown, Qt::CaseInsensitive))
                out.otherNames.append(shown);
        } else if (!out.known.contains(name)) {
            out.known.append(name);
        }
    }
    return out;
}

WalkthroughStep HandshakeWalkthrough::headerStep(WalkthroughStep::Kind kind, WalkthroughStep::Stage stage,
    const char *name, const QList<HeaderLines> &lines, const HttpHeaders &headers) const
{
    WalkthroughStep step;
    step.kind = kind;
    step.stage = stage;
    step.headerName = QString::fromLatin1(name);
    step.spans = spansOf(lines, name);
    step.topics = { Glossary::topicForHeader(name) };
    step.title = QStringLiteral("%1: %2").arg(step.headerName, DisplayText::line(HttpHeaderList::values(headers, name).first()));
    return step;
}

QList<HandshakeSpan> HandshakeWalkthrough::spansOf(const QList<HeaderLines> &lines, QByteArrayView name) const
{
    QList<HandshakeSpan> spans;
    for (const HeaderLines &l : lines) {
        if (sameName(l.header.name, name))
            spans.append(l.span);
    }
    return spans;
}

void HandshakeWalkthrough::addConnect(QByteArrayView request)
{
    WalkthroughStep step;
    step.kind = Kind::Connect;
    step.stage = Stage::Request;
    step.topics = { Glossary::OpeningHandshake, Glossary::WsAndWss };
    step.inBrowser = Tr::tr("new WebSocket(url) connects and sends this request at once; readyState is 0 "
                            "(CONNECTING)");

    QString transport;
    switch (m_transport) {
    case Transport::Tls:
        transport = Tr::tr("The client opened a TCP connection and, because the URL is wss://, ran a TLS "
                           "handshake on it first, so everything below travelled encrypted.");
        break;
    case Transport::Tcp:
        transport = Tr::tr("The client opened a TCP connection. The URL is ws://, so there is no TLS: these "
                           "bytes travel as plain text that anyone on the path can read.");
        break;
    case Transport::Unknown:
        transport = Tr::tr("The client opened a TCP connection (for a wss:// URL, a TLS handshake then "
                           "encrypts everything below).");
        break;
    }

    if (!m_hasRequest) {
        step.title = Tr::tr("No request was recorded");
        step.explanation = transport
            + Tr::tr(" No request bytes were recorded for this connection, so the handshake cannot be "
                     "followed from the client's side.");
        step.warning = true;
        m_steps.append(step);
        return;
    }

    step.title = Tr::tr("The client connects and sends an HTTP GET");
    if (!m_requestLine.text.isEmpty())
        step.spans.append(m_requestLine);
    if (!m_requestParsed) {
        step.explanation = transport
            + Tr::tr(" Then it sent %1 bytes that are not a complete HTTP request: %2.")
                  .arg(request.size())
                  .arg(m_requestError);
        step.warning = true;
        m_steps.append(step);
        return;
    }

    const QByteArray host = HttpHeaderList::value(m_request.headers, "Host");
    QString text = transport;
    text += Tr::tr(" Then it sent an ordinary HTTP/1.1 request, starting with the request line %1.")
                .arg(QLatin1Char('"') + m_requestLine.text + QLatin1Char('"'));
    text += host.isEmpty()
        ? Tr::tr(" The path %1 picks the WebSocket endpoint on the server, the way a path picks a page.")
              .arg(DisplayText::quoted(m_request.target))
        : Tr::tr(" The path %1 picks the WebSocket endpoint on %2, the way a path picks a page.")
              .arg(DisplayText::quoted(m_request.target), DisplayText::line(host));
    QStringList problems;
    if (m_request.method != "GET")
        problems.append(
            Tr::tr("the method is %1, but a handshake must use GET").arg(DisplayText::quoted(m_request.method)));
    if (m_request.version < QByteArray("HTTP/1.1"))
        problems.append(Tr::tr("the version is %1, but a handshake needs HTTP/1.1 or later")
                            .arg(DisplayText::line(m_request.version)));
    if (!problems.isEmpty()) {
        text += Tr::tr(" Watch out: %1, so a server should refuse it.").arg(problems.join(QStringLiteral("; ")));
        step.warning = true;
    }
    if (m_request.target.startsWith("/socket.io") || m_request.target.contains("EIO=")) {
        text += Tr::tr(" This path belongs to Socket.IO, which is not plain WebSocket: once the connection is "
                       "up it carries Socket.IO's own protocol inside the frames.");
        step.topics.append(Glossary::SocketIo);
    }
    step.explanation = text;
    m_steps.append(step);
}

void HandshakeWalkthrough::addRequestHeaders()
{
    if (!m_requestParsed)
        return;
    const HttpHeaders &headers = m_request.headers;

    // One step per WebSocket header, in the order of its first appearance on the wire.
    const GroupedHeaders groups = groupHeaders(
        m_requestHeaders, QList<const char *>(std::begin(kRequestHeaderOrder), std::end(kRequestHeaderOrder)));
    const QList<HandshakeSpan> &otherSpans = groups.otherSpans;
    const QStringList &otherNames = groups.otherNames;
    for (const char *name : groups.known) {
        WalkthroughStep step = headerStep(Kind::RequestHeader, Stage::RequestHeaders, name, m_requestHeaders, headers);
        const QList<QByteArray> values = HttpHeaderList::values(headers, name);
        const QByteArray value = values.first();
        QString text;
        const QByteArrayView n(name);

        if (n == "Host") {
            text = Tr::tr("Names the server the client wants (with the port when it is not the default 80 "
                          "or 443). One address can host many sites, so the server uses Host to pick one; "
                          "the client copies it from the URL.");
            step.inBrowser = Tr::tr("Taken from the URL given to new WebSocket()");
            if (value.isEmpty()) {
                text += Tr::tr(" Here it is empty, which a server should refuse with 400.");
                step.warning = true;
            }
        } else if (n == "Upgrade") {
            text = Tr::tr("Asks the server to switch this very connection from HTTP to another protocol: "
                          "WebSocket. A server that does not know WebSocket ignores it and answers like any "
                          "HTTP request, usually with 200 or 404.");
            step.inBrowser = Tr::tr("Added by the browser; scripts cannot change it");
            if (!hasToken(headers, "Upgrade", "websocket")) {
                text += Tr::tr(" Here it does not say websocket, so a WebSocket server should refuse the "
                               "request.");
                step.warning = true;
            }
        } else if (n == "Connection") {
            text = Tr::tr("Says that Upgrade is meant for this connection, so proxies on the way do not pass "
                          "the request on as a plain GET. It must contain the token Upgrade; browsers may send "
                          "\"keep-alive, Upgrade\".");
            step.inBrowser = Tr::tr("Added by the browser; scripts cannot change it");
            if (!hasToken(headers, "Connection", "Upgrade")) {
                text += Tr::tr(" Here it lacks Upgrade, so a server should refuse the request.");
                step.warning = true;
            }
        } else if (n == "Sec-WebSocket-Key") {
            text = Tr::tr("16 random bytes, base64-encoded, new for every connection. It is not a password "
                          "and encrypts nothing: the server only hashes it to prove that it understood a "
                          "WebSocket request (next step).");
            step.inBrowser = Tr::tr("Made by the browser; not visible to scripts");
            if (!m_accept.decodedKey().isEmpty())
                step.details.append(Tr::tr("decoded: %1 (%2 bytes)")
                                        .arg(QString::fromLatin1(m_accept.decodedKey().toHex(' ')))
                                        .arg(m_accept.decodedKey().size()));
            if (!m_accept.keyProblem().isEmpty()) {
                text += QLatin1Char(' ') + m_accept.keyProblem();
                step.warning = true;
            }
        } else if (n == "Sec-WebSocket-Version") {
            text = Tr::tr("13 is the only version in use, the one RFC 6455 defines. A server that does not "
                          "support the version asked for answers 426 Upgrade Required and lists the versions "
                          "it supports.");
            step.inBrowser = Tr::tr("Always 13 from a browser");
            if (value != "13") {
                text += Tr::tr(" Here it is %1, so expect a refusal.").arg(DisplayText::quoted(value));
                step.warning = true;
            }
        } else if (n == "Origin") {
            text = Tr::tr("The site of the page that opened the socket; browsers always send it. WebSocket is "
                          "not covered by CORS, so the server itself must check this value and refuse sites "
                          "it does not trust, or any page could connect with the user's cookies.");
            step.inBrowser = Tr::tr("Set by the browser from the page's origin; scripts cannot change it");
        } else if (n == "Sec-WebSocket-Protocol") {
            const QStringList offered = commaList(headers, name);
            text = Tr::tr("The client offers %1 in order of preference: %2. The server must pick at most one "
                          "and name it in its response; the messages then follow that protocol's rules, as "
                          "with soap, wamp, STOMP or mqtt.")
                       .arg(plural(offered.size(), Tr::tr("one subprotocol"),
                                Tr::tr("%1 subprotocols").arg(offered.size())),
                           DisplayText::line(offered.join(QStringLiteral(", ")).toLatin1()));
            QStringList jsList;
            for (const QString &p : offered)
                jsList.append(QLatin1Char('"') + DisplayText::line(p.toLatin1()) + QLatin1Char('"'));
            step.inBrowser = QStringLiteral("new WebSocket(url, [%1])").arg(jsList.join(QStringLiteral(", ")));
        } else if (n == "Sec-WebSocket-Extensions") {
            const Extensions::Parsed parsed = Extensions::parse(values);
            const QList<QByteArray> names = extensionNames(parsed.list);
            const bool deflate = std::any_of(
                names.cbegin(), names.cend(), [](const QByteArray &e) { return sameName(e, "permessage-deflate"); });
            text = Tr::tr("Extensions the client is willing to use. ");
            if (deflate)
                text += Tr::tr("permessage-deflate asks to compress each message, whose first frame then has "
                               "RSV1 set; the parameters after a semicolon tune the compression. ");
            text += Tr::tr("Nothing changes unless the server accepts an extension in its response.");
            text += deflateNotes(parsed.list, false);
            if (!parsed.ok()) {
                text += Tr::tr(" The header is malformed (%1).").arg(parsed.error);
                step.warning = true;
            }
            step.inBrowser = Tr::tr("Chosen by the browser itself; scripts can only read ws.extensions later");
        }
        if (values.size() > 1) {
            if (n == "Sec-WebSocket-Protocol" || n == "Sec-WebSocket-Extensions") {
                text += Tr::tr(" The header appears %1 times; the lists add up.").arg(values.size());
            } else {
                text += Tr::tr(" The header appears %1 times; it must appear only once, so a server should refuse "
                               "the request.")
                            .arg(values.size());
                step.warning = true;
            }
        }
        step.explanation = text;
        m_steps.append(step);
    }

    for (const char *required : kRequired) {
        if (HttpHeaderList::contains(headers, required))
            continue;
        WalkthroughStep step;
        step.kind = Kind::MissingRequestHeader;
        step.stage = Stage::RequestHeaders;
        step.headerName = QString::fromLatin1(required);
        step.title = Tr::tr("No %1 header").arg(step.headerName);
        step.explanation = Tr::tr("Every WebSocket handshake request needs %1, and this one has none, so a "
                                  "server must refuse it, usually with 400 Bad Request.")
                               .arg(step.headerName);
        step.topics = { Glossary::topicForHeader(required) };
        step.warning = true;
        m_steps.append(step);
    }

    if (!otherSpans.isEmpty()) {
        WalkthroughStep step;
        step.kind = Kind::OtherRequestHeaders;
        step.stage = Stage::RequestHeaders;
        step.title = Tr::tr("Other headers: %1").arg(otherNames.join(QStringLiteral(", ")));
        step.explanation = Tr::tr(
            "Ordinary HTTP headers that WebSocket does not define. A browser sends the site's cookies with the "
            "handshake like with any request, which is how most servers know who is connecting. Authorization and "
            "other custom headers come only from clients outside the browser: new WebSocket() cannot set headers, so "
            "web apps put a token in the URL or in the first message instead.");
        step.spans = otherSpans;
        step.topics = { Glossary::OpeningHandshake };
        step.inBrowser = Tr::tr("Cookies and User-Agent are added by the browser");
        m_steps.append(step);
    }
}

void HandshakeWalkthrough::addAccept()
{
    if (!m_requestParsed)
        return;
    WalkthroughStep step;
    step.kind = Kind::ComputeAccept;
    step.stage = Stage::Accept;
    step.topics = { Glossary::SecWebSocketKey };
    step.inBrowser = Tr::tr("The browser checks the answer itself; a wrong value means error, then close "
                            "with 1006");
    step.spans = spansOf(m_requestHeaders, "Sec-WebSocket-Key");
    if (m_responseParsed)
        step.spans += spansOf(m_responseHeaders, "Sec-WebSocket-Accept");

    if (!m_accept.hasKey()) {
        step.title = Tr::tr("Nothing to compute: no Sec-WebSocket-Key");
        step.explanation = Tr::tr("The server proves it understood by hashing the client's key, and this "
                                  "request has none, so no server can send a valid Sec-WebSocket-Accept.");
        step.warning = true;
        m_steps.append(step);
        return;
    }

    step.title = Tr::tr("The server computes Sec-WebSocket-Accept");
    QString text = Tr::tr(
        "To prove that it read a WebSocket request, the server appends the fixed GUID from RFC 6455 to the key exactly "
        "as sent, hashes the result with SHA-1 and encodes the 20 hash bytes in base64. The client computes the same "
        "and compares it with the server's Sec-WebSocket-Accept.");
    const QList<AcceptStep> steps = m_accept.steps();
    //: The labels of these detail lines are padded so that the values line up in one column.
    step.details = {
        Tr::tr("key:          %1").arg(steps[0].value),
        Tr::tr("key + GUID:   %1").arg(steps[1].value),
        Tr::tr("SHA-1:        %1").arg(steps[2].value),
        Tr::tr("base64:       %1").arg(steps[3].value),
    };
    switch (m_accept.outcome()) {
    case AcceptComputation::Outcome::Match:
        step.details.append(Tr::tr("server sent:  %1  (matches)").arg(steps[4].value));
        text += Tr::tr(" Here the server sent exactly the expected value.");
        break;
    case AcceptComputation::Outcome::Mismatch:
        step.details.append(Tr::tr("server sent:  %1  (does not match)").arg(steps[4].value));
        text += QLatin1Char(' ') + m_accept.verdict()
            + Tr::tr(" A correct client must not use this "
                     "connection.");
        step.warning = true;
        break;
    case AcceptComputation::Outcome::MissingAccept:
        if (m_status == 101) {
            text += Tr::tr(" The 101 response has no Sec-WebSocket-Accept at all, so the client must not use "
                           "the connection.");
            step.warning = true;
        } else {
            text += Tr::tr(" This server answered %1 instead of 101, so it computed nothing.").arg(m_status);
        }
        break;
    case AcceptComputation::Outcome::NoResponse:
        text += Tr::tr(" No response arrived, so there is nothing to compare with.");
        break;
    case AcceptComputation::Outcome::NoKey:
        break;
    }
    if (!m_accept.keyProblem().isEmpty()) {
        text += QLatin1Char(' ') + m_accept.keyProblem();
        step.warning = true;
    }
    step.explanation = text;
    m_steps.append(step);
}

void HandshakeWalkthrough::addStatus(QByteArrayView response)
{
    WalkthroughStep step;
    step.kind = Kind::Status;
    step.stage = Stage::Response;
    step.topics = { Glossary::OpeningHandshake };

    if (!m_hasResponse) {
        step.title = Tr::tr("No response arrived");
        step.explanation = Tr::tr("The server never answered: the connection was refused, timed out, or was "
                                  "closed before any response bytes arrived.");
        step.inBrowser = Tr::tr("error, then close with code 1006 and wasClean false; readyState goes from 0 "
                                "straight to 3");
        step.topics.append(QStringLiteral("close-1006"));
        step.warning = true;
        m_steps.append(step);
        return;
    }
    if (!m_statusLine.text.isEmpty())
        step.spans.append(m_statusLine);
    if (!m_responseParsed) {
        step.title = Tr::tr("The answer is not a valid HTTP response");
        step.explanation = Tr::tr("The server sent %1 bytes, but %2. Perhaps another protocol listens on this "
                                  "port, or a TLS server was reached with ws:// instead of wss://.")
                               .arg(response.size())
                               .arg(m_responseError);
        step.inBrowser = Tr::tr("error, then close with code 1006 and wasClean false");
        step.topics.append(Glossary::WsAndWss);
        step.warning = true;
        m_steps.append(step);
        return;
    }

    step.title
        = QStringLiteral("%1 %2 %3").arg(DisplayText::line(m_response.version)).arg(m_status).arg(DisplayText::line(m_response.reason)).trimmed();
    if (m_status == 101) {
        step.explanation = Tr::tr("101 Switching Protocols: the server agrees to switch this connection from "
                                  "HTTP to WebSocket. The headers that follow must confirm it: Upgrade, "
                                  "Connection and a correct Sec-WebSocket-Accept.");
        step.inBrowser = Tr::tr("Still readyState 0 until the browser has checked the headers");
    } else {
        step.explanation = statusMeaning(m_status, m_response.headers)
            + Tr::tr(" Only 101 opens a WebSocket; a browser script never sees this status code.");
        step.inBrowser = Tr::tr("error, then close with code 1006 and wasClean false");
        step.topics.append(QStringLiteral("close-1006"));
        step.warning = true;
        if (!m_response.body.isEmpty()) {
            const qsizetype bodyOffset = m_response.raw.size() - m_response.body.size();
            step.spans.append(span(response, bodyOffset, m_response.body.size(), true));
            step.details.append(Tr::tr("body: %1 bytes").arg(m_response.body.size()));
        }
    }
    m_steps.append(step);
}

void HandshakeWalkthrough::addResponseHeaders()
{
    if (!m_responseParsed)
        return;
    const HttpHeaders &headers = m_response.headers;
    const bool is101 = m_status == 101;

    const GroupedHeaders groups = groupHeaders(
        m_responseHeaders, QList<const char *>(std::begin(kResponseHeaders), std::end(kResponseHeaders)));
    const QList<HandshakeSpan> &otherSpans = groups.otherSpans;
    const QStringList &otherNames = groups.otherNames;
    for (const char *name : groups.known) {
        WalkthroughStep step = headerStep(Kind::ResponseHeader, Stage::Response, name, m_responseHeaders, headers);
        const QList<QByteArray> values = HttpHeaderList::values(headers, name);
        const QByteArray value = values.first();
        const QByteArrayView n(name);
        QString text;

        if (n == "Upgrade") {
            text = Tr::tr("Confirms the protocol this connection switches to.");
            if (is101 && (values.size() != 1 || !sameName(value, "websocket"))) {
                text += Tr::tr(" It must say websocket, so the client must fail the connection.");
                step.warning = true;
            }
        } else if (n == "Connection") {
            text = Tr::tr("Confirms that this connection is being upgraded; it must contain the token "
                          "Upgrade.");
            if (is101 && !hasToken(headers, "Connection", "Upgrade")) {
                text += Tr::tr(" It does not, so the client must fail the connection.");
                step.warning = true;
            }
        } else if (n == "Sec-WebSocket-Accept") {
            text = Tr::tr("The server's answer to the key: base64(SHA-1(key + GUID)).");
            if (m_accept.outcome() == AcceptComputation::Outcome::Match) {
                text += Tr::tr(" It matches the value the client computed, so the server really read this "
                               "handshake.");
            } else if (m_accept.hasKey()) {
                text += Tr::tr(" The client expected %1: %2")
                            .arg(QString::fromLatin1(m_accept.expectedAccept()), m_accept.verdict());
                step.warning = true;
            }
            if (values.size() > 1) {
                text += Tr::tr(" It appears %1 times, but must appear once.").arg(values.size());
                step.warning = true;
            }
            step.inBrowser = Tr::tr("Checked by the browser; not visible to scripts");
        } else if (n == "Sec-WebSocket-Protocol") {
            const QStringList offered = commaList(m_request.headers, "Sec-WebSocket-Protocol");
            const QString chosen = QString::fromLatin1(value);
            text = Tr::tr("The server chose the subprotocol %1: from now on every message follows its rules.")
                       .arg(DisplayText::quoted(value));
            if (values.size() > 1 || value.contains(',')) {
                text += Tr::tr(" But a server may choose only one, so the client must fail the connection.");
                step.warning = true;
            } else if (!offered.contains(chosen)) {
                text += offered.isEmpty()
                    ? Tr::tr(" But the client offered none, so the client must fail the connection.")
                    : Tr::tr(" But the client offered only %1, so it must fail the connection.")
                          .arg(DisplayText::line(offered.join(QStringLiteral(", ")).toLatin1()));
                step.warning = true;
            }
            step.inBrowser = QStringLiteral("ws.protocol === \"%1\"").arg(DisplayText::line(value));
        } else if (n == "Sec-WebSocket-Extensions") {
            const Extensions::Parsed parsed = Extensions::parse(values);
            const QList<QByteArray> accepted = extensionNames(parsed.list);
            text = Tr::tr("The extensions the server accepted, with their parameters.");
            if (std::any_of(accepted.cbegin(), accepted.cend(),
                    [](const QByteArray &e) { return sameName(e, "permessage-deflate"); }))
                text += Tr::tr(" With permessage-deflate, messages may now be compressed, and RSV1 is set on "
                               "the first frame of each compressed message.");
            text += deflateNotes(parsed.list, true);
            if (m_check.deflate)
                text += QLatin1Char(' ') + DeflateNotes::agreement(*m_check.deflate);
            // What the handshake check found wrong in this header: malformed, unoffered, repeated,
            // parameters that do not fit the offer.
            for (const QString &failure : std::as_const(m_check.extensionFailures)) {
                text += QLatin1Char(' ') + Tr::tr("The client must fail the connection: %1.").arg(failure);
                step.warning = true;
            }
            step.inBrowser = QStringLiteral("ws.extensions === \"%1\"").arg(DisplayText::line(value));
        } else if (n == "Sec-WebSocket-Version") {
            text = Tr::tr("The protocol versions this server supports; a client could retry with one of "
                          "them.");
        }
        step.explanation = text;
        m_steps.append(step);
    }

    if (is101) {
        for (const char *required : { "Upgrade", "Connection", "Sec-WebSocket-Accept" }) {
            if (HttpHeaderList::contains(headers, required))
                continue;
            WalkthroughStep step;
            step.kind = Kind::MissingResponseHeader;
            step.stage = Stage::Response;
            step.headerName = QString::fromLatin1(required);
            step.title = Tr::tr("No %1 header").arg(step.headerName);
            step.explanation = Tr::tr("A 101 response must carry %1; without it the client must fail the "
                                      "connection.")
                                   .arg(step.headerName);
            step.topics = { Glossary::topicForHeader(required) };
            step.warning = true;
            m_steps.append(step);
        }
        // Offers the server did not take up are fine, but worth seeing: the browser reports them as empty.
        const QStringList offered = commaList(m_request.headers, "Sec-WebSocket-Protocol");
        if (!offered.isEmpty() && !HttpHeaderList::contains(headers, "Sec-WebSocket-Protocol")) {
            WalkthroughStep step;
            step.kind = Kind::MissingResponseHeader;
            step.stage = Stage::Response;
            step.headerName = QStringLiteral("Sec-WebSocket-Protocol");
            step.title = Tr::tr("No subprotocol chosen");
            step.explanation = Tr::tr("The client offered %1, and the server chose none. The connection opens "
                                      "anyway, with no subprotocol; a client that needs one closes it.")
                                   .arg(DisplayText::line(offered.join(QStringLiteral(", ")).toLatin1()));
            step.inBrowser = QStringLiteral("ws.protocol === \"\"");
            step.topics = { Glossary::Subprotocols };
            m_steps.append(step);
        }
        if (HttpHeaderList::contains(m_request.headers, "Sec-WebSocket-Extensions")
            && !HttpHeaderList::contains(headers, "Sec-WebSocket-Extensions")) {
            WalkthroughStep step;
            step.kind = Kind::MissingResponseHeader;
            step.stage = Stage::Response;
            step.headerName = QStringLiteral("Sec-WebSocket-Extensions");
            step.title = Tr::tr("No extension accepted");
            step.explanation = Tr::tr("The client offered extensions and the server accepted none, so frames "
                                      "are sent as RFC 6455 defines them, uncompressed, with every RSV bit 0.");
            step.inBrowser = QStringLiteral("ws.extensions === \"\"");
            step.topics = { Glossary::Extensions };
            m_steps.append(step);
        }
    }

    if (!otherSpans.isEmpty()) {
        WalkthroughStep step;
        step.kind = Kind::OtherResponseHeaders;
        step.stage = Stage::Response;
        step.title = Tr::tr("Other headers: %1").arg(otherNames.join(QStringLiteral(", ")));
        step.explanation = is101
            ? Tr::tr("Ordinary HTTP headers that WebSocket does not define. A 101 response may set cookies "
                     "like any other response; the rest is information about the server.")
            : Tr::tr("Ordinary HTTP headers of this refusal. Content-Type and Content-Length describe the "
                     "body the server sent with it, which often says why it refused.");
        step.spans = otherSpans;
        step.topics = { Glossary::OpeningHandshake };
        m_steps.append(step);
    }
}

void HandshakeWalkthrough::addFrames()
{
    WalkthroughStep step;
    step.kind = Kind::Frames;
    step.stage = Stage::Frames;

    if (m_upgraded) {
        step.title = Tr::tr("From here on: frames, not HTTP");
        step.explanation = Tr::tr(
            "After the blank line that ends the 101 response, the same TCP connection carries WebSocket frames in "
            "both directions, and HTTP is over. Either side may send at any time: text and binary messages, pings "
            "and pongs, and at the end close frames for the closing handshake. Every frame the client sends is "
            "masked. If the application uses Socket.IO, these frames carry Socket.IO's own protocol (text such as "
            "42[\"chat message\",\"hi\"] and its own ping and pong), which plain WebSocket clients do not speak.");
        step.inBrowser = Tr::tr("The open event fires now and readyState becomes 1 (OPEN)");
        step.topics = { Glossary::Events, Glossary::ReadyState, Glossary::SocketIo };
        m_steps.append(step);
        return;
    }

    step.warning = true;
    step.inBrowser = Tr::tr("error, then close with code 1006 and wasClean false");
    step.topics = { Glossary::WasClean, QStringLiteral("close-1006") };
    if (m_responseParsed && m_status == 101) {
        step.title = Tr::tr("No frames: the client must fail the connection");
        QStringList failures = m_check.failures;
        if (!m_requestParsed)
            failures.prepend(Tr::tr("the request could not be read, so the answer cannot be checked"));
        step.explanation = Tr::tr("The server said 101, but: %1. A correct client does not use such a "
                                  "connection: it closes TCP without a closing handshake.")
                               .arg(failures.join(QStringLiteral("; ")));
    } else if (m_responseParsed) {
        step.title = Tr::tr("No frames: the connection was not upgraded");
        step.explanation = Tr::tr("After a %1 response the connection stays HTTP: the server closes it or "
                                  "waits for another HTTP request, and no WebSocket frame is ever sent.")
                               .arg(m_status);
    } else {
        step.title = Tr::tr("No frames: there was no handshake");
        step.explanation = Tr::tr("Without a 101 response there is no WebSocket connection, so no frame is "
                                  "ever sent.");
    }
    m_steps.append(step);
}
