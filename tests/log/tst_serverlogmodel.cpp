#include "log/serverlogmodel.h"
#include "text/displaytext.h"
#include "net/embeddedserver.h"
#include "protocol/handshake.h"
#include "protocol/messagedeflate.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <memory>

namespace {

constexpr int Timeout = 10000;

std::unique_ptr<QWebSocket> openClient(const QUrl &url, const QStringList &subprotocols = {})
{
    auto client = std::make_unique<QWebSocket>();
    QSignalSpy connected(client.get(), &QWebSocket::connected);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(subprotocols);
    client->open(url, options);
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
    // Where a Socket.IO v4 client opens its WebSocket transport.
    QUrl socketIoUrl() const
    {
        QUrl u = url(QStringLiteral("/socket.io/"));
        u.setQuery(QStringLiteral("EIO=4&transport=websocket"));
        return u;
    }
    QString message(int row) const { return cell(model, row, ServerLogModel::MessageColumn); }
    // The rows of one client's frames in one direction, in order.
    QList<int> frameRows(quint32 clientId, Direction direction) const
    {
        QList<int> rows;
        for (int row = 0; row < model.rowCount(); ++row) {
            const ServerLogModel::Entry &e = model.entry(row);
            if (e.event == ServerLogModel::Event::Frame && e.clientId == clientId && e.direction == direction)
                rows << row;
        }
        return rows;
    }
};

// A masked client frame with a zero key (so the payload reads as sent).
QByteArray clientFrame(quint8 firstByte, const QByteArray &payload)
{
    Q_ASSERT(payload.size() < 126);
    return QByteArray(1, char(firstByte)) + char(0x80 | payload.size()) + QByteArray(4, '\0') + payload;
}

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
    void messageColumn_data();
    void messageColumn();
    void clientsDecodedSeparately();
    void fragmentedMessageDecodedOnce();
    void compressedMessageDecoded();
    void clearKeepsConversations();
    void decodingFreedWhenClientLeaves();
};

void tst_ServerLogModel::columns()
{
    ServerLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(ServerLogModel::ColumnCount));
    QCOMPARE(model.rowCount(), 0);
    const QStringList expected { QStringLiteral("Time"), QStringLiteral("Client"), QStringLiteral("Peer"),
        QStringLiteral("Event"), QStringLiteral("Size"), QStringLiteral("Message"), QStringLiteral("Preview") };
    QCOMPARE(model.columnCount(), expected.size());
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
    QCOMPARE(f.model.index(4, ServerLogModel::EventColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("disconnected 4000 Private use")); // whole where the column cuts it
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

// A client's messages read as the protocol its handshake names, each on its row, the server's
// echo as well; peer text through the display rule; plain traffic gives empty cells.
void tst_ServerLogModel::messageColumn_data()
{
    QTest::addColumn<bool>("socketIo"); // the client opens Socket.IO's WebSocket transport
    QTest::addColumn<QString>("subprotocol"); // the client offers it, and the server agrees
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("echo"); // the same message, sent by the server

    const QString event = QStringLiteral(R"(Socket.IO event "chat message" ["hi"])");
    QTest::addRow("Socket.IO event") << true << QString() << QByteArray(R"(42["chat message","hi"])") << event << event;
    QTest::addRow("Socket.IO event with an ack")
        << true << QString() << QByteArray(R"(423["chat message","hi"])")
        << QStringLiteral(R"(Socket.IO event "chat message" ["hi"] ack 3)")
        << QStringLiteral(R"(Socket.IO event "chat message" ["hi"] ack 3)");
    // Escaped as the connection log's Message column shows it: never the raw override.
    const QString escaped = QStringLiteral(R"(Socket.IO event "chat message" ["\u202ered"])");
    QTest::addRow("bidi override escaped")
        << true << QString() << QByteArray("42[\"chat message\",\"\xe2\x80\xae" "red\"]") << escaped << escaped;
    // Who sent it counts: the client's frames are the client's, the echo is the server's.
    QTest::addRow("STOMP from the subprotocol, sender known")
        << false << QStringLiteral("v12.stomp") << QByteArray("SEND\ndestination:/queue/a\n\nhi\0", 30)
        << QStringLiteral(R"(STOMP SEND /queue/a 2 B "hi")")
        << QStringLiteral(R"(STOMP SEND /queue/a 2 B "hi" (SEND is a client frame, but the server sent it))");
    QTest::addRow("plain client") << false << QString() << QByteArray(R"(42["chat message","hi"] is only text here)")
                                  << QString() << QString();
    QTest::addRow("plain client, plain text") << false << QString() << QByteArray("hello") << QString() << QString();
}

void tst_ServerLogModel::messageColumn()
{
    QFETCH(bool, socketIo);
    QFETCH(QString, subprotocol);
    QFETCH(QByteArray, payload);
    QFETCH(QString, message);
    QFETCH(QString, echo);

    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    if (!subprotocol.isEmpty()) {
        ServerBehaviour behaviour = f.server.behaviour();
        behaviour.subprotocols = QStringList { subprotocol };
        QVERIFY(f.server.setBehaviour(behaviour));
    }
    QSignalSpy found(&f.model, &ServerLogModel::decodedRowsFound);
    const QStringList offered = subprotocol.isEmpty() ? QStringList() : QStringList { subprotocol };
    auto client = openClient(socketIo ? f.socketIoUrl() : f.url(), offered);
    QVERIFY(client);
    QCOMPARE(client->subprotocol(), subprotocol);
    client->sendTextMessage(QString::fromUtf8(payload));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3, Timeout); // connected, the message, its echo
    QCOMPARE(f.model.entry(1).direction, Direction::Incoming);
    QCOMPARE(f.model.entry(2).direction, Direction::Outgoing);

    QCOMPARE(f.message(0), QString()); // the connection
    QVERIFY(!f.model.index(0, ServerLogModel::MessageColumn).data(Qt::ToolTipRole).isValid());
    for (int row : { 1, 2 }) {
        const QString expected = row == 1 ? message : echo;
        QCOMPARE(f.message(row), expected);
        QCOMPARE(f.model.entry(row).message, expected);
        const QVariant tip = f.model.index(row, ServerLogModel::MessageColumn).data(Qt::ToolTipRole);
        if (expected.isEmpty()) {
            QVERIFY(!tip.isValid());
        } else {
            QCOMPARE(tip.toString(), DisplayText::toolTip(expected));
            QVERIFY(!tip.toString().contains(QChar(0x202e)));
        }
    }
    QVERIFY(!f.message(1).contains(QChar(0x202e)));
    QCOMPARE(f.model.hasDecodedRows(), !message.isEmpty());
    QCOMPARE(found.size(), message.isEmpty() ? 0 : 1);
    // The preview still shows the raw text.
    QCOMPARE(cell(f.model, 1, ServerLogModel::PreviewColumn), DisplayText::line(payload, 120));
}

// Each client is its own conversation: a Socket.IO client (found by its URL) and an MQTT client
// (found only by the subprotocol the server agreed to, in the 101 response: a PINGREQ alone does
// not say MQTT) side by side, and a plain one that stays undecoded.
void tst_ServerLogModel::clientsDecodedSeparately()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    ServerBehaviour behaviour = f.server.behaviour();
    behaviour.subprotocols = QStringList { QStringLiteral("mqtt") };
    QVERIFY(f.server.setBehaviour(behaviour));
    auto mqtt = openClient(f.url(QStringLiteral("/mqtt")), { QStringLiteral("mqtt") });
    QVERIFY(mqtt);
    QCOMPARE(mqtt->subprotocol(), QStringLiteral("mqtt"));
    behaviour.subprotocols.clear(); // clients without a subprotocol are let in again
    QVERIFY(f.server.setBehaviour(behaviour));
    auto socketIo = openClient(f.socketIoUrl());
    QVERIFY(socketIo);
    auto plain = openClient(f.url());
    QVERIFY(plain);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3, Timeout);

    // Interleaved: each client's messages meet only its own decoder.
    QSignalSpy received(&f.server, &EmbeddedServer::messageReceived);
    mqtt->sendBinaryMessage(QByteArray("\xc0\x00", 2)); // PINGREQ
    QVERIFY(received.wait(Timeout));
    socketIo->sendTextMessage(QStringLiteral(R"(42["chat message","hi"])"));
    QVERIFY(received.wait(Timeout));
    plain->sendTextMessage(QStringLiteral(R"(42["chat message","hi"])"));
    QVERIFY(received.wait(Timeout));
    // PUBLISH to "chat" with the text "hi", QoS 0.
    mqtt->sendBinaryMessage(QByteArray("\x30\x08\x00\x04" "chat" "hi", 10));
    QVERIFY(received.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3 + 2 * 4, Timeout);

    const QList<int> mqttRows = f.frameRows(1, Direction::Incoming);
    const QList<int> socketIoRows = f.frameRows(2, Direction::Incoming);
    const QList<int> plainRows = f.frameRows(3, Direction::Incoming);
    QCOMPARE(mqttRows.size(), 2);
    QCOMPARE(socketIoRows.size(), 1);
    QCOMPARE(plainRows.size(), 1);
    QCOMPARE(f.message(mqttRows.at(0)), QStringLiteral("MQTT PINGREQ"));
    QCOMPARE(f.message(mqttRows.at(1)), QStringLiteral(R"(MQTT PUBLISH chat QoS 0 2 B "hi")"));
    QCOMPARE(f.message(socketIoRows.at(0)), QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
    QCOMPARE(f.message(plainRows.at(0)), QString());
    QCOMPARE(f.message(f.frameRows(3, Direction::Outgoing).at(0)), QString()); // the plain client's echo
}

// A message in several frames is decoded once, on its final frame's row, from all of them joined.
void tst_ServerLogModel::fragmentedMessageDecodedOnce()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.socketIoUrl());
    QVERIFY(client);
    client->setOutgoingFrameSize(8);
    const QString text = QStringLiteral(R"(42["chat message","hi"])"); // 23 bytes: 3 frames
    client->sendTextMessage(text);
    QTRY_COMPARE_WITH_TIMEOUT(f.frameRows(1, Direction::Outgoing).size(), 1, Timeout); // the echo, whole
    const QList<int> in = f.frameRows(1, Direction::Incoming);
    QCOMPARE(in.size(), 3);
    QCOMPARE(cell(f.model, in.at(0), ServerLogModel::EventColumn), QStringLiteral("\u2190 text (more to come)"));
    QCOMPARE(cell(f.model, in.at(2), ServerLogModel::EventColumn), QStringLiteral("\u2190 continuation"));
    QCOMPARE(f.message(in.at(0)), QString());
    QCOMPARE(f.message(in.at(1)), QString());
    QCOMPARE(f.message(in.at(2)), QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));

    // The next message starts afresh: nothing of the last one is joined to it.
    client->setOutgoingFrameSize(1024);
    client->sendTextMessage(QStringLiteral(R"(42["chat message","again"])"));
    QTRY_COMPARE_WITH_TIMEOUT(f.frameRows(1, Direction::Incoming).size(), 4, Timeout);
    QCOMPARE(f.message(f.frameRows(1, Direction::Incoming).at(3)),
        QStringLiteral(R"(Socket.IO event "chat message" ["again"])"));
}

// The inspector's engine with permessage-deflate: the rows keep the wire bytes, the Message column
// reads the message inflated, here compressed and sent in two frames.
void tst_ServerLogModel::compressedMessageDecoded()
{
    Fixture f;
    f.server.setEngine(EmbeddedServer::Engine::Inspector);
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    QTcpSocket raw;
    QByteArray received;
    connect(&raw, &QTcpSocket::readyRead, &raw, [&] { received += raw.readAll(); });
    raw.connectToHost(QHostAddress::LocalHost, f.server.serverPort());
    QVERIFY(raw.waitForConnected(Timeout));
    ClientHandshakeOptions options;
    options.url = f.socketIoUrl();
    options.extensions = QStringList { QStringLiteral("permessage-deflate") };
    raw.write(Handshake::buildRequest(options, "AQIDBAUGBwgJCgsMDQ4PEA=="));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("\r\n\r\n"), Timeout);
    QVERIFY2(received.startsWith("HTTP/1.1 101 "), received.constData());
    QVERIFY2(received.contains("permessage-deflate"), received.constData());

    MessageDeflater deflater(15, false);
    const QByteArray compressed = deflater.compress(QByteArrayView(R"(42["chat message","hi"])"));
    const qsizetype half = compressed.size() / 2;
    raw.write(clientFrame(0x40 | 0x1, compressed.first(half)) + clientFrame(0x80, compressed.sliced(half)));
    QTRY_COMPARE_WITH_TIMEOUT(f.frameRows(1, Direction::Outgoing).size(), 1, Timeout); // the echo
    const QList<int> in = f.frameRows(1, Direction::Incoming);
    QCOMPARE(in.size(), 2);
    QCOMPARE(f.model.entry(in.at(1)).bytes, compressed.sliced(half)); // the wire bytes
    QCOMPARE(f.message(in.at(0)), QString());
    QCOMPARE(f.message(in.at(1)), QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
    QCOMPARE(f.message(f.frameRows(1, Direction::Outgoing).at(0)),
        QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
}

// Clearing the log does not end the conversations: the next message is still read, and the pane is
// told again once the cleared log has a decoded row.
void tst_ServerLogModel::clearKeepsConversations()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto client = openClient(f.socketIoUrl());
    QVERIFY(client);
    client->sendTextMessage(QStringLiteral(R"(42["chat message","one"])"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 3, Timeout);
    QVERIFY(f.model.hasDecodedRows());

    QSignalSpy found(&f.model, &ServerLogModel::decodedRowsFound);
    f.model.clear();
    QVERIFY(!f.model.hasDecodedRows());
    client->sendTextMessage(QStringLiteral(R"(42["chat message","two"])"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 2, Timeout);
    QCOMPARE(f.message(0), QStringLiteral(R"(Socket.IO event "chat message" ["two"])"));
    QVERIFY(f.model.hasDecodedRows());
    QCOMPARE(found.size(), 1);

    // Rows cleared while waiting for their batch still pass through their client's decoder: here
    // the handshake and a message's first fragment.
    ServerLogModel model;
    ServerLogModel::Entry connected;
    connected.clientId = 1;
    connected.event = ServerLogModel::Event::Connected;
    connected.bytes = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n\r\n";
    model.append(connected);
    ServerLogModel::Entry frame;
    frame.clientId = 1;
    frame.event = ServerLogModel::Event::Frame;
    frame.direction = Direction::Incoming;
    frame.frame.opcode = 0x1;
    frame.frame.fin = false;
    frame.bytes = R"(42["chat )";
    model.append(frame);
    model.clear();
    frame.frame.opcode = 0x0;
    frame.frame.fin = true;
    frame.bytes = R"(message","three"])";
    model.append(frame);
    model.flushPending();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, ServerLogModel::MessageColumn),
        QStringLiteral(R"(Socket.IO event "chat message" ["three"])"));
}

void tst_ServerLogModel::decodingFreedWhenClientLeaves()
{
    Fixture f;
    QVERIFY2(f.start(), qPrintable(f.server.errorString()));
    auto first = openClient(f.socketIoUrl());
    QVERIFY(first);
    auto second = openClient(f.url());
    QVERIFY(second);
    first->sendTextMessage(QStringLiteral(R"(42["chat message","hi"])"));
    second->sendTextMessage(QStringLiteral("hello"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 6, Timeout);
    QCOMPARE(f.model.decodingClients(), 2);

    first->close();
    QTRY_VERIFY_WITH_TIMEOUT(f.model.rowCount() > 6
            && f.model.entry(f.model.rowCount() - 1).event == ServerLogModel::Event::Disconnected,
        Timeout);
    QCOMPARE(f.model.decodingClients(), 1);
    second->close();
    QTRY_COMPARE_WITH_TIMEOUT(f.model.decodingClients(), 0, Timeout);

    // A server switched away from takes its clients' conversations along.
    auto third = openClient(f.url());
    QVERIFY(third);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.decodingClients(), 1, Timeout);
    EmbeddedServer other;
    f.model.setServer(&other);
    f.model.append(ServerLogModel::Entry {});
    f.model.flushPending();
    QCOMPARE(f.model.decodingClients(), 0);
}

QTEST_GUILESS_MAIN(tst_ServerLogModel)
#include "tst_serverlogmodel.moc"
