#pragma once

// Real proxies for the tests of outgoing connections through a proxy: Debian's tinyproxy (an HTTP
// proxy that opens CONNECT tunnels, with Basic authentication) and microsocks (a SOCKS5 proxy with
// user name and password), each run on a free port of 127.0.0.1 as a child process.

#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace ProxyPeers {

// A port nobody listens on right now (the proxy binds it a moment later).
inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Whether something accepts connections on 127.0.0.1:port.
inline bool accepts(quint16 port)
{
    QTcpSocket socket;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::connected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(5'000, &loop, &QEventLoop::quit);
    socket.connectToHost(QHostAddress::LocalHost, port);
    loop.exec();
    return socket.state() == QAbstractSocket::ConnectedState;
}

} // namespace ProxyPeers

// tinyproxy in the foreground, its log on standard output: "CONNECT ... Request ...: CONNECT
// host:port HTTP/1.1" lines say which tunnels it opened.
class TinyProxy {
public:
    ~TinyProxy()
    {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }

    // With `user` and `password`, clients must authenticate (Basic).
    bool start(const QByteArray &user = {}, const QByteArray &password = {})
    {
        if (!m_dir.isValid())
            return false;
        m_port = ProxyPeers::freePort();
        QFile config(m_dir.filePath(QStringLiteral("tinyproxy.conf")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write("Port " + QByteArray::number(m_port) + "\nListen 127.0.0.1\nTimeout 30\nLogLevel Info\nMaxClients 20\n");
        if (!user.isEmpty())
            config.write("BasicAuth " + user + ' ' + password + '\n');
        config.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("tinyproxy"), { QStringLiteral("-d"), QStringLiteral("-c"), config.fileName() });
        if (!m_process.waitForStarted(10'000)) {
            qWarning("could not start tinyproxy: %s", qPrintable(m_process.errorString()));
            return false;
        }
        // It says when it listens.
        QElapsedTimer clock;
        clock.start();
        while (!m_log.contains("Accepting connections")) {
            if (clock.elapsed() > 15'000 || m_process.state() != QProcess::Running) {
                qWarning("tinyproxy did not start listening: %s", log().constData());
                return false;
            }
            QSignalSpy more(&m_process, &QProcess::readyRead);
            more.wait(500);
            m_log += m_process.readAll();
        }
        return true;
    }
    quint16 port() const { return m_port; }
    QByteArray log()
    {
        m_log += m_process.readAll();
        return m_log;
    }
    // Whether it opened a tunnel to host:port (its log says so as it reads the request).
    bool tunnelled(const QByteArray &authority)
    {
        return log().contains("CONNECT " + authority + " HTTP/1.1");
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

// microsocks, which prints nothing: ready once it accepts connections.
class MicroSocks {
public:
    ~MicroSocks()
    {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
    bool start(const QString &user, const QString &password)
    {
        m_port = ProxyPeers::freePort();
        m_process.start(QStringLiteral("microsocks"), { QStringLiteral("-i"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                                        QString::number(m_port), QStringLiteral("-u"), user, QStringLiteral("-P"), password });
        if (!m_process.waitForStarted(10'000)) {
            qWarning("could not start microsocks: %s", qPrintable(m_process.errorString()));
            return false;
        }
        QElapsedTimer clock;
        clock.start();
        while (!ProxyPeers::accepts(m_port)) {
            if (clock.elapsed() > 15'000 || m_process.state() != QProcess::Running)
                return false;
            QSignalSpy exited(&m_process, &QProcess::finished);
            exited.wait(50); // a process that prints nothing: nothing to wait for but time
        }
        return true;
    }
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};
