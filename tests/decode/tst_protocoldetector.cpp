// Which protocol a connection speaks: from the agreed subprotocol, the URL, or its first messages,
// and what is left alone.

#include "decode/protocoldetector.h"

#include <QTest>

using namespace Decode;

Q_DECLARE_METATYPE(Decode::Protocol)
Q_DECLARE_METATYPE(Decode::Sender)

class tst_ProtocolDetector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handshake_data();
    void handshake();
    void content_data();
    void content();
    void search();
};

void tst_ProtocolDetector::handshake_data()
{
    QTest::addColumn<QByteArray>("subprotocol");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<Protocol>("protocol");
    QTest::addColumn<QString>("reason");
    const QByteArray root("/");
    QTest::addRow("stomp") << QByteArray("stomp") << root << Protocol::Stomp << "the subprotocol stomp";
    QTest::addRow("v10.stomp") << QByteArray("v10.stomp") << root << Protocol::Stomp << "the subprotocol v10.stomp";
    QTest::addRow("v11.stomp") << QByteArray("v11.stomp") << root << Protocol::Stomp << "the subprotocol v11.stomp";
    QTest::addRow("v12.stomp") << QByteArray("V12.STOMP") << root << Protocol::Stomp << "the subprotocol V12.STOMP";
    QTest::addRow("mqtt") << QByteArray("mqtt") << QByteArray("/mqtt") << Protocol::Mqtt << "the subprotocol mqtt";
    QTest::addRow("mqttv3.1") << QByteArray("mqttv3.1") << root << Protocol::Mqtt << "the subprotocol mqttv3.1";
    QTest::addRow("graphql-transport-ws") << QByteArray("graphql-transport-ws") << QByteArray("/graphql") << Protocol::GraphQlTransportWs
                                          << "the subprotocol graphql-transport-ws";
    QTest::addRow("graphql-ws") << QByteArray("graphql-ws") << QByteArray("/graphql") << Protocol::GraphQlWs << "the subprotocol graphql-ws";
    QTest::addRow("wamp") << QByteArray("wamp.2.json") << root << Protocol::Wamp << "the subprotocol wamp.2.json";
    QTest::addRow("the subprotocol wins over the URL") << QByteArray("v12.stomp") << QByteArray("/socket.io/?EIO=4") << Protocol::Stomp
                                                       << "the subprotocol v12.stomp";
    QTest::addRow("socket.io path") << QByteArray() << QByteArray("/socket.io/?EIO=4&transport=websocket") << Protocol::SocketIo
                                    << "the URL /socket.io/?EIO=4&transport=websocket";
    QTest::addRow("EIO elsewhere") << QByteArray() << QByteArray("/realtime/?transport=websocket&EIO=4") << Protocol::SocketIo
                                   << "the URL /realtime/?transport=websocket&EIO=4";
    QTest::addRow("EIO 3") << QByteArray() << QByteArray("/io/?EIO=3&transport=websocket") << Protocol::SocketIo
                           << "the URL /io/?EIO=3&transport=websocket";
    QTest::addRow("EIO 5 is not one") << QByteArray() << QByteArray("/io/?EIO=5") << Protocol::None << "";
    QTest::addRow("sockjs") << QByteArray() << QByteArray("/stomp/123/abcdef12/websocket") << Protocol::SockJs
                            << "the URL /stomp/123/abcdef12/websocket";
    QTest::addRow("sockjs raw websocket is plain") << QByteArray() << QByteArray("/stomp/websocket") << Protocol::None << "";
    QTest::addRow("unknown subprotocol") << QByteArray("chat") << QByteArray("/chat") << Protocol::None << "";
    QTest::addRow("nothing") << QByteArray() << QByteArray("/") << Protocol::None << "";
    QTest::addRow("peer text in the reason") << QByteArray() << QByteArray("/socket.io/?EIO=4&x=\x1b[31m") << Protocol::SocketIo
                                             << "the URL /socket.io/?EIO=4&x=\\x1b[31m";
}

void tst_ProtocolDetector::handshake()
{
    QFETCH(QByteArray, subprotocol);
    QFETCH(QByteArray, target);
    QFETCH(Protocol, protocol);
    QFETCH(QString, reason);
    const auto found = ProtocolDetector::fromHandshake(subprotocol, target);
    QCOMPARE(found.protocol, protocol);
    QCOMPARE(found.reason, reason);
}

void tst_ProtocolDetector::content_data()
{
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<Protocol>("protocol");
    const auto C = Sender::Client;
    const auto S = Sender::Server;
    QTest::addRow("engine.io open") << S << false
                                    << QByteArray(R"(0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000})") << Protocol::SocketIo;
    QTest::addRow("sockjs open") << S << false << QByteArray("o") << Protocol::SockJs;
    QTest::addRow("a client's o is not") << C << false << QByteArray("o") << Protocol::None;
    QTest::addRow("stomp connect") << C << false << QByteArray("CONNECT\naccept-version:1.2\nhost:x\n\n\0", 36) << Protocol::Stomp;
    QTest::addRow("stomp crlf") << C << false << QByteArray("STOMP\r\nhost:x\r\n\r\n\0", 18) << Protocol::Stomp;
    QTest::addRow("CONNECTED word alone") << S << false << QByteArray("CONNECTED") << Protocol::None;
    QTest::addRow("mqtt 3.1.1 connect") << C << true << QByteArray::fromHex("101000044d5154540402003c0004746573") << Protocol::Mqtt;
    QTest::addRow("mqtt 3.1 connect") << C << true << QByteArray::fromHex("101200064d514973647003020000000474657374") << Protocol::Mqtt;
    QTest::addRow("binary not mqtt") << C << true << QByteArray::fromHex("1010000000") << Protocol::None;
    QTest::addRow("jsonrpc") << C << false << QByteArray(R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":1})") << Protocol::JsonRpc;
    QTest::addRow("jsonrpc batch") << C << false << QByteArray(R"([{"jsonrpc":"2.0","method":"a","id":1}])") << Protocol::JsonRpc;
    QTest::addRow("graphql-transport-ws subscribe") << C << false
                                                    << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"{ hello }"}})")
                                                    << Protocol::GraphQlTransportWs;
    QTest::addRow("graphql-ws start") << C << false << QByteArray(R"({"id":"1","type":"start","payload":{"query":"{ hello }"}})")
                                      << Protocol::GraphQlWs;
    QTest::addRow("a chat's subscribe") << C << false << QByteArray(R"({"type":"subscribe","channel":"news"})") << Protocol::None;
    QTest::addRow("a chat's ping") << C << false << QByteArray(R"({"type":"ping"})") << Protocol::None;
    QTest::addRow("graphql init") << C << false << QByteArray(R"({"type":"connection_init","payload":{}})") << Protocol::GraphQlTransportWs;
    QTest::addRow("wamp hello") << C << false << QByteArray(R"([1,"realm1",{"roles":{"caller":{}}}])") << Protocol::Wamp;
    QTest::addRow("wamp welcome") << S << false << QByteArray(R"([2,9129137332,{"roles":{"broker":{}}}])") << Protocol::Wamp;
    QTest::addRow("plain json") << C << false << QByteArray(R"({"type":"chat","text":"hi"})") << Protocol::None;
    QTest::addRow("plain array") << C << false << QByteArray(R"([1,2,3])") << Protocol::None;
    QTest::addRow("text") << C << false << QByteArray("hello") << Protocol::None;
    QTest::addRow("empty") << C << false << QByteArray() << Protocol::None;
}

void tst_ProtocolDetector::content()
{
    QFETCH(Sender, sender);
    QFETCH(bool, binary);
    QFETCH(QByteArray, payload);
    QFETCH(Protocol, protocol);
    QCOMPARE(ProtocolDetector::fromContent(sender, binary, payload).protocol, protocol);
}

void tst_ProtocolDetector::search()
{
    const QByteArray request = "GET /chat HTTP/1.1\r\nHost: x\r\n\r\n";
    const QByteArray stomp = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Protocol: v11.stomp\r\n\r\n";
    const QByteArray plain = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
    QCOMPARE(ProtocolDetector::fromHandshakeBytes(request, stomp).protocol, Protocol::Stomp);
    QCOMPARE(ProtocolDetector::fromHandshakeBytes("GET /socket.io/?EIO=4 HTTP/1.1\r\n\r\n", {}).protocol, Protocol::SocketIo);
    QCOMPARE(ProtocolDetector::fromHandshakeBytes("not http", "neither").protocol, Protocol::None);

    ProtocolDetector::Search fromHandshake;
    QVERIFY(fromHandshake.handshake(request, stomp));
    QVERIFY(fromHandshake.isDone());
    QVERIFY(!fromHandshake.message(Sender::Server, false, "o"));
    fromHandshake.forgetMessages();
    QCOMPARE(fromHandshake.found().protocol, Protocol::Stomp); // the handshake still says so

    ProtocolDetector::Search fromContent;
    QVERIFY(!fromContent.handshake(request, plain));
    QVERIFY(!fromContent.handshake(request, stomp)); // one handshake per conversation
    QVERIFY(!fromContent.message(Sender::Client, false, "hello"));
    QVERIFY(fromContent.message(Sender::Server, false, "o"));
    QCOMPARE(fromContent.found().protocol, Protocol::SockJs);
    fromContent.forgetMessages();
    QCOMPARE(fromContent.found().protocol, Protocol::None);

    ProtocolDetector::Search givesUp;
    for (int i = 0; i < ProtocolDetector::ContentMessages; ++i)
        QVERIFY(!givesUp.message(Sender::Client, false, "hello"));
    QVERIFY(givesUp.isDone());
    QVERIFY(!givesUp.message(Sender::Server, false, "o")); // too late
    QCOMPARE(givesUp.found().protocol, Protocol::None);
}

QTEST_GUILESS_MAIN(tst_ProtocolDetector)
#include "tst_protocoldetector.moc"
