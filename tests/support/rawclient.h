#pragma once

// A client over raw TCP for tests of the relay and the proxy: it writes exactly what the test
// says and keeps every byte it receives, so that a test can compare both sides byte for byte.

#include <QHostAddress>
#include <QTcpSocket>

// Not a Q_OBJECT (AUTOMOC does not see headers outside the test target); wait with QTRY_*.
class RawClient : public QObject {
public:
    explicit RawClient(quint16 port)
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] { received += socket.readAll(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { gone = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    QTcpSocket socket;
    QByteArray received;
    bool gone = false;
};
