#pragma once

// A WebSocket echo server for the probe tests, on our own FrameParser in the server's role, in two
// configurations:
//   Strict:  answers every violation the parser reports with a close frame carrying the
//            violation's code, then closes TCP; answers close frames with the same code (an empty
//            one with an empty one); echoes messages; answers pings. It should pass every probe.
//   Lenient: reflects every frame it receives (same FIN, RSV bits and opcode, unmasked) whatever
//            rule it breaks, ignores close frames and never closes. It should fail every probe that
//            expects a close, and still pass the valid ones.
//   Dropping: completes the handshake, then drops TCP (no close frame) as soon as a frame arrives:
//            an accepted way to fail the connection, but wrong for valid frames and for a close.
// Not a Q_OBJECT (AUTOMOC does not see headers outside the test target); listens on 127.0.0.1:0.

#include "protocol/closecodes.h"
#include "protocol/frameparser.h"
#include "protocol/framewriter.h"
#include "protocol/handshake.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <memory>
#include <vector>

class ProbeTestServer : public QObject {
public:
    enum class Mode { Strict, Lenient, Dropping };

    explicit ProbeTestServer(Mode mode)
        : m_mode(mode)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_clients.push_back(std::make_unique<Client>(m_mode, socket));
                ++m_connections;
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }
    int connectionCount() const { return m_connections; }

private:
    struct Client : FrameParserHandler {
        Client(Mode mode, QTcpSocket *socket)
            : mode(mode)
            , socket(socket)
            , parser(FrameParser::Role::Server, this)
        {
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this] { onReadyRead(); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
        ~Client() override
        {
            if (socket)
                socket->disconnect(); // its lambdas point at this Client
        }

        void onReadyRead()
        {
            const QByteArray bytes = socket->readAll();
            if (open) {
                parser.feed(bytes);
                return;
            }
            head += bytes;
            const auto status = request.feed(bytes);
            if (status == RequestParser::Status::NeedMore)
                return;
            if (status == RequestParser::Status::Error) {
                socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                socket->disconnectFromHost();
                return;
            }
            const QByteArray key = HttpHeaderList::value(request.request().headers, "Sec-WebSocket-Key");
            socket->write(Handshake::buildResponse(key));
            open = true;
            if (head.size() > request.consumed())
                parser.feed(QByteArrayView(head).sliced(request.consumed()));
        }

        void send(bool fin, quint8 rsv, quint8 opcode, QByteArrayView payload)
        {
            FrameSpec spec;
            spec.fin = fin;
            spec.rsv = rsv;
            spec.opcode = opcode;
            spec.mask = false;
            spec.payload = payload.toByteArray();
            if (socket)
                socket->write(FrameWriter::encode(spec).bytes);
        }

        void closeWith(quint16 code, bool withCode)
        {
            send(true, 0, Opcode::Close, withCode ? FrameWriter::closePayload(code, {}) : QByteArray());
            done = true;
            if (socket)
                socket->disconnectFromHost();
        }

        void onFrame(const ParsedFrame &frame) override
        {
            if (mode == Mode::Dropping) {
                if (socket && !done)
                    socket->abort();
                done = true;
                return;
            }
            if (mode == Mode::Lenient) {
                if (frame.header.opcode != Opcode::Close)
                    send(frame.header.fin, frame.header.rsv, frame.header.opcode, frame.payload);
                return;
            }
            if (done)
                return; // failed, or closing: nothing after that is answered
            if (frame.header.opcode == Opcode::Ping) {
                send(true, 0, Opcode::Pong, frame.payload);
            } else if (frame.header.opcode == Opcode::Close) {
                const ClosePayload close = ClosePayload::parse(frame.payload);
                closeWith(close.code, close.hasCode);
            }
        }

        void onMessage(quint8 opcode, QByteArrayView payload, int) override
        {
            if (mode == Mode::Strict && !done)
                send(true, 0, opcode, payload);
        }

        void onViolation(const Violation &violation, QByteArrayView) override
        {
            if (mode == Mode::Strict && !done)
                closeWith(violation.closeCode ? violation.closeCode : quint16(CloseCodes::ProtocolError), true);
        }

        Mode mode;
        QPointer<QTcpSocket> socket;
        FrameParser parser;
        RequestParser request;
        QByteArray head;
        bool open = false;
        bool done = false;
    };

    Mode m_mode;
    QTcpServer m_server;
    std::vector<std::unique_ptr<Client>> m_clients;
    int m_connections = 0;
};
