#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

class ClientEngine;

// Keeps an open client connection alive and finds out when it has died without a word (a NAT
// that forgot it, a server that hangs): every `interval` a ping ("keepalive 1", "keepalive 2",
// ...), and a pong must come within `timeout`. A pong answers when it carries the latest ping's
// payload (RFC 6455 §5.5.3: a pong answers the latest ping; an unsolicited pong is a heartbeat and
// answers nothing). When none came in time the connection is given up: the engine records why as
// an error ("no pong within 5000 ms of ping \"keepalive 3\": the connection is dead") and drops the TCP
// connection, and `dead` says so. Stops by itself when the connection leaves OPEN.
class KeepAlive : public QObject {
    Q_OBJECT
public:
    KeepAlive(ClientEngine *engine, int intervalMs, int timeoutMs, QObject *parent = nullptr);
    // Starts pinging; call once the connection is OPEN.
    void start();
    int pingsSent() const { return m_sent; }
    int pongsReceived() const { return m_answered; }

Q_SIGNALS:
    void dead(const QString &why);

private:
    void sendPing();
    void onPong(const QByteArray &payload);

    ClientEngine *m_engine;
    // Children: they move with it when the connection goes to its networking thread.
    QTimer m_interval { this };
    QTimer m_deadline { this };
    int m_timeoutMs;
    int m_sent = 0;
    int m_answered = 0;
    QByteArray m_waitingFor; // the payload of the ping not answered yet; empty when none
};
