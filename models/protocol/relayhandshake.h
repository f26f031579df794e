#pragma once

#include "protocol/handshake.h"

#include <QByteArray>
#include <QString>
#include <QUrl>
#include <optional>

// How a relay passes an application's opening handshake on to the server it stands in front of
// (reverse relay and proxy). Only what must change for the other connection changes; every other
// byte goes on as the application sent it, so the server meets the application's real request.
namespace RelayHandshake {

// The URL of the upstream connection for an application's request target: `to` with the target's
// path appended to its path and the target's query appended to its query. A target of "/" maps to
// `to` itself, so an application told to use ws://127.0.0.1:PORT/ reaches `to` exactly. nullopt
// and `error` when the target is not a path ("*", an absolute URL: the relay is not a proxy).
std::optional<QUrl> upstreamUrl(const QUrl &to, QByteArrayView target, QString *error);

// A proxy's request targets (RFC 7230 §5.3). The absolute form ("http://host:port/path?q", or
// ws:// and wss:// as some clients send) gives the WebSocket URL it asks for, http and ws as ws://,
// https and wss as wss://; nullopt and `error` for anything else.
std::optional<QUrl> absoluteTarget(QByteArrayView target, QString *error);
// The authority form of CONNECT ("example.org:443", "[::1]:8080"): host and port; nullopt and
// `error` when it is not one (no port, port out of range, junk).
struct Authority {
    QString host;
    quint16 port = 0;
};
std::optional<Authority> connectAuthority(QByteArrayView target, QString *error);

// The request sent upstream: the application's request line with `upstream`'s target, its header
// lines in order and byte-exact, except Host (rewritten for `upstream`) and, when `origin` is not
// empty, Origin (replaced, or added after Host when the application sent none). `dropExtensions`
// leaves out Sec-WebSocket-Extensions, so that no compression is agreed (a relay that changes
// messages must see and write them uncompressed).
QByteArray forwardRequest(
    const HttpRequest &request, const QUrl &upstream, QByteArrayView origin = {}, bool dropExtensions = false);

// The four handshakes of a relayed connection, as recorded.
struct Handshakes {
    QByteArray appRequest; // as the application sent it
    QByteArray appResponse; // as the relay passed it back (the server's, or the relay's own error)
    QByteArray serverRequest; // as the relay sent it on
    QByteArray serverResponse; // as the server answered
};

// What the relay changed in a request it passed on: the request target and each header whose
// value differs, was added or was left out (by name, case-insensitive, first value).
struct Change {
    QByteArray what; // "request target" or the header name as sent
    QByteArray before; // empty when added
    QByteArray after; // empty when left out
};
QList<Change> requestChanges(const HttpRequest &fromApp, const HttpRequest &forwarded);

// A response of the relay's own, for when it cannot pass the handshake on: 400 (bad request),
// 431 (request head too large), 502 (the server cannot be reached), 504 (no answer in time). The
// body says why in plain text; the connection closes after it.
QByteArray errorResponse(int status, const QString &why);

// The same request for an origin server, as a proxy passes on a plain HTTP request: origin-form
// target, every header kept except Connection and Proxy-Connection, which become "Connection:
// close" (one request per connection keeps the proxy from having to parse bodies and answers).
QByteArray forwardPlainRequest(const HttpRequest &request, const QUrl &url);

} // namespace RelayHandshake
