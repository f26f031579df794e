#include "log/serverlogmodel.h"
#include "text/displaytext.h"
#include "net/embeddedserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTcpSocket>
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

QString cell(const ServerLogModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

QString peerOf(const QWebSocket &client)
{
    return QStringLiteral("127.0.0.1:%1").arg(client.localPort());
}

// A server on 127.0.0.1, port 0, with the model under test attached (and checked) before anything happens.
struct Fixture {
    EmbeddedServer server;
    ServerLogModel model;
    QAbstractItemModelTester tester { &model, QAbstractItemModelTester::FailureReportingMode::QtTest };

    bool start()
    {
        model.setServer(&server);
        return server.start(QHostAddress::LocalHost, 0);
    }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        QUrl u = server.url();
        u.setPath(path);
        return u;
    }
};

} // namespace

class tst_ServerLogModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void columns();
    void messages_data();
    void messages();
    void connectPongDisconnect();
    void handshakeFailed();
    void apiFindingsShown();
    void appendsInOneBatch();
    void batchesWhileFlooded();
    void clearResets();
    void setServerSwitchesSource();
};

void tst_ServerLogModel::columns()
{
    ServerLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(ServerLogModel::ColumnCount));
    QCOMPARE(model.rowCount(), 0);
    const QStringList expected { QStringLiteral("Time"), QStringLiteral("Client"), QStringLiteral("Peer"),
        QStringLiteral("Event"), QStringLiteral("Size"), QStringLiteral("Preview") };
    for (int c = 0; c < model.columnCount(); ++c)
        QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), expected.at(c));
}

void tst_ServerLogModel::messages_data()
{
    QTest::addColumn<bool>("isText");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("preview");

    QTest::addRow("text") << true << QByteArray("hello") << QStringLiteral("text") << QStringLiteral("hello");
    QTest::addRow("text with control characters")
        << true << QByteArray("a\tb\r\nc\x01") << QStringLiteral("text") << QStringLiteral("a\\tb\\r\\nc\\x01");
    QTest::addRow("text, not ASCII") << true << QByteArray("gr\xc3\xbc\xc3\x9f") << QStringLiteral("text")
                                     << QStringLiteral("gr\u00fc\u00df");
    QTest::addRow("bidi override and zero-width space escaped")
        << true << QByteArray("abc\xe2\x80\xae" "def\xe2\x80\x8b") << QStringLiteral("text")
        << QStringLiteral("abc\\u202edef\\u200b");
    QTest::addRow("markup stays text") << true << QByteArray("<b>&amp;</b>") << QStringLiteral("text")
                                       << QStringLiteral("<b>&amp;</b>");
    QTest::addRow("empty text") << true << QByteArray() << QStringLiteral("text") << QString();
    QTest::addRow("binary") << false << QByteArray("\x00\xff\x10 ", 4) << QStringLiteral("binary")
                            << QStringLiteral("00 ff 10 20");
    QTest::addRow("binary that reads as text")
        << false << QByteArray("abc") << QStringLiteral("binary") << QStringLiteral("61 62 63");
}

void tst_ServerLogModel::messages()
{
    QFETCH(bool, isText);
    QFETCH(QByteArray, payload);
    QFETCH(QString, event);
    QFETCH(QString, preview);

    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.url());
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, Timeout); // connected

    if (isText)
        client->sendTextMessage(QString::fromUtf8(payload));
    else
        client->sendBinaryMessage(payload);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3, Timeout); // the frame in, the echo out

    // The client's frame (masked) and the server's echo (not), each as it crossed the wire.
    const quint8 opcode = isText ? 0x1 : 0x2;
    for (int row : { 1, 2 }) {
        const bool in = row == 1;
        QCOMPARE(cell(f.model, row, ServerLogModel::ClientColumn), QStringLiteral("#1"));
        QCOMPARE(cell(f.model, row, ServerLogModel::PeerColumn), peerOf(*client));
        QCOMPARE(cell(f.model, row, ServerLogModel::EventColumn), (in ? QStringLiteral("\u2190 ") : QStringLiteral("\u2192 ")) + event);
        QCOMPARE(cell(f.model, row, ServerLogModel::SizeColumn), QString::number(payload.size()));
        QCOMPARE(cell(f.model, row, ServerLogModel::PreviewColumn), preview);
        QCOMPARE(f.model.index(row, ServerLogModel::PreviewColumn).data(Qt::ToolTipRole).toString(),
            DisplayText::toolTip(preview));
        const QModelIndex index = f.model.index(row, 0);
        QCOMPARE(index.data(ServerLogModel::BytesRole).toByteArray(), payload);
        QCOMPARE(index.data(ServerLogModel::ClientIdRole).toUInt(), 1u);
        QCOMPARE(index.data(ServerLogModel::EventRole).toInt(), int(ServerLogModel::Event::Frame));
        QCOMPARE(index.data(ServerLogModel::DirectionRole).toInt(), int(in ? Direction::Incoming : Direction::Outgoing));
        const QByteArray header = index.data(ServerLogModel::HeaderRole).toByteArray();
        QCOMPARE(header.size(), in ? 6 : 2);
        QCOMPARE(quint8(header.at(0)), quint8(0x80 | opcode));
        QCOMPARE(quint8(header.at(1)), quint8((in ? 0x80 : 0) | payload.size()));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 time = index.data(ServerLogModel::TimestampRole).toLongLong();
        QVERIFY(time <= now && time > now - 60000);
        QCOMPARE(cell(f.model, row, ServerLogModel::TimeColumn),
            QDateTime::fromMSecsSinceEpoch(time).toString(QStringLiteral("HH:mm:ss.zzz")));
    }
}

void tst_ServerLogModel::connectPongDisconnect()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    QSignalSpy connected(&f.server, &EmbeddedServer::clientConnected);
    auto client = openClient(f.url(QStringLiteral("/chat")));
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, Timeout);
    QCOMPARE(connected.size(), 1);
    const QByteArray request = connected.at(0).at(2).toByteArray();
    QVERIFY(request.startsWith("GET /chat HTTP/1.1\r\n"));

    QCOMPARE(cell(f.model, 0, ServerLogModel::EventColumn), QStringLiteral("connected"));
    QCOMPARE(cell(f.model, 0, ServerLogModel::ClientColumn), QStringLiteral("#1"));
    QCOMPARE(cell(f.model, 0, ServerLogModel::PeerColumn), peerOf(*client));
    QCOMPARE(cell(f.model, 0, ServerLogModel::SizeColumn), QString::number(request.size()));
    QCOMPARE(cell(f.model, 0, ServerLogModel::PreviewColumn), QStringLiteral("GET /chat HTTP/1.1"));
    QCOMPARE(f.model.index(0, 0).data(ServerLogModel::BytesRole).toByteArray(), request);

    QSignalSpy pong(&f.server, &EmbeddedServer::pongReceived);
    QVERIFY(f.server.ping(1, "ping\n"));
    QVERIFY(pong.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3, Timeout);
    QCOMPARE(cell(f.model, 1, ServerLogModel::EventColumn), QStringLiteral("\u2192 ping"));
    QCOMPARE(cell(f.model, 1, ServerLogModel::PreviewColumn), QStringLiteral("ping\\n"));
    // The pong's row carries the round trip Qt measured.
    QTRY_COMPARE_WITH_TIMEOUT(cell(f.model, 2, ServerLogModel::EventColumn),
        QStringLiteral("\u2190 pong after %1 ms").arg(pong.at(0).at(1).toULongLong()), Timeout);
    QCOMPARE(cell(f.model, 2, ServerLogModel::PreviewColumn), QStringLiteral("ping\\n"));
    QCOMPARE(cell(f.model, 2, ServerLogModel::SizeColumn), QStringLiteral("5"));
    QCOMPARE(cell(f.model, 2, ServerLogModel::PeerColumn), peerOf(*client));

    const QString peer = peerOf(*client);
    client->close(QWebSocketProtocol::CloseCode(4000), QStringLiteral("bye\tnow"));
    // QWebSocket drops TCP right after sending its close frame, so the server's reply never
    // crosses the client's wire, and the log shows none.
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 5, Timeout);
    QCOMPARE(cell(f.model, 3, ServerLogModel::EventColumn), QStringLiteral("\u2190 close"));
    QCOMPARE(cell(f.model, 4, ServerLogModel::EventColumn), QStringLiteral("disconnected 4000 Private use"));
    QCOMPARE(cell(f.model, 4, ServerLogModel::PeerColumn), peer); // still known after the client left
    QCOMPARE(cell(f.model, 4, ServerLogModel::PreviewColumn), QStringLiteral("bye\\tnow"));
    QCOMPARE(cell(f.model, 4, ServerLogModel::SizeColumn), QString());
    QCOMPARE(f.model.index(4, 0).data(ServerLogModel::CloseCodeRole).toInt(), 4000);
}

void tst_ServerLogModel::handshakeFailed()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, f.server.serverPort());
    QVERIFY(raw.waitForConnected(Timeout));
    const quint16 localPort = raw.localPort(); // 0 once the server has dropped the connection
    const QByteArray garbage("HELLO\x01 there\r\n\r\n");
    raw.write(garbage);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, Timeout);

    QCOMPARE(cell(f.model, 0, ServerLogModel::EventColumn), QStringLiteral("handshake failed"));
    QCOMPARE(cell(f.model, 0, ServerLogModel::ClientColumn), QStringLiteral("\u2014"));
    QCOMPARE(cell(f.model, 0, ServerLogModel::PeerColumn), QStringLiteral("127.0.0.1:%1").arg(localPort));
    QCOMPARE(f.model.index(0, 0).data(ServerLogModel::ClientIdRole).toUInt(), 0u);
    QCOMPARE(f.model.index(0, 0).data(ServerLogModel::BytesRole).toByteArray(), garbage);
    QCOMPARE(cell(f.model, 0, ServerLogModel::SizeColumn), QString::number(garbage.size()));
    QVERIFY(!cell(f.model, 0, ServerLogModel::PreviewColumn).isEmpty());
}

// Where QWebSocketServer's report differs from the wire, a row says so: a client's ping is
// answered with no signal to the application. Reports that match the wire get no row.
void tst_ServerLogModel::apiFindingsShown()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.url());
    QVERIFY(client);
    QSignalSpy pong(client.get(), &QWebSocket::pong);
    client->ping("are you there");
    QVERIFY(pong.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 4, Timeout);
    QCOMPARE(cell(f.model, 1, ServerLogModel::EventColumn), QStringLiteral("\u2190 ping"));
    QCOMPARE(cell(f.model, 2, ServerLogModel::EventColumn), QStringLiteral("API (Qt)"));
    QVERIFY2(cell(f.model, 2, ServerLogModel::PreviewColumn).contains(QStringLiteral("answers this ping itself")),
        qPrintable(cell(f.model, 2, ServerLogModel::PreviewColumn)));
    QCOMPARE(f.model.index(2, 0).data(ServerLogModel::EventRole).toInt(), int(ServerLogModel::Event::Api));
    QCOMPARE(cell(f.model, 3, ServerLogModel::EventColumn), QStringLiteral("\u2192 pong"));
}

void tst_ServerLogModel::appendsInOneBatch()
{
    ServerLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy appended(&model, &ServerLogModel::rowsAppended);

    for (int i = 0; i < 500; ++i) {
        ServerLogModel::Entry e;
        e.clientId = 1;
        e.event = ServerLogModel::Event::Frame;
        e.frame.opcode = 0x1;
        e.bytes = QByteArray::number(i);
        model.append(e);
    }
    QCOMPARE(model.rowCount(), 0); // nothing before the batch tick
    QVERIFY(appended.wait(Timeout));
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 499);
    QCOMPARE(appended.at(0).at(0).toInt(), 0);
    QCOMPARE(appended.at(0).at(1).toInt(), 499);
    QCOMPARE(cell(model, 499, ServerLogModel::PreviewColumn), QStringLiteral("499"));

    ServerLogModel::Entry last;
    last.event = ServerLogModel::Event::Frame;
    model.append(last);
    model.flushPending(); // now, not at the next tick
    QCOMPARE(model.rowCount(), 501);
    QCOMPARE(inserted.size(), 2);
    model.flushPending(); // nothing pending: no empty insert
    QCOMPARE(inserted.size(), 2);
}

void tst_ServerLogModel::batchesWhileFlooded()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.url());
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, Timeout);

    QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
    constexpr int Messages = 2000;
    for (int i = 0; i < Messages; ++i)
        client->sendTextMessage(QString::number(i));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1 + 2 * Messages, Timeout); // each one in and echoed
    // Many messages per insert: far fewer inserts than messages.
    QVERIFY2(inserted.size() < Messages / 4, qPrintable(QString::number(inserted.size())));
    QStringList in;
    for (int row = 1; row < f.model.rowCount(); ++row) {
        if (f.model.index(row, 0).data(ServerLogModel::DirectionRole).toInt() == int(Direction::Incoming))
            in << cell(f.model, row, ServerLogModel::PreviewColumn);
    }
    QCOMPARE(in.size(), Messages);
    for (int i = 0; i < Messages; i += 397)
        QCOMPARE(in.at(i), QString::number(i));
}

void tst_ServerLogModel::clearResets()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.url());
    QVERIFY(client);
    client->sendTextMessage(QStringLiteral("x"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3, Timeout);
    QSignalSpy reset(&f.model, &QAbstractItemModel::modelReset);
    f.model.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(f.model.rowCount(), 0);

    // Still fed afterwards, and the peer of an already connected client is still known.
    client->sendTextMessage(QStringLiteral("y"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 2, Timeout);
    QCOMPARE(cell(f.model, 0, ServerLogModel::PeerColumn), peerOf(*client));
}

void tst_ServerLogModel::setServerSwitchesSource()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.url());
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, Timeout);

    EmbeddedServer other;
    QVERIFY2(other.start(QHostAddress::LocalHost, 0), qPrintable(other.errorString()));
    f.model.setServer(&other);
    QCOMPARE(f.model.rowCount(), 1); // the log keeps what it saw

    QSignalSpy received(&f.server, &EmbeddedServer::messageReceived);
    client->sendTextMessage(QStringLiteral("to the old server"));
    QVERIFY(received.wait(Timeout));
    auto otherClient = openClient(other.url());
    QVERIFY(otherClient);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 2, Timeout);
    QCOMPARE(cell(f.model, 1, ServerLogModel::EventColumn), QStringLiteral("connected"));
    QCOMPARE(cell(f.model, 1, ServerLogModel::PeerColumn), peerOf(*otherClient));

    f.model.setServer(nullptr);
    otherClient->sendTextMessage(QStringLiteral("unseen"));
    QSignalSpy otherReceived(&other, &EmbeddedServer::messageReceived);
    QVERIFY(otherReceived.wait(Timeout));
    f.model.flushPending();
    QCOMPARE(f.model.rowCount(), 2);
}

QTEST_GUILESS_MAIN(tst_ServerLogModel)
#include "tst_serverlogmodel.moc"
