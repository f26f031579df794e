#pragma once

#include "intercept/heldmessagesmodel.h"
#include "log/capture.h"
#include "log/messagelogmodel.h"
#include "log/protocoldecoding.h"
#include "log/timelinemodel.h"
#include "log/trafficstats.h"
#include "net/clientconnection.h"
#include "net/relaysession.h"
#include "protocol/relayhandshake.h"

#include <QObject>
#include <QThread>
#include <functional>
#include <memory>

// One connection in the window, with everything that belongs to it alone: its capture, its log
// model, its traffic counters, and the engine that feeds them. The engine is one of:
// - a connection the user opened (a ClientEngine: ours or QWebSocket, owned here, running on the networking thread
//   when it is given one: the session sends it commands, and the connection writes the capture
//   there through a CaptureWriter);
// - an application's connection passed through a relay or the proxy (a RelaySession on the
//   relays' networking thread, which writes the capture it was given; this session asks it to stop
//   through `abort`; the log stays here once it is gone);
// - none: a session read back from a file.
// Either way the session knows its connection's state from the captured events alone, never by
// asking the engine across threads. Closing keeps the log; the session lives until the user
// removes it.
class ClientSession : public QObject {
    Q_OBJECT
public:
    enum class Kind { Client, Relay, File };
    // What the window knows of a relayed connection when it starts; the rest comes with its events.
    struct Relayed {
        QString appPeer; // "127.0.0.1:51234"
        QUrl target; // where the relay sends it (the application's path is added once known)
        std::function<void(const QString &why)> abort; // drops both legs, from any thread
        // Runs a command with the relay's session on its thread (intercept), from any thread.
        std::function<void(std::function<void(RelaySession *)>)> command;
        bool interceptable = false; // its relay gates messages (RelayOptions::interceptable)
    };

    ClientSession(quint32 id, const ConnectionOptions &options, QObject *parent = nullptr);
    // A relayed connection, whose relay writes `capture` (made by newCapture() and given to this
    // session's thread).
    ClientSession(quint32 id, Relayed relayed, std::shared_ptr<Capture> capture, QObject *parent = nullptr);
    ~ClientSession() override;

    // A capture that a session and a writer on another thread may share: whichever lets go last
    // deletes it, on the capture's thread.
    static std::shared_ptr<Capture> newCapture();

    quint32 id() const { return m_id; }
    Kind kind() const { return m_kind; }
    // "#2 ws://127.0.0.1:8080/"; a relay: "#3 app 127.0.0.1:51234 ⇄ ws://server/path".
    QString title() const;
    const ConnectionOptions &options() const { return m_options; }
    // Whether this session can send: a connection the user opened (not a relay, not a file).
    bool canSend() const { return m_kind == Kind::Client; }
    // Whether hand-made frames can be sent: QWebSocket sends only what its API offers.
    bool canCraftFrames() const { return canSend() && m_options.engine == ConnectionOptions::Engine::Inspector; }
    Capture *capture() { return m_capture.get(); }
    MessageLogModel *log() { return &m_log; }
    TimelineModel *timeline() { return &m_timeline; }
    // The protocol on top (Socket.IO, STOMP, ...): found by itself, or chosen by the user.
    ProtocolDecoding *decoding() { return &m_decoding; }
    const TrafficStats &stats() const { return m_stats; }
    ReadyState readyState() const;
    // The last error or failure, empty when none.
    QString errorString() const;
    // The opening handshake's bytes, kept by the session: clearing the log does not lose them. For a
    // relay: the application's request and the server's answer (the same key and accept).
    QByteArray handshakeRequest() const { return m_handshakeRequest; }
    QByteArray handshakeResponse() const { return m_handshakeResponse; }
    // A relay: the application's and the server's handshakes, both ways.
    const RelayHandshake::Handshakes &relayHandshakes() const { return m_relayHandshakes; }
    bool isSecure() const;
    // The Sec-WebSocket-Key this connection sent (from its recorded request); empty before that.
    QByteArray handshakeKey() const;
    // permessage-deflate was agreed in the handshake (from the recorded response, once OPEN).
    bool compressionAgreed() const { return m_compressionAgreed; }

    // Starts connecting, on `network` when given (the connection moves there and writes the
    // capture from there), else on this thread. A URL that cannot be used is reported in the log.
    void start(QThread *network = nullptr);

    // The user's commands to the connection the user opened. Each is passed to the connection's
    // thread and false only when there is nothing to send on; what the connection makes of it
    // (sent, or refused because it is no longer open) is in the log, as always.
    using Compression = ClientEngine::Compression;
    // Data messages split into frames of `fragmentSize` bytes (0: one frame).
    bool sendText(const QByteArray &utf8, qsizetype fragmentSize = 0, Compression compression = Compression::AsNegotiated);
    bool sendBinary(const QByteArray &data, qsizetype fragmentSize = 0, Compression compression = Compression::AsNegotiated);
    bool ping(const QByteArray &payload = {});
    bool pong(const QByteArray &payload = {});
    bool close(quint16 code = 1000, const QByteArray &reason = {});
    // Socket.IO mode (options().socketIo): the client's side of the conversation, answered from
    // the messages as they come in; null otherwise.
    const SocketIoClient *socketIo() const { return m_socketIo.get(); }
    // An event, as its JSON array ["name", args...], on the namespace, with an ack id when `ack`;
    // queued until the namespace lets the client in. False outside Socket.IO mode, or when the
    // array is not an event's (SocketIoClient::arrayProblem()).
    bool emitSocketIo(const QByteArray &array, bool ack);
    // Hand-made frames, in order; `compressPayload` as ClientConnection::sendFrame() says.
    bool sendFrames(const QList<FrameSpec> &frames, bool compressPayload = false);
    // Intercept on a relayed connection whose relay allows it; each is run on the relay's thread,
    // and what came of it is in the log. `from`: the leg whose peer sends the messages.
    // A relay started to allow it, or a QWebSocket connection opened with `interceptable`, whose
    // relay inside the process holds messages between QWebSocket (the application) and the server.
    bool canIntercept() const
    {
        return (m_kind == Kind::Relay && m_relayed.interceptable && m_relayed.command)
            || (m_kind == Kind::Client && m_options.engine == ConnectionOptions::Engine::Qt && m_options.interceptable);
    }
    bool setIntercept(Leg from, bool holding, bool controlFrames, bool perFrame = false);
    bool forwardHeld(Leg from, quint32 hold, const std::optional<QByteArray> &edited = std::nullopt);
    bool dropHeld(Leg from, quint32 hold);
    bool forwardAllHeld(Leg from);
    bool inject(Leg toward, const FrameSpec &frame);
    // The messages its relay holds, from the capture's intercept notes.
    HeldMessagesModel *heldMessages() { return &m_held; }

    // The user's Disconnect: a closing handshake (1000) for a connection; a relay drops both legs.
    // It also ends reconnecting (closedByUser()).
    void disconnectFromPeer();
    // The user closed this connection (Disconnect, a close sent by hand, removing it): a
    // Reconnector does not follow it with another.
    bool closedByUser() const { return m_closedByUser; }
    // What a Reconnector says of this connection once it ended: "reconnecting in 2.1 s (attempt 2
    // of 5)", "gave up after 5 attempts"; empty when nothing.
    QString reconnectNote() const { return m_reconnectNote; }
    // `pending`: a next connection is waited for, which Disconnect stops.
    void setReconnectNote(const QString &note, bool pending = false);
    bool reconnectPending() const { return m_reconnectPending; }
    // Drops the connection at once (the session is being removed).
    void abort();

    bool isFromFile() const { return m_kind == Kind::File; }
    void setFileName(const QString &fileName);
    // A read-only record that is not a file (a conformance case's wire log), titled as given.
    void setRecordName(const QString &name);
    // After the capture was read from a file: its first handshake is this session's.
    void adoptHandshakeFromCapture();

Q_SIGNALS:
    void changed(); // state changed, or counters (coalesced by the log's batches): all a pane needs
    // A whole data message from the server of a connection the user opened, as the capture shows it (inflated, fragments joined), in
    // capture order with the state changes. Only emitted while something is connected: a flood
    // does not pay for it otherwise.
    void messageReceived(quint8 opcode, const QByteArray &payload);

private:
    // The events the capture showed since last time: the counters, and note() for each. In slices
    // of at most ScanSlice, so that a backlog never holds the window.
    static constexpr qsizetype ScanSlice = 32768;
    void takeNewEvents();
    void takeEvents(qsizetype limit);
    void note(const WireEvent &event); // keeps the handshake, the state and the last error
    void answerSocketIo(qsizetype index, const WireEvent &event);
    void tellMessage(qsizetype index, const WireEvent &event);
    void connectModels();
    // Runs `command` with the connection on its thread; false when there is none.
    bool command(std::function<void(ClientEngine *)> command);
    bool relayCommand(std::function<void(RelaySession *)> command);

    quint32 m_id;
    Kind m_kind;
    QString m_fileName;
    bool m_recordNotFile = false; // setRecordName(): m_fileName is the record's title
    ConnectionOptions m_options;
    std::shared_ptr<Capture> m_capture;
    qsizetype m_seen = 0; // events of the capture taken by takeNewEvents()
    bool m_scanQueued = false;
    TrafficStats m_stats;
    std::unique_ptr<SocketIoClient> m_socketIo;
    ProtocolDecoding m_decoding;
    MessageLogModel m_log;
    TimelineModel m_timeline;
    HeldMessagesModel m_held;
    QByteArray m_handshakeRequest;
    QByteArray m_handshakeResponse;
    RelayHandshake::Handshakes m_relayHandshakes;
    ClientEngine *m_connection = nullptr; // owned; deleted on its own thread
    Relayed m_relayed;
    QString m_relayTitle;
    bool m_relaySecure = false;
    ReadyState m_state = ReadyState::Connecting;
    bool m_stateKnown = false; // a state change was recorded (before that, errors tell)
    bool m_compressionAgreed = false;
    QString m_lastError;
    bool m_closedByUser = false;
    QString m_reconnectNote;
    bool m_reconnectPending = false;
};
