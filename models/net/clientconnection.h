#pragma once

#include "log/wireevent.h"
#include "net/clientengine.h"
#include "net/httpproxytunnel.h"
#include "net/pacedwriter.h"
#include "protocol/frameparser.h"
#include "protocol/framewriter.h"
#include "protocol/handshake.h"
#include "protocol/messagenumbering.h"

#include <QMetaMethod>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>

#include <optional>
#include <QUrl>
#include <memory>

class QTcpSocket;

// The client side of one WebSocket connection, on our own RFC 6455 engine (DESIGN.md explains why
// not QWebSocket). Every byte in and out is recorded as WireEvents into the sinks, in wire order.
// States follow the browser's readyState. The engine never hides a frame: pings, pongs and close
// frames are recorded, and violations are recorded and answered as RFC 6455 says.
class ClientConnection : public ClientEngine, private FrameParserHandler {
    Q_OBJECT
public:
    // The TCP port a URL names: its own, or 80 for ws:// and 443 for wss:// (RFC 6455 §3).
    static quint16 portOf(const QUrl &url);
    static bool isSecure(const QUrl &url); // wss://, in any case
    explicit ClientConnection(quint32 connectionId, QObject *parent = nullptr);
    ~ClientConnection() override;

    void addSink(WireEventSink *sink) override;
    quint32 connectionId() const override { return m_id; }

    // Empty when the URL can be used; otherwise what is wrong with it, for the user.
    static QString urlProblem(const QUrl &url);
    // The same for everything open() checks first: the URL, then the proxy it would go through.
    static QString openProblem(const ConnectionOptions &options);

    // Starts connecting. Returns false (and records the error) when the options cannot be used.
    bool open(const ConnectionOptions &options) override;

    ReadyState readyState() const override { return m_state; }
    const ConnectionOptions &options() const { return m_options; }
    // Bytes handed to the socket that the OS has not taken yet (the browser's bufferedAmount).
    qint64 bufferedAmount() const;
    // Small frames leave at once (TCP_NODELAY), as browsers and WebSocket libraries send them;
    // false until connected.
    bool sendsWithoutDelay() const;
    QByteArray handshakeKey() const { return m_key; }
    const HttpResponse &handshakeResponse() const { return m_responseParser.response(); }
    const HandshakeCheck &handshakeCheck() const { return m_check; }
    QByteArray selectedSubprotocol() const { return m_check.selectedSubprotocol; }
    QByteArray selectedExtensions() const { return m_check.selectedExtensions; }
    // What was offered in Sec-WebSocket-Extensions: the permessage-deflate offer, then the rest.
    QStringList offeredExtensions() const;
    // permessage-deflate as agreed in the handshake; nullopt when the server did not accept it.
    const std::optional<PerMessageDeflate::Agreement> &deflate() const { return m_check.deflate; }

    quint16 closeCode() const override { return m_closeCode; }
    QString closeReason() const override { return m_closeReason; }
    bool wasClean() const override { return m_wasClean; }
    QString errorString() const override { return m_error; }
    quint64 bytesSent() const { return m_bytesSent; }
    quint64 bytesReceived() const { return m_bytesReceived; }

    // Outgoing data messages are split into frames of this many payload bytes (0: never).
    void setFragmentSize(qsizetype bytes) override { m_options.fragmentSize = qMax<qsizetype>(0, bytes); }
    // Data messages, compressed as negotiated, then split into fragments of options().fragmentSize.
    // Refused unless OPEN.
    bool sendText(const QByteArray &utf8, Compression compression = Compression::AsNegotiated) override;
    bool sendBinary(const QByteArray &data, Compression compression = Compression::AsNegotiated) override;
    bool ping(const QByteArray &payload = {}) override;
    void giveUp(const QString &reason) override { fail(reason); }
    bool pong(const QByteArray &payload = {}) override;
    // Starts the closing handshake. code 0 sends a close frame with an empty payload.
    // Codes that may not be sent and reasons over 123 bytes are sent as asked: testing a server's
    // reaction is the point; the caller warns the user.
    bool close(quint16 code = 1000, const QByteArray &reason = {}) override;
    // Any frame, valid or not, in any state where the socket is connected. Recorded like the rest.
    // `compressPayload`: the payload is compressed first (RSV1 is left as the spec says). A whole
    // data message (RSV1 and FIN) goes through the connection's own stream when permessage-deflate
    // was agreed, so that the peer's window stays in step; anything else (no agreement, a fragment,
    // a control frame, RSV1 clear) is compressed on its own, to see what a server makes of it.
    bool sendFrame(const FrameSpec &spec, bool compressPayload = false) override;
    // Arbitrary bytes, not framed (for tests of what a server does with garbage). Recorded as an error
    // event so the log shows them.
    bool sendRawBytes(const QByteArray &bytes) override;
    // Drops the TCP connection without a closing handshake.
    void abort() override;

    // How frames reach TCP, for conformance cases that test a peer's reading: in pieces of `chop`
    // bytes, each handed to the OS at once (0: a frame in one write), and with `flushEachFrame`, no
    // frame sharing a write with the frames around it. Applies to the frames sent after it.
    void setWritePacing(int chop, bool flushEachFrame);
    // A frame written in parts: its header and the first `payloadBytes` of its payload now, the rest
    // by continueFrame(). Recorded once, as the whole frame, when it starts. Refused while another
    // frame is in parts.
    bool sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes);
    // `bytes` more of the frame in parts (-1: all that is left). False when none is in parts.
    bool continueFrame(qsizetype bytes = -1);
    // The inspector closed TCP (closing timeout, a violation it failed the connection for, abort()),
    // rather than the server.
    bool closedTcpFirst() const { return m_closedTcpFirst; }

private:
    // Whether anyone listens to `Signal` (its payload is copied only then), with the signal's
    // QMetaMethod looked up once: looking it up for every message showed in a flood's profile.
    template <auto Signal>
    bool isConnected() const
    {
        static const QMetaMethod method = QMetaMethod::fromSignal(Signal);
        return isSignalConnected(method);
    }
    // FrameParserHandler
    void onFrame(const ParsedFrame &frame) override;
    void onMessage(quint8 opcode, QByteArrayView payload, int fragments) override;
    void onViolation(const Violation &violation, QByteArrayView headerBytes) override;

    void onConnected();
    // The HTTP proxy's answer to CONNECT; once the tunnel is open, TLS or the handshake starts.
    void handleTunnelBytes(QByteArrayView bytes);
    bool tunnelPending() const { return m_tunnel && m_tunnel->status() == HttpProxyTunnel::Status::NeedMore; }
    void onEncrypted();
    void onSslErrors(const QList<QSslError> &errors);
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onBytesWritten();
    void answerPing(QByteArrayView payload);
    void sendHandshakeRequest();
    void handleHandshakeBytes(QByteArrayView bytes);
    void recordResponse();
    void recordViolation(ViolationRule rule, quint16 closeCode, const QString &description, QByteArrayView headerBytes);
    void finishHandshake();
    void processFrameBytes(QByteArrayView bytes);
    void handleCloseFrame(const ParsedFrame &frame);

    // `compressed`: the frame belongs to a compressed message; `message`: on the final frame of one,
    // the message as it was before compressing.
    bool writeFrame(const FrameSpec &spec, bool compressed = false, const QByteArray *message = nullptr);
    bool sendData(quint8 opcode, const QByteArray &payload, Compression compression);
    void sendCloseFrame(quint16 code, const QByteArray &reason);
    void fail(const QString &message);
    void dropTcp();
    void setState(ReadyState state, const QString &detail);
    void finishClosed();
    void emitEvent(WireEvent &event);
    void recordText(EventKind kind, Direction direction, const QString &text);
    void recordTls();

    quint32 m_id;
    QList<WireEventSink *> m_sinks;
    ConnectionOptions m_options;
    std::optional<OutgoingProxy> m_proxy; // the one this connection goes through, if any
    std::optional<HttpProxyTunnel> m_tunnel; // through an HTTP proxy: its CONNECT exchange
    QTcpSocket *m_socket = nullptr;
    ReadyState m_state = ReadyState::Closed;
    QByteArray m_key;
    ResponseParser m_responseParser;
    HandshakeCheck m_check;
    FrameParser m_parser;
    std::unique_ptr<MessageDeflater> m_deflater; // while permessage-deflate is agreed
    MessageNumbering m_incomingMessages; // which message each frame belongs to, per direction
    MessageNumbering m_outgoingMessages;
    // Children, so that they move with the connection to the networking thread.
    QTimer m_handshakeTimer { this };
    QTimer m_closeTimer { this };
    QByteArray m_readBuffer;
    qsizetype m_handshakeBytesFed = 0;
    bool m_responseRecorded = false;
    qint64 m_readTimeUs = 0; // time of the read being processed: frames that arrived together share it

    bool m_closeSent = false;
    std::optional<QByteArray> m_heldPong; // the latest ping's payload while auto-pong waits
    quint64 m_pingsHeld = 0;
    bool m_closeReceived = false;
    bool m_closedByPeer = false; // the peer sent the first close frame
    bool m_finished = false;
    bool m_frameViolated = false; // the frame about to be delivered by the parser broke a rule
    quint16 m_closeCode = 0;
    QString m_closeReason;
    QByteArray m_closeReasonBytes; // as received: the state messages quote these by the display rule
    bool m_wasClean = false;
    QString m_error;
    quint64 m_bytesSent = 0;
    quint64 m_bytesReceived = 0;
    PacedWriter m_writer;
    bool m_closedTcpFirst = false;
};
