// A Socket.IO v4 client's part of the conversation, without a socket: the URL it opens, the
// connect once Engine.IO is open, pongs (or silence), events queued until the namespace lets it in,
// acks, refusals.

#include "decode/socketioclient.h"

#include <QTest>

class tst_SocketIoClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void engineUrl_data();
    void engineUrl();
    void joinsAndEmits();
    void namespaceWithAuth();
    void refused();
    void silentClient();
    void eventPackets_data();
    void eventPackets();
    void emitProblems();
    void emitArrays();
    void ignoresWhatIsNotForIt();
};

using Client = SocketIoClient;
const QByteArray open = R"(0{"sid":"Xy1","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000})";

void tst_SocketIoClient::engineUrl_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("opened");
    QTest::addRow("bare host") << "ws://127.0.0.1:3000" << "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket";
    QTest::addRow("root") << "ws://127.0.0.1:3000/" << "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket";
    QTest::addRow("http") << "http://localhost:3000" << "ws://localhost:3000/socket.io/?EIO=4&transport=websocket";
    QTest::addRow("https") << "https://chat.example/" << "wss://chat.example/socket.io/?EIO=4&transport=websocket";
    QTest::addRow("custom path kept") << "ws://h/realtime/" << "ws://h/realtime/?EIO=4&transport=websocket";
    QTest::addRow("query kept, EIO replaced") << "ws://h/socket.io/?token=a&EIO=3&transport=polling"
                                              << "ws://h/socket.io/?token=a&EIO=4&transport=websocket";
}

void tst_SocketIoClient::engineUrl()
{
    QFETCH(QString, given);
    QFETCH(QString, opened);
    QCOMPARE(Client::engineUrl(QUrl(given)).toString(), opened);
}

void tst_SocketIoClient::joinsAndEmits()
{
    Client c;
    QCOMPARE(c.state(), Client::State::WaitingForOpen);
    // Emitted before the namespace is joined: queued, the ack counted.
    QCOMPARE(c.emitEvent(QStringLiteral("chat message"), "\"hi\"", true), QList<QByteArray>());
    QCOMPARE(c.acksAwaited(), 1);
    QCOMPARE(c.received(open), QList<QByteArray>({ "40" }));
    QCOMPARE(c.state(), Client::State::Joining);
    QCOMPARE(c.sid(), QStringLiteral("Xy1"));
    QCOMPARE(c.pingIntervalMs(), 300);
    QCOMPARE(c.pingTimeoutMs(), 200);
    QCOMPARE(c.received("2"), QList<QByteArray>({ "3" }));
    QCOMPARE(c.received("2probe"), QList<QByteArray>({ "3probe" }));
    QCOMPARE(c.pingsAnswered(), 2);
    // Let in: the queued event goes out.
    QCOMPARE(c.received(R"(40{"sid":"sock-1"})"), QList<QByteArray>({ R"(420["chat message","hi"])" }));
    QCOMPARE(c.state(), Client::State::Joined);
    QCOMPARE(c.socketId(), QStringLiteral("sock-1"));
    // Joined: sent at once.
    QCOMPARE(c.emitEvent(QStringLiteral("typing"), {}, false), QList<QByteArray>({ R"(42["typing"])" }));
    QCOMPARE(c.emitEvent(QStringLiteral("ping with ack"), "{ \"n\" : 1 }", true), QList<QByteArray>({ R"(421["ping with ack",{"n":1}])" }));
    QCOMPARE(c.acksAwaited(), 2);
    QCOMPARE(c.received(R"(430["ok"])"), QList<QByteArray>());
    QCOMPARE(c.acksAwaited(), 1);
    QCOMPARE(c.received(R"(437["not ours"])"), QList<QByteArray>());
    QCOMPARE(c.acksAwaited(), 1);
    QCOMPARE(c.received(R"(431[])"), QList<QByteArray>());
    QCOMPARE(c.acksAwaited(), 0);
    QCOMPARE(c.received("41"), QList<QByteArray>());
    QCOMPARE(c.state(), Client::State::Disconnected);
}

void tst_SocketIoClient::namespaceWithAuth()
{
    Client c({ "/admin", R"({"token":"secret"})", true });
    QCOMPARE(c.received(open), QList<QByteArray>({ R"(40/admin,{"token":"secret"})" }));
    QCOMPARE(c.emitEvent(QStringLiteral("kick"), "7", true), QList<QByteArray>());
    QCOMPARE(c.received(R"(40{"sid":"main"})"), QList<QByteArray>()); // the main namespace: not ours
    QCOMPARE(c.state(), Client::State::Joining);
    QCOMPARE(c.received(R"(40/admin,{"sid":"a-1"})"), QList<QByteArray>({ R"(42/admin,0["kick",7])" }));
    QCOMPARE(c.received(R"(43/admin,0["done"])"), QList<QByteArray>());
    QCOMPARE(c.acksAwaited(), 0);
}

void tst_SocketIoClient::refused()
{
    Client c({ "/admin", R"({"token":"wrong"})", true });
    c.received(open);
    c.emitEvent(QStringLiteral("kick"), "7", true);
    QCOMPARE(c.received(R"(44/admin,{"message":"unauthorized"})"), QList<QByteArray>());
    QCOMPARE(c.state(), Client::State::Refused);
    QCOMPARE(c.refusal(), QStringLiteral("unauthorized"));
    QCOMPARE(c.acksAwaited(), 0);
}

void tst_SocketIoClient::silentClient()
{
    Client c({ "/", {}, false });
    QCOMPARE(c.received(open), QList<QByteArray>({ "40" }));
    QCOMPARE(c.received("2"), QList<QByteArray>());
    QCOMPARE(c.pingsAnswered(), 0);
}

void tst_SocketIoClient::eventPackets_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<qint64>("ack");
    QTest::addColumn<QByteArray>("packet");
    QTest::addRow("plain") << QByteArray("/") << "chat message" << QByteArray("\"hi\"") << -1LL << QByteArray(R"(42["chat message","hi"])");
    QTest::addRow("no argument") << QByteArray("/") << "typing" << QByteArray() << -1LL << QByteArray(R"(42["typing"])");
    QTest::addRow("ack, namespace") << QByteArray("/chat") << "x" << QByteArray("[1, 2]") << 12LL << QByteArray(R"(42/chat,12["x",[1,2]])");
    QTest::addRow("name escaped") << QByteArray("/") << "a\"b\n" << QByteArray("null") << -1LL << QByteArray(R"(42["a\"b\n",null])");
}

void tst_SocketIoClient::eventPackets()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QString, event);
    QFETCH(QByteArray, argument);
    QFETCH(qint64, ack);
    QFETCH(QByteArray, packet);
    QCOMPARE(Client::eventPacket(nsp, event, argument, ack < 0 ? std::nullopt : std::optional<quint64>(quint64(ack))), packet);
}

void tst_SocketIoClient::emitProblems()
{
    QVERIFY(Client::emitProblem(QStringLiteral("x"), "{\"a\":1}").isEmpty());
    QVERIFY(Client::emitProblem(QStringLiteral("x"), {}).isEmpty());
    QCOMPARE(Client::emitProblem(QString(), "1"), QStringLiteral("the event name is empty"));
    QVERIFY2(Client::emitProblem(QStringLiteral("chat"), "{a:1}").startsWith(QStringLiteral("the argument of chat is not JSON: JSON error at position 2")),
             qPrintable(Client::emitProblem(QStringLiteral("chat"), "{a:1}")));
}

void tst_SocketIoClient::emitArrays()
{
    // The composer's Socket.IO mode: the packet's array as typed, compacted.
    Client c({ "/chat", {}, true });
    c.received(open);
    c.received(R"(40/chat,{"sid":"s"})");
    QCOMPARE(c.emitArray(R"([ "chat message", { "a" : 1 } ])", true), QList<QByteArray>({ R"(42/chat,0["chat message",{"a":1}])" }));
    QCOMPARE(c.emitArray(R"(["typing"])", false), QList<QByteArray>({ R"(42/chat,["typing"])" }));
    QCOMPARE(c.acksAwaited(), 1);
    QVERIFY(Client::arrayProblem(R"(["x",1])").isEmpty());
    QCOMPARE(Client::arrayProblem("[1]"), QStringLiteral("a Socket.IO event is a JSON array led by the event's name, like [\"chat message\", \"hi\"]"));
    QCOMPARE(Client::arrayProblem("{}"), Client::arrayProblem("[]"));
    QVERIFY(Client::arrayProblem("[\"x\"").startsWith(QStringLiteral("JSON error")));
}

void tst_SocketIoClient::ignoresWhatIsNotForIt()
{
    Client c;
    QCOMPARE(c.received("garbage"), QList<QByteArray>());
    QCOMPARE(c.received("4x"), QList<QByteArray>());
    QCOMPARE(c.received(R"(42["news",1])"), QList<QByteArray>());
    QCOMPARE(c.state(), Client::State::WaitingForOpen);
    c.received(open);
    QCOMPARE(c.received(open), QList<QByteArray>()); // a second open does not connect twice
    QCOMPARE(c.received("1"), QList<QByteArray>());
    QCOMPARE(c.state(), Client::State::Disconnected);
}

QTEST_GUILESS_MAIN(tst_SocketIoClient)
#include "tst_socketioclient.moc"
