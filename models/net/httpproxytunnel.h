#pragma once

#include "net/outgoingproxy.h"
#include "protocol/handshake.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

// The CONNECT exchange that opens a tunnel to host:port through an HTTP proxy (RFC 9110 §9.3.6),
// done here rather than by Qt's socket so that the user sees what the proxy answered: Qt reports a
// 403, a 502, wrong credentials and a garbled answer alike as "Error communicating with HTTP
// proxy". Credentials go as Basic authentication with the first request, as curl sends them; a
// proxy that wants another scheme (NTLM, Negotiate, Digest) is named in the refusal. The owner
// connects its socket to the proxy, writes request() and feeds what comes back until the tunnel is
// open or refused; from then on the socket carries the server's bytes (TLS first, for wss://).
class HttpProxyTunnel {
    Q_DECLARE_TR_FUNCTIONS(HttpProxyTunnel)
public:
    HttpProxyTunnel(const OutgoingProxy &proxy, const QString &host, quint16 port, qsizetype maxHeadBytes = 16 * 1024);

    QByteArray request() const;

    enum class Status { NeedMore, Open, Refused };
    Status feed(QByteArrayView bytes);
    Status status() const { return m_status; }
    // Open: the bytes after the proxy's answer (a server that spoke first).
    QByteArray leftover() const { return m_leftover; }
    // Neither a WebSocket server nor TLS speaks before the client: the owner gives up with this
    // when leftover() is not empty. Empty when it is.
    QString strayBytesText() const;
    // Open: "tunnel to host:443 opened by the HTTP proxy 10.0.0.1:3128: 200 Connection established".
    QString openedText() const;
    // Refused: what the proxy said, and what it means ("... answered 407 Proxy Authentication
    // Required: the user name and password were not accepted").
    QString refusal() const { return m_refusal; }
    // The connection to the proxy ended before it answered in full.
    QString endedEarlyText() const;

private:
    QString target() const;
    Status refuse(const QString &why);

    OutgoingProxy m_proxy;
    QString m_host;
    quint16 m_port;
    ResponseParser m_parser;
    Status m_status = Status::NeedMore;
    QByteArray m_leftover;
    QString m_refusal;
};
