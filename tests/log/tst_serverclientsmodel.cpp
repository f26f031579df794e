#include "log/serverclientsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

namespace {

constexpr int Timeout = 10000;

std::unique_ptr<QWebSocket> openClient(const QUrl &url)
{
    auto client = std::make_unique<QWebSocket>();
    QSignalSpy connected(client.get(), &QWebSocket::connected);
    client->open(url);
    if (!connected.wait(Timeout))
        return {};
    return client;
}

QUrl withPath(QUrl url, const QString &path)
{
    url.setPath(path);
    return url;
}

QString peerOf(const QWebSocket &client)
{
    return QStringLiteral("127.0.0.1:%1").arg(client.localPort());
}

} // namespace

class tst_ServerClientsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void columns();
    void clientsComeAndGo_data();
    void clientsComeAndGo();
    void stopRemovesAll();
    void takesOverConnectedClients();
};

void tst_ServerClientsModel::columns()
{
    ServerClientsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(ServerClientsModel::IdColumn, Qt::Horizontal).toString(), QStringLiteral("Client"));
    QCOMPARE(model.headerData(ServerClientsModel::PeerColumn, Qt::Horizontal).toString(), QStringLiteral("Peer"));
    QCOMPARE(model.headerData(ServerClientsModel::SinceColumn, Qt::Horizontal).toString(),
        QStringLiteral("Connected since"));
    QCOMPARE(model.rowOf(1), -1);
}

void tst_ServerClientsModel::clientsComeAndGo_data()
{
    QTest::addColumn<int>("leaving"); // index of the client that disconnects
    QTest::addRow("oldest leaves") << 0;
    QTest::addRow("middle leaves") << 1;
    QTest::addRow("newest leaves") << 2;
}

void tst_ServerClientsModel::clientsComeAndGo()
{
    QFETCH(int, leaving);

    EmbeddedServer server;
    ServerClientsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setServer(&server);
    QVERIFY2(server.start(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    QSignalSpy connected(&server, &EmbeddedServer::clientConnected);

    std::vector<std::unique_ptr<QWebSocket>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(openClient(withPath(server.url(), QStringLiteral("/c%1").arg(i))));
        QVERIFY(clients.back());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), i + 1, Timeout);
    }
    QCOMPARE(connected.size(), 3);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 3; ++i) {
        const QModelIndex index = model.index(i, 0);
        QCOMPARE(index.data(ServerClientsModel::ClientIdRole).toUInt(), quint32(i + 1));
        QCOMPARE(index.data().toString(), QStringLiteral("#%1").arg(i + 1));
        QCOMPARE(model.index(i, ServerClientsModel::PeerColumn).data().toString(), peerOf(*clients[i]));
        const QByteArray request = index.data(ServerClientsModel::HandshakeRequestRole).toByteArray();
        QCOMPARE(request, connected.at(i).at(2).toByteArray());
        QVERIFY(request.startsWith(QStringLiteral("GET /c%1 HTTP/1.1\r\n").arg(i).toLatin1()));
        QVERIFY(request.endsWith("\r\n\r\n"));
        const qint64 since = index.data(ServerClientsModel::ConnectedAtRole).toLongLong();
        QVERIFY(since <= now && since > now - 60000);
        QCOMPARE(model.rowOf(quint32(i + 1)), i);
        QCOMPARE(model.client(i).id, quint32(i + 1));
    }

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    clients[leaving]->close();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, Timeout);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), leaving);
    QCOMPARE(model.rowOf(quint32(leaving + 1)), -1);
    int row = 0;
    for (int i = 0; i < 3; ++i) {
        if (i == leaving)
            continue;
        QCOMPARE(model.index(row, 0).data(ServerClientsModel::ClientIdRole).toUInt(), quint32(i + 1));
        ++row;
    }
}

void tst_ServerClientsModel::stopRemovesAll()
{
    EmbeddedServer server;
    ServerClientsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setServer(&server);
    QVERIFY2(server.start(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    auto a = openClient(server.url());
    auto b = openClient(server.url());
    QVERIFY(a && b);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, Timeout);
    server.stop();
    QCOMPARE(model.rowCount(), 0); // stop() reports every client at once
}

void tst_ServerClientsModel::takesOverConnectedClients()
{
    EmbeddedServer server;
    QVERIFY2(server.start(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    QSignalSpy connected(&server, &EmbeddedServer::clientConnected);
    auto a = openClient(server.url());
    QVERIFY(a);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, Timeout);

    ServerClientsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setServer(&server);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ServerClientsModel::PeerColumn).data().toString(), peerOf(*a));
    QCOMPARE(model.index(0, 0).data(ServerClientsModel::HandshakeRequestRole).toByteArray(),
        connected.at(0).at(2).toByteArray());

    model.setServer(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QSignalSpy disconnected(&server, &EmbeddedServer::clientDisconnected);
    a->close();
    QVERIFY(disconnected.wait(Timeout));
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ServerClientsModel)
#include "tst_serverclientsmodel.moc"
