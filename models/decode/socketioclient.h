#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

// What a Socket.IO v4 client does on top of a WebSocket (Engine.IO v4's websocket transport),
// without a socket: fed each text message the server sends, it says what to send back (the pong to
// an Engine.IO ping, the connect to a namespace once Engine.IO is open) and keeps track of the
// session (sid, the server's ping interval and timeout, the namespace's state, the acks awaited).
// The command line's --socketio and the window's Socket.IO mode send what it returns through their
// connection, and show every message as any other.
class SocketIoClient {
public:
    struct Options {
        QByteArray nsp = "/"; // the namespace to join
        QByteArray auth; // the connect packet's JSON object (socket.io's `auth`); empty: none
        // Answer the server's Engine.IO pings. Off, the client stays silent, to watch the server
        // give up on it after pingInterval + pingTimeout.
        bool answerPings = true;
    };
    enum class State : quint8 {
        WaitingForOpen, // the WebSocket is open; Engine.IO's open packet has not come yet
        Joining, // the connect to the namespace went out; the server has not answered
        Joined, // the server let us in (its connect packet, with our socket's id)
        Refused, // the server answered connect_error
        Disconnected, // the server disconnected the namespace, or Engine.IO closed
    };

    SocketIoClient();
    explicit SocketIoClient(Options options);

    // The URL that opens the websocket transport: `url` with Socket.IO's default path /socket.io/
    // when it has no path of its own, and EIO=4&transport=websocket in the query (other query
    // items kept). http(s) URLs become ws(s).
    static QUrl engineUrl(const QUrl &url);

    // A text message from the server; returns the messages to send, in order.
    QList<QByteArray> received(QByteArrayView text);
    // An event with one JSON argument (`argument` empty: none) on the namespace, asking for an ack
    // when `ack`. Sent now when joined (the message is returned), else queued until the server lets
    // the client in (received() returns it then).
    QList<QByteArray> emitEvent(const QString &event, QByteArrayView argument, bool ack);
    // The same from the packet's JSON array as socket.io writes it, ["name", arg, ...] (the
    // composer's Socket.IO mode); arrayProblem() says when it is not one.
    QList<QByteArray> emitArray(QByteArrayView array, bool ack);
    static QString arrayProblem(QByteArrayView array);
    // Why an event cannot be emitted as given: the argument is not JSON, the name is empty.
    static QString emitProblem(const QString &event, QByteArrayView argument);

    State state() const { return m_state; }
    QString sid() const { return m_sid; } // the Engine.IO session
    QString socketId() const { return m_socketId; } // the namespace's socket
    QString refusal() const { return m_refusal; } // connect_error's message
    std::optional<qint64> pingIntervalMs() const { return m_pingInterval; }
    std::optional<qint64> pingTimeoutMs() const { return m_pingTimeout; }
    int acksAwaited() const { return int(m_awaited.size()); }
    int pingsAnswered() const { return m_pongs; }
    const Options &options() const { return m_options; }

    // One event's packet as socket.io-client writes it: 42/chat,7["name",arg].
    static QByteArray eventPacket(QByteArrayView nsp, const QString &event, QByteArrayView argument, std::optional<quint64> ackId);
    static QByteArray arrayPacket(QByteArrayView nsp, QByteArrayView array, std::optional<quint64> ackId);

private:
    QByteArray connectPacket() const;
    Options m_options;
    State m_state = State::WaitingForOpen;
    QString m_sid;
    QString m_socketId;
    QString m_refusal;
    std::optional<qint64> m_pingInterval;
    std::optional<qint64> m_pingTimeout;
    QList<QByteArray> m_queued; // events waiting for the namespace
    QList<quint64> m_awaited; // ack ids sent and not answered yet
    quint64 m_nextAck = 0;
    int m_pongs = 0;
};
