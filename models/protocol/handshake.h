#pragma once

#include "protocol/chunkedbody.h"
#include "protocol/extensions.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringList>
#include <QUrl>

#include <optional>

// The HTTP/1.1 opening handshake of RFC 6455 §4, over bytes only.

struct HttpHeader {
    QByteArray name; // as sent (case kept)
    QByteArray value; // trimmed
};
using HttpHeaders = QList<HttpHeader>; // wire order; repeated names kept

namespace HttpHeaderList {
// Case-insensitive look-ups.
QByteArray value(const HttpHeaders &headers, QByteArrayView name); // first match, empty if none
QList<QByteArray> values(const HttpHeaders &headers, QByteArrayView name); // all, in order
bool contains(const HttpHeaders &headers, QByteArrayView name);
// Comma-separated tokens over every header of that name ("Connection: keep-alive, Upgrade").
QList<QByteArray> tokens(const HttpHeaders &headers, QByteArrayView name);
} // namespace HttpHeaderList

struct HttpRequest {
    QByteArray method, target, version;
    HttpHeaders headers;
    QByteArray raw; // exact bytes up to and including the blank line
};

struct HttpResponse {
    QByteArray version; // "HTTP/1.1"
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body; // non-101 responses: what arrived of the body (see ResponseParser)
    QByteArray raw; // exact bytes of status line + headers + blank line (+ body bytes kept)
};

struct ClientHandshakeOptions {
    QUrl url; // ws:// or wss://
    HttpHeaders extraHeaders; // sent after the standard ones, in order; may override none of them
    QStringList subprotocols; // Sec-WebSocket-Protocol, in preference order
    QStringList extensions; // Sec-WebSocket-Extensions offers, verbatim
    QString origin; // Origin header if not empty
};

// Outcome of checking a server's response against what the client offered.
struct HandshakeCheck {
    bool ok = false;
    QStringList failures; // each precise: "Sec-WebSocket-Accept mismatch: expected X, got Y"
    QByteArray expectedAccept;
    QByteArray receivedAccept;
    QByteArray selectedSubprotocol; // empty if none
    QByteArray selectedExtensions; // verbatim Sec-WebSocket-Extensions of the response
    QStringList extensionFailures; // those of `failures` about Sec-WebSocket-Extensions
    QList<Extension> acceptedExtensions; // parsed, each offered and accepted once
    std::optional<PerMessageDeflate::Agreement> deflate; // when permessage-deflate was accepted and fits an offer
};

namespace Handshake {
inline constexpr char Guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

QByteArray generateKey(); // base64 of 16 random bytes
QByteArray acceptFor(QByteArrayView key); // base64(SHA-1(key + GUID))
// The request target of a URL: its path ("/" when empty) and query, as sent ("/chat?room=1").
QByteArray requestTarget(const QUrl &url);
// The Host header for a URL: host, IPv6 literals in brackets, the port only when not the default.
QByteArray hostHeaderValue(const QUrl &url);
// GET request with Host (port only when not the default), Upgrade, Connection, Sec-WebSocket-Key,
// Sec-WebSocket-Version: 13, Origin, Sec-WebSocket-Protocol, Sec-WebSocket-Extensions, extra headers.
QByteArray buildRequest(const ClientHandshakeOptions &options, QByteArrayView key);
// Why buildRequest() leaves this extra header out (it would replace or repeat a header the
// handshake writes itself, or a CR/LF would smuggle in lines of its own); empty when it is sent.
QString extraHeaderProblem(const ClientHandshakeOptions &options, const HttpHeader &extra);
// Checks: status 101, Upgrade: websocket, Connection contains Upgrade, Sec-WebSocket-Accept matches,
// subprotocol (if any) was offered and only one; Sec-WebSocket-Extensions well-formed, each
// extension offered and accepted once, permessage-deflate's parameters fitting an offer (RFC 7692).
HandshakeCheck checkResponse(const HttpResponse &response, QByteArrayView key, const QStringList &offeredSubprotocols,
                             const QStringList &offeredExtensions);
// For servers (hostile test server, teaching): the 101 response to a valid request.
QByteArray buildResponse(QByteArrayView key, QByteArrayView subprotocol = {}, const HttpHeaders &extra = {});
} // namespace Handshake

// Incremental parser for an HTTP/1.1 response head (and, for non-101 responses, its body).
class ResponseParser {
public:
    enum class Status {
        NeedMore, // feed more bytes
        Complete, // response() is ready; consumed() bytes belong to it, the rest are frames
        Error, // errorString() says what is wrong ("not an HTTP response: ...", "headers exceed 16384 bytes")
    };
    explicit ResponseParser(qsizetype maxHeaderBytes = 16 * 1024, qsizetype maxBodyBytes = 64 * 1024);

    // A 101 response completes at the blank line. Other responses complete when Content-Length
    // bytes of body have arrived (kept up to maxBodyBytes), when a chunked body's last chunk and
    // trailers have, at once when there is no body (204, 304, Content-Length: 0), and otherwise
    // only through finish().
    Status feed(QByteArrayView bytes);
    // The connection ended or timed out: complete a response whose head has arrived, with the body so far.
    Status finish();
    const HttpResponse &response() const { return m_response; }
    qsizetype consumed() const { return m_consumed; }
    QString errorString() const { return m_error; }
    bool headComplete() const { return m_headComplete; }
    qsizetype headSize() const { return m_headSize; } // of the status line, headers and blank line, once complete
    // Every byte fed so far (up to the header limit), for recording a response that never parsed.
    const QByteArray &receivedBytes() const { return m_buffer; }

private:
    qsizetype m_maxHeader, m_maxBody;
    QByteArray m_buffer;
    HttpResponse m_response;
    qsizetype m_consumed = 0;
    qsizetype m_headSize = 0;
    qint64 m_contentLength = -1;
    bool m_headComplete = false;
    Status m_status = Status::NeedMore;
    QString m_error;
    qsizetype m_scanPos = 0; // start of the first head line not yet seen complete
    qint64 m_bodyReceived = 0; // body bytes consumed, kept or not
    std::optional<ChunkedBody> m_chunked; // Transfer-Encoding ends with chunked: where the body ends

    bool parseHead(qsizetype headSize);
    void takeBody(QByteArrayView bytes);
    Status fail(const QString &error);
};

// Incremental parser for an HTTP/1.1 request head (servers and the hostile test server).
class RequestParser {
public:
    using Status = ResponseParser::Status;
    explicit RequestParser(qsizetype maxHeaderBytes = 16 * 1024);
    Status feed(QByteArrayView bytes);
    const HttpRequest &request() const { return m_request; }
    qsizetype consumed() const { return m_consumed; }
    QString errorString() const { return m_error; }
    // The bytes of a head that did not parse (up to the header limit), for recording what arrived.
    const QByteArray &receivedBytes() const { return m_buffer; }

private:
    qsizetype m_maxHeader;
    QByteArray m_buffer;
    HttpRequest m_request;
    qsizetype m_consumed = 0;
    Status m_status = Status::NeedMore;
    QString m_error;
    qsizetype m_scanPos = 0; // start of the first head line not yet seen complete
    qsizetype m_methodChecked = 0; // bytes of the method token checked; max() once its space arrived
};
