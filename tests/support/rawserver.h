#pragma once

// A deliberately misbehaving WebSocket "server" for tests: raw TCP, scripted byte by byte. It reads
// the client's handshake request, then runs the test's script, and keeps every byte the client
// sent so the test can assert the client's reaction on the wire.

#include "protocol/frameparser.h"
#include "protocol/handshake.h"

#include <QHostAddress>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <functional>

// Not a Q_OBJECT (AUTOMOC does not see headers outside the test target); wait on clientDisconnected()
// with QTRY_VERIFY.
class RawServer : public QObject {
public:
    struct ClientFrame {
        FrameHeader header;
        QByteArray payload;
    };

    // Called once the complete handshake request has arrived.
    std::function<void(RawServer &)> onRequest;

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2/").arg(QLatin1String(m_server.tls ? "wss" : "ws")).arg(port()));
    }
    // A wss:// server: TLS with this certificate before anything else.
    void useTls(const QSslCertificate &certificate, const QSslKey &key)
    {
        m_server.tls = true;
        m_server.certificate = certificate;
        m_server.key = key;
    }

    const HttpRequest &request() const { return m_requestParser.request(); }
    QByteArray requestKey() const { return HttpHeaderList::value(request().headers, "Sec-WebSocket-Key"); }
    // The 101 response a correct server sends for the request received.
    QByteArray validResponse(QByteArrayView subprotocol = {}) const
    {
        return Handshake::buildResponse(requestKey(), subprotocol);
    }
    void send(const QByteArray &bytes)
    {
        if (m_socket)
            m_socket->write(bytes);
    }
    void closeTcp()
    {
        if (m_socket)
            m_socket->disconnectFromHost();
    }
    void resetTcp()
    {
        if (m_socket) {
            m_socket->flush();
            m_socket->abort();
        }
    }
    bool clientDisconnected() const { return m_clientGone; }
    // Every byte the client sent, its handshake request included.
    QByteArray received() const { return m_received; }

    // Bytes the client sent after its handshake request, parsed as client frames.
    QList<ClientFrame> clientFrames() const
    {
        struct Collector : FrameParserHandler {
            QList<ClientFrame> frames;
            void onFrame(const ParsedFrame &f) override { frames.append({ f.header, f.payload.toByteArray() }); }
            void onMessage(quint8, QByteArrayView, int) override { }
            void onViolation(const Violation &, QByteArrayView) override { }
        } collector;
        FrameParser parser(FrameParser::Role::Server, &collector);
        parser.feed(QByteArrayView(m_received).sliced(m_requestParser.consumed()));
        return collector.frames;
    }

    RawServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            if (m_socket) { // one client per test
                socket->abort();
                return;
            }
            m_socket = socket;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                const QByteArray bytes = socket->readAll();
                m_received += bytes;
                if (!m_requestDone && m_requestParser.feed(bytes) == RequestParser::Status::Complete) {
                    m_requestDone = true;
                    if (onRequest)
                        onRequest(*this);
                }
            });
            connect(socket, &QTcpSocket::disconnected, this, [this] { m_clientGone = true; });
        });
    }

private:
    struct Listener : QTcpServer {
        bool tls = false;
        QSslCertificate certificate;
        QSslKey key;
        void incomingConnection(qintptr descriptor) override
        {
            if (!tls)
                return QTcpServer::incomingConnection(descriptor);
            auto *socket = new QSslSocket(this);
            socket->setSocketDescriptor(descriptor);
            socket->setLocalCertificate(certificate);
            socket->setPrivateKey(key);
            socket->startServerEncryption();
            addPendingConnection(socket);
        }
    } m_server;
    QPointer<QTcpSocket> m_socket;
    RequestParser m_requestParser;
    QByteArray m_received;
    bool m_requestDone = false;
    bool m_clientGone = false;
};
