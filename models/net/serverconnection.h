#pragma once

#include "log/wireevent.h"
#include "protocol/extensions.h"
#include "protocol/frameparser.h"
#include "protocol/framewriter.h"
#include "protocol/handshake.h"
#include "protocol/messagenumbering.h"
#include "net/pacedwriter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class MessageDeflater;
class QTcpSocket;

// The server side of one WebSocket connection on the inspector's own RFC 6455 engine: the
// embedded server's alternative to QWebSocketServer (DESIGN.md). It is strict where Qt 6.4 is not
// (an unmasked client frame fails the connection, valid UTF-8 split inside a code point is
// accepted, 1012-1014 are valid close codes, a close frame without a code is answered with one
// without a code), negotiates permessage-deflate, and records every byte in and out as WireEvents
// as it goes: nothing is hidden, pings and pongs included.
//
// Events: the request (incoming) and the response (outgoing); each frame both ways; every rule the
// client broke, answered as RFC 6455 says. OPEN and CLOSED are the embedded server's to record.
class ServerConnection : public QObject, private FrameParserHandler {
    Q_OBJECT
public:
    using Recorder = std::function<void(WireEvent &)>;

    struct Options {
        QByteArray subprotocol; // selected for this client (the server has checked it was offered); empty: none
        bool perMessageDeflate = true; // accept the client's offer when one can be honoured
        // What to ask of the client when accepting, the first that an offer allows (conformance
        // cases 13.x); empty: nothing beyond the offer.
        QList<PerMessageDeflate::ClientRequest> deflateRequests;
        FrameParser::Limits limits;
        int closeTimeoutMs = 5'000; // for the client's part of the closing handshake, then for TCP to end
        qsizetype maxHandshakeBytes = 16 * 1024; // as the server admitted the request head
    };

    // `socket`: accepted, the request head complete and still unread (the server peeked at it);
    // taken over. Nothing happens before start().
    ServerConnection(quint32 connectionId, QTcpSocket *socket, Recorder record, QObject *parent = nullptr);
    ~ServerConnection() override;

    // Reads the request, checks it (RFC 6455 §4.2.1) and answers: a 101, or 400/426 saying why
    // (handshakeFailed). Frames the client sent with the request are read after the 101.
    void start(const Options &options);

    quint32 connectionId() const { return m_id; }
    bool isOpen() const { return m_open && !m_closeSent && !m_closeReceived; }
    QByteArray subprotocol() const { return m_open ? m_options.subprotocol : QByteArray(); }
    const std::optional<PerMessageDeflate::Agreement> &deflate() const { return m_deflate; }
    // The 101's Sec-WebSocket-Extensions ("permessage-deflate; client_max_window_bits=9"); empty: none.
    QByteArray acceptedExtensions() const { return m_acceptedExtensions; }
    QByteArray request() const { return m_request; }

    // Outgoing messages are split into frames of this many payload bytes (0: never).
    void setFragmentSize(qint64 bytes) { m_fragmentSize = qMax<qint64>(0, bytes); }
    void setLimits(const FrameParser::Limits &limits);
    // Compressed as agreed, then fragmented. False unless open.
    bool sendMessage(bool isText, const QByteArray &payload);
    bool ping(const QByteArray &payload);
    // Starts the closing handshake; the connection ends when the client answers, or after the
    // close timeout.
    bool close(quint16 code, const QString &reason);
    // Hands what is written to the kernel now (the server is stopping).
    void flush();
    // Drops the TCP connection without a closing handshake.
    void abort();

    // For conformance cases that test a client: any frame as given (servers do not mask; a close
    // frame starts the closing handshake), paced as PacedWriter says, or written in parts.
    bool sendFrame(const FrameSpec &spec);
    void setWritePacing(int chop, bool flushEachFrame) { m_writer.setPacing(chop, flushEachFrame); }
    bool sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes);
    bool continueFrame(qsizetype bytes = -1);
    // Both close frames crossed.
    bool closeHandshakeComplete() const { return m_closeSent && m_closeReceived; }

Q_SIGNALS:
    void opened();
    void handshakeFailed(int status, const QString &reason);
    void messageReceived(bool isText, const QByteArray &payload);
    void pongReceived(quint64 elapsedMs, const QByteArray &payload);
    void closing(); // a close frame was sent or received
    // closeCode: the client's close frame's (1005 when it had none), 1006 without one.
    void disconnected(quint16 closeCode, const QString &reason, bool wasClean);

private:
    // FrameParserHandler
    void onFrame(const ParsedFrame &frame) override;
    void onMessage(quint8 opcode, QByteArrayView payload, int fragments) override;
    void onViolation(const Violation &violation, QByteArrayView headerBytes) override;

    void onReadyRead();
    void onDisconnected();
    // Why the request cannot be answered with a 101 (status and reason), if it cannot.
    std::optional<std::pair<int, QString>> requestProblem() const;
    void refuse(int status, const QString &reason);
    void handleCloseFrame(const ParsedFrame &frame);
    bool writeFrame(const FrameSpec &spec, bool compressed = false, const QByteArray *message = nullptr);
    void sendCloseFrame(quint16 code, const QByteArray &reason);
    void record(WireEvent &event);
    void recordText(EventKind kind, Direction direction, const QString &text);
    void finish();

    quint32 m_id;
    QPointer<QTcpSocket> m_socket;
    Recorder m_record;
    Options m_options;
    QByteArray m_request;
    HttpHeaders m_requestHeaders;
    QByteArray m_method;
    QByteArray m_version;
    bool m_started = false;
    bool m_open = false;
    FrameParser m_parser;
    std::optional<PerMessageDeflate::Agreement> m_deflate;
    std::unique_ptr<MessageDeflater> m_deflater;
    QByteArray m_acceptedExtensions;
    MessageNumbering m_incoming;
    MessageNumbering m_outgoing;
    qint64 m_fragmentSize = 0;
    QTimer m_closeTimer { this };
    PacedWriter m_writer;
    QByteArray m_readBuffer;
    qint64 m_readTimeUs = 0;
    bool m_frameViolated = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    bool m_finished = false;
    QByteArray m_lastPing; // the payload of the latest ping sent, for the round trip
    QElapsedTimer m_pingTimer;
};
