// Our client engine against independent servers: Debian's node-ws and python3-websockets.
// Each row runs against both peers; the servers' command protocol is described in peers/node_server.js.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "peerprocess.h"
#include "protocol/closecodes.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <memory>

namespace {
struct Session {
    std::unique_ptr<Capture> capture = std::make_unique<Capture>();
    std::unique_ptr<ClientConnection> client;
};

QByteArray pattern(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char(i & 0xFF);
    return bytes;
}

} // namespace

class tst_ClientInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void echo_data();
    void echo();
    void serverFragments_data();
    void serverFragments();
    void clientFragments_data();
    void clientFragments();
    void serverPingGetsAutoPong_data();
    void serverPingGetsAutoPong();
    void clientPing_data();
    void clientPing();
    void clientCloses_data();
    void clientCloses();
    void serverCloses_data();
    void serverCloses();

private:
    std::unique_ptr<Session> connect(int peer, qsizetype fragmentSize = 0);
    // The close the server printed for this row's connection (each row connects with its own path;
    // earlier rows' connections print their own records too).
    QJsonObject serverCloseRecord(int peer);
    static QString rowPath();

    PeerProcess m_node;
    PeerProcess m_python;
    quint16 m_ports[2] = { 0, 0 };
};

void tst_ClientInterop::initTestCase()
{
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("interop/peers/node_server.js")));
    QVERIFY(m_python.start(PeerProcess::Runtime::Python, QStringLiteral("interop/peers/py_server.py")));
    m_ports[0] = m_node.waitForPort();
    m_ports[1] = m_python.waitForPort();
    QVERIFY(m_ports[0] != 0);
    QVERIFY(m_ports[1] != 0);
}

std::unique_ptr<Session> tst_ClientInterop::connect(int peer, qsizetype fragmentSize)
{
    auto session = std::make_unique<Session>();
    session->client = std::make_unique<ClientConnection>(1);
    session->client->addSink(session->capture.get());
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_ports[peer]).arg(rowPath()));
    options.fragmentSize = fragmentSize;
    // These rows check uncompressed frames byte for byte (python's server accepts permessage-deflate
    // by default); tst_deflateinterop covers compression.
    options.deflate.reset();
    QSignalSpy opened(session->client.get(), &ClientConnection::opened);
    if (!session->client->open(options) || !opened.wait(10'000))
        return nullptr;
    return session;
}

QString tst_ClientInterop::rowPath()
{
    QString tag = QString::fromUtf8(QTest::currentTestFunction()) + QLatin1Char('-')
        + QString::fromUtf8(QTest::currentDataTag());
    tag.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9-]")), QStringLiteral("_"));
    return QLatin1Char('/') + tag;
}

QJsonObject tst_ClientInterop::serverCloseRecord(int peer)
{
    PeerProcess &server = peer == 0 ? m_node : m_python;
    for (int i = 0; i < 100; ++i) {
        const QJsonObject record = server.waitForJson(10'000);
        if (record.isEmpty() || record.value(QStringLiteral("path")).toString() == rowPath())
            return record;
    }
    return {};
}

static void addPeerColumn()
{
    QTest::addColumn<int>("peer");
}

void tst_ClientInterop::echo_data()
{
    addPeerColumn();
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expectedHeader");
    for (int peer = 0; peer < 2; ++peer) {
        const char *name = peer == 0 ? "node" : "python";
        QTest::addRow("%s: text", name) << peer << int(Opcode::Text) << QByteArray("Hello") << QByteArray::fromHex("8105");
        QTest::addRow("%s: empty text", name) << peer << int(Opcode::Text) << QByteArray() << QByteArray::fromHex("8100");
        QTest::addRow("%s: utf-8 text", name) << peer << int(Opcode::Text) << QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5")
                                   << QByteArray::fromHex("810b");
        QTest::addRow("%s: empty binary", name) << peer << int(Opcode::Binary) << QByteArray() << QByteArray::fromHex("8200");
        QTest::addRow("%s: binary 125", name) << peer << int(Opcode::Binary) << pattern(125) << QByteArray::fromHex("827d");
        QTest::addRow("%s: binary 126", name) << peer << int(Opcode::Binary) << pattern(126) << QByteArray::fromHex("827e007e");
        QTest::addRow("%s: binary 65535", name) << peer << int(Opcode::Binary) << pattern(65535) << QByteArray::fromHex("827effff");
        QTest::addRow("%s: binary 65536", name) << peer << int(Opcode::Binary) << pattern(65536)
                                   << QByteArray::fromHex("827f0000000000010000");
    }
}

void tst_ClientInterop::echo()
{
    QFETCH(int, peer);
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expectedHeader);

    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy messages(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(opcode == Opcode::Text ? s->client->sendText(payload) : s->client->sendBinary(payload));
    QVERIFY(messages.wait(10'000));
    QCOMPARE(messages.first().at(0).value<quint8>(), quint8(opcode));
    QCOMPARE(messages.first().at(1).toByteArray(), payload);

    // What we sent: masked, minimal length form, the payload recorded unmasked.
    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.size(), 1);
    QVERIFY(out[0].frame.masked);
    QCOMPARE(quint8(out[0].header[0]), quint8(0x80 | opcode));
    QCOMPARE(quint8(out[0].header[1]) & 0x80, 0x80);
    QCOMPARE(out[0].payload.toByteArray(), payload);

    // What came back: unmasked, header byte-exact.
    const auto in = framesOf(*s->capture, Direction::Incoming);
    QCOMPARE(in.size(), 1);
    QCOMPARE(in[0].header.toByteArray(), expectedHeader);
    QCOMPARE(in[0].payload.toByteArray(), payload);
    QCOMPARE(eventsOfKind(*s->capture, EventKind::Violation).size(), 0);
}

void tst_ClientInterop::serverFragments_data()
{
    addPeerColumn();
    QTest::addColumn<int>("fragmentSize");
    QTest::addColumn<QByteArray>("text");
    for (int peer = 0; peer < 2; ++peer) {
        const char *name = peer == 0 ? "node" : "python";
        QTest::addRow("%s: 3-byte fragments", name) << peer << 3 << QByteArray("Hello, world");
        QTest::addRow("%s: 1-byte fragments", name) << peer << 1 << QByteArray("abcd");
    }
    // Only node can put bytes that split a code point into text frames.
    QTest::addRow("node: code points split across fragments")
        << 0 << 1 << QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf0\x9f\x98\x80");
}

void tst_ClientInterop::serverFragments()
{
    QFETCH(int, peer);
    QFETCH(int, fragmentSize);
    QFETCH(QByteArray, text);

    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy messages(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(s->client->sendText("cmd:fragment:" + QByteArray::number(fragmentSize) + ':' + text));
    QVERIFY(messages.wait(10'000));
    QCOMPARE(messages.first().at(1).toByteArray(), text);

    const auto in = framesOf(*s->capture, Direction::Incoming);
    const int chunks = int((text.size() + fragmentSize - 1) / fragmentSize);
    // python-websockets sends an iterable's fragments as it iterates, so it ends the message with an
    // empty FIN continuation; node knows the last fragment and sets FIN on it.
    const int expectedFrames = peer == 1 ? chunks + 1 : chunks;
    QCOMPARE(in.size(), expectedFrames);
    for (int i = 0; i < in.size(); ++i) {
        QCOMPARE(in[i].frame.opcode, quint8(i == 0 ? Opcode::Text : Opcode::Continuation));
        QCOMPARE(in[i].frame.fin, i == in.size() - 1);
        QCOMPARE(in[i].payload.toByteArray(), text.mid(i * fragmentSize, i < chunks ? fragmentSize : 0));
    }
    QCOMPARE(eventsOfKind(*s->capture, EventKind::Violation).size(), 0);
}

void tst_ClientInterop::clientFragments_data()
{
    addPeerColumn();
    QTest::newRow("node") << 0;
    QTest::newRow("python") << 1;
}

void tst_ClientInterop::clientFragments()
{
    QFETCH(int, peer);
    auto s = connect(peer, 4);
    QVERIFY(s);
    QSignalSpy messages(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(s->client->sendText("abcdefghij"));
    QVERIFY(messages.wait(10'000));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("abcdefghij"));

    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.size(), 3);
    QCOMPARE(out[0].frame.opcode, quint8(Opcode::Text));
    QCOMPARE(out[0].frame.fin, false);
    QCOMPARE(out[1].frame.opcode, quint8(Opcode::Continuation));
    QCOMPARE(out[1].frame.fin, false);
    QCOMPARE(out[2].frame.opcode, quint8(Opcode::Continuation));
    QCOMPARE(out[2].frame.fin, true);
    QCOMPARE(out[0].payload.toByteArray(), QByteArray("abcd"));
    QCOMPARE(out[2].payload.toByteArray(), QByteArray("ij"));
}

void tst_ClientInterop::serverPingGetsAutoPong_data()
{
    clientFragments_data();
}

void tst_ClientInterop::serverPingGetsAutoPong()
{
    QFETCH(int, peer);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy pings(s->client.get(), &ClientConnection::pingReceived);
    QSignalSpy messages(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(s->client->sendText("cmd:ping:are you there?"));
    // The server reports the pong it got back as a text message.
    QVERIFY(messages.wait(10'000));
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings.first().at(0).toByteArray(), QByteArray("are you there?"));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("pong:are you there?"));

    const auto in = framesOf(*s->capture, Direction::Incoming);
    QCOMPARE(in.first().frame.opcode, quint8(Opcode::Ping));
    QCOMPARE(in.first().header.toByteArray(), QByteArray::fromHex("890e"));
    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.size(), 2); // the command, then the automatic pong
    QCOMPARE(out[1].frame.opcode, quint8(Opcode::Pong));
    QVERIFY(out[1].frame.masked);
    QCOMPARE(out[1].payload.toByteArray(), QByteArray("are you there?"));
}

void tst_ClientInterop::clientPing_data()
{
    clientFragments_data();
}

void tst_ClientInterop::clientPing()
{
    QFETCH(int, peer);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy pongs(s->client.get(), &ClientConnection::pongReceived);
    QVERIFY(s->client->ping(pattern(125)));
    QVERIFY(pongs.wait(10'000));
    QCOMPARE(pongs.first().at(0).toByteArray(), pattern(125));
    const auto in = framesOf(*s->capture, Direction::Incoming);
    QCOMPARE(in.size(), 1);
    QCOMPARE(in[0].header.toByteArray(), QByteArray::fromHex("8a7d"));
}

void tst_ClientInterop::clientCloses_data()
{
    addPeerColumn();
    QTest::addColumn<int>("code");
    for (int peer = 0; peer < 2; ++peer)
        for (int code : { 1000, 1001, 1012, 4000 })
            QTest::addRow("%s: %d", peer == 0 ? "node" : "python", code) << peer << code;
}

void tst_ClientInterop::clientCloses()
{
    QFETCH(int, peer);
    QFETCH(int, code);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy closed(s->client.get(), &ClientConnection::closed);
    const QByteArray reason = "done-" + QByteArray(QTest::currentDataTag()).replace(" ", "");
    QVERIFY(s->client->close(quint16(code), reason));
    QCOMPARE(s->client->readyState(), ReadyState::Closing);
    QVERIFY(closed.wait(10'000));
    QCOMPARE(closed.first().at(0).value<quint16>(), quint16(code)); // the server echoes the code
    QCOMPARE(closed.first().at(2).toBool(), true);
    QCOMPARE(s->client->readyState(), ReadyState::Closed);

    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.last().frame.opcode, quint8(Opcode::Close));
    QCOMPARE(out.last().payload.toByteArray(), FrameWriter::closePayload(quint16(code), reason));
    const auto in = framesOf(*s->capture, Direction::Incoming);
    QCOMPARE(in.last().frame.opcode, quint8(Opcode::Close));

    // The server saw our code and reason.
    const QJsonObject seen = serverCloseRecord(peer);
    QCOMPARE(seen.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(seen.value(QStringLiteral("code")).toInt(), code);
    QCOMPARE(seen.value(QStringLiteral("reason")).toString(), QString::fromUtf8(reason));
}

void tst_ClientInterop::serverCloses_data()
{
    clientCloses_data();
}

void tst_ClientInterop::serverCloses()
{
    QFETCH(int, peer);
    QFETCH(int, code);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy closed(s->client.get(), &ClientConnection::closed);
    const QByteArray reason = "bye-" + QByteArray(QTest::currentDataTag()).replace(" ", "");
    QVERIFY(s->client->sendText("cmd:close:" + QByteArray::number(code) + ':' + reason));
    QVERIFY(closed.wait(10'000));
    QCOMPARE(closed.first().at(0).value<quint16>(), quint16(code));
    QCOMPARE(closed.first().at(1).toString(), QString::fromUtf8(reason));
    QCOMPARE(closed.first().at(2).toBool(), true);

    // We answered the server's close by echoing its code.
    const auto in = framesOf(*s->capture, Direction::Incoming);
    QCOMPARE(in.last().frame.opcode, quint8(Opcode::Close));
    QCOMPARE(in.last().payload.toByteArray(), FrameWriter::closePayload(quint16(code), reason));
    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.last().frame.opcode, quint8(Opcode::Close));
    QCOMPARE(out.last().payload.toByteArray(), FrameWriter::closePayload(quint16(code), {}));

    const WireEvent last = s->capture->event(s->capture->count() - 1);
    QCOMPARE(last.kind, EventKind::StateChange);
    QCOMPARE(last.state, ReadyState::Closed);
    QVERIFY2(last.text().contains(QStringLiteral("server closed first")), qPrintable(last.text()));
    // ...and the server saw its own code come back.
    QCOMPARE(serverCloseRecord(peer).value(QStringLiteral("code")).toInt(), code);
}

QTEST_GUILESS_MAIN(tst_ClientInterop)
#include "tst_clientinterop.moc"
