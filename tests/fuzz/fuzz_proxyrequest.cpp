// Fuzz target for what the relay and the proxy do with a client's request head (RelayHandshake,
// models/protocol/relayhandshake.h): the request targets a proxy accepts (CONNECT's host:port, the
// absolute form, the origin form a relay appends to its URL) and the requests written on for the
// server.
//
// Input: the request bytes as they are.
//
// Whatever the request, what goes on must be one well-formed request that the same parser reads
// back: the target in origin form without spaces or line ends, exactly one Host (the upstream's),
// every other header line of the client's in order and unchanged (a relay), or without its hop-by-
// hop headers and with "Connection: close" (a proxied plain request). An accepted CONNECT target
// has a host and a port in 1-65535; an accepted absolute target is a ws:// or wss:// URL with a host.

#include "httpcheck.h"
#include "protocol/relayhandshake.h"

namespace {

bool cleanTarget(QByteArrayView target)
{
    if (!target.startsWith('/'))
        return false;
    for (char c : target)
        if (c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == '\0')
            return false;
    return true;
}

HttpRequest reparse(const QByteArray &written)
{
    RequestParser parser(1 << 20);
    FUZZ_CHECK(parser.feed(written) == RequestParser::Status::Complete,
        QStringLiteral("written request does not parse: %1 in %2").arg(parser.errorString(), hexOf(written)));
    FUZZ_CHECK(parser.consumed() == written.size(), hexOf(written));
    return parser.request();
}

HttpHeaders without(const HttpHeaders &headers, const QList<QByteArray> &lowerNames)
{
    HttpHeaders kept;
    for (const HttpHeader &header : headers)
        if (!lowerNames.contains(header.name.toLower()))
            kept << header;
    return kept;
}

bool sameHeaders(const HttpHeaders &a, const HttpHeaders &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].value != b[i].value)
            return false;
    return true;
}

void checkForwarded(const HttpRequest &request, const QUrl &upstream)
{
    const QByteArray origin = "https://fuzz.example";
    const HttpRequest sent = reparse(RelayHandshake::forwardRequest(request, upstream, origin));
    FUZZ_CHECK(sent.method == request.method && sent.version == request.version, hexOf(request.raw));
    FUZZ_CHECK(cleanTarget(sent.target), hexOf(sent.target));
    FUZZ_CHECK(sent.target == Handshake::requestTarget(upstream), hexOf(sent.target));
    FUZZ_CHECK(HttpHeaderList::values(sent.headers, "host").size()
                == (HttpHeaderList::contains(request.headers, "host") ? 1 : 0)
            || HttpHeaderList::values(sent.headers, "host").size()
                == HttpHeaderList::values(request.headers, "host").size(),
        hexOf(sent.raw));
    for (const QByteArray &host : HttpHeaderList::values(sent.headers, "host"))
        FUZZ_CHECK(host == Handshake::hostHeaderValue(upstream), hexOf(sent.raw));
    FUZZ_CHECK(HttpHeaderList::values(sent.headers, "origin") == QList<QByteArray> { origin }, hexOf(sent.raw));
    FUZZ_CHECK(sameHeaders(without(sent.headers, { "host", "origin" }), without(request.headers, { "host", "origin" })),
        QStringLiteral("headers changed: %1 -> %2").arg(hexOf(request.raw), hexOf(sent.raw)));

    const HttpRequest plain = reparse(RelayHandshake::forwardPlainRequest(request, upstream));
    FUZZ_CHECK(cleanTarget(plain.target), hexOf(plain.target));
    const QList<QByteArray> hopByHop { "connection", "proxy-connection", "keep-alive" };
    FUZZ_CHECK(
        !plain.headers.isEmpty() && plain.headers.last().name == "Connection" && plain.headers.last().value == "close",
        hexOf(plain.raw));
    FUZZ_CHECK(sameHeaders(plain.headers.first(plain.headers.size() - 1), without(request.headers, hopByHop)),
        hexOf(plain.raw));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    RequestParser parser;
    if (parser.feed(bytes) != RequestParser::Status::Complete)
        return 0;
    const HttpRequest &request = parser.request();
    QString error;

    if (const auto authority = RelayHandshake::connectAuthority(request.target, &error)) {
        FUZZ_CHECK(!authority->host.isEmpty() && authority->port > 0, hexOf(request.target));
        for (const QChar c : authority->host)
            FUZZ_CHECK(c > u' ' && c != u'/' && c != u'@', hexOf(request.target));
    } else {
        FUZZ_CHECK(!error.isEmpty(), hexOf(request.target));
    }

    error.clear();
    if (const auto url = RelayHandshake::absoluteTarget(request.target, &error)) {
        FUZZ_CHECK(url->scheme() == QLatin1String("ws") || url->scheme() == QLatin1String("wss"), url->toString());
        FUZZ_CHECK(!url->host().isEmpty(), url->toString());
        checkForwarded(request, *url);
    } else {
        FUZZ_CHECK(!error.isEmpty(), hexOf(request.target));
    }

    error.clear();
    const QUrl to(QStringLiteral("wss://upstream.example:8443/base?k=v"));
    if (const auto url = RelayHandshake::upstreamUrl(to, request.target, &error)) {
        FUZZ_CHECK(url->host() == to.host() && url->port() == to.port(), url->toString());
        checkForwarded(request, *url);
    } else {
        FUZZ_CHECK(!error.isEmpty(), hexOf(request.target));
    }
    return 0;
}
