#pragma once

#include "clioptions.h"
#include "decode/socketioclient.h"

#include <QObject>
#include <QTimer>

class ClientEngine;

// --socketio: plays a Socket.IO v4 client over the command line's connection. Answers what the
// server sends as SocketIoClient says (the namespace's connect, pongs), emits the --emit events
// once the namespace lets it in, and says when it is done: every ack came (or --ack-timeout
// passed), or the server refused the namespace.
class SocketIoDriver : public QObject {
    Q_OBJECT
public:
    SocketIoDriver(const CliOptions &options, ClientEngine *connection, QObject *parent = nullptr);

    // Once the WebSocket is open.
    void start();
    const SocketIoClient &client() const { return m_client; }
    bool isDone() const { return m_done; }
    // Why it stopped short, for standard error; empty when all went as asked.
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void done();

private:
    void onMessage(quint8 opcode, const QByteArray &payload);
    void send(const QList<QByteArray> &messages);
    void checkDone();
    void finish(const QString &problem = QString());

    SocketIoClient m_client;
    ClientEngine *m_connection;
    QTimer m_ackTimeout;
    bool m_emitted = false;
    bool m_done = false;
    QString m_problem;
};
