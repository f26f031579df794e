// permessage-deflate against independent servers: Debian's node-ws (its perMessageDeflate in four
// settings) and python3-websockets (its default compression, and a factory without context
// takeover). Every row checks what crossed the wire (RSV1, compressed bytes) and what it means
// (the inflated message), in both directions.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "peerprocess.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <memory>

namespace {

struct Peer {
    const char *name;
    PeerProcess::Runtime runtime;
    const char *script;
    QStringList args;
    // What the handshake must agree on: server nct, client nct, server bits, client bits.
    QList<int> agreed;
};

// node-ws compresses only messages of at least `threshold` bytes (1024 by default): 0 makes it
// compress every message, so that every row sees compressed frames both ways.
const QList<Peer> &peers()
{
    static const QList<Peer> list = {
        { "node default", PeerProcess::Runtime::Node, "interop/peers/node_server.js",
            { QStringLiteral("--deflate"), QStringLiteral("{\"threshold\":0}") }, { 0, 0, 15, 15 } },
        { "node serverNoContextTakeover", PeerProcess::Runtime::Node, "interop/peers/node_server.js",
            { QStringLiteral("--deflate"), QStringLiteral("{\"threshold\":0,\"serverNoContextTakeover\":true}") },
            { 1, 0, 15, 15 } },
        { "node clientNoContextTakeover", PeerProcess::Runtime::Node, "interop/peers/node_server.js",
            { QStringLiteral("--deflate"), QStringLiteral("{\"threshold\":0,\"clientNoContextTakeover\":true}") },
            { 0, 1, 15, 15 } },
        { "node serverMaxWindowBits 10", PeerProcess::Runtime::Node, "interop/peers/node_server.js",
            { QStringLiteral("--deflate"), QStringLiteral("{\"threshold\":0,\"serverMaxWindowBits\":10}") },
            { 0, 0, 10, 15 } },
        // python-websockets' own default: 4 KiB windows both ways.
        { "python default", PeerProcess::Runtime::Python, "interop/peers/py_server.py", {}, { 0, 0, 12, 12 } },
        { "python no context takeover", PeerProcess::Runtime::Python, "interop/peers/py_server.py",
            { QStringLiteral("--no-context-takeover") }, { 1, 1, 15, 15 } },
    };
    return list;
}

// Text that compresses like real traffic, with multi-byte UTF-8 throughout.
QByteArray sampleText(qsizetype size, int seed)
{
    static const char *words[] = { "frame ", "κόσμε ", "mask ", "ping ", "€ ", "{\"id\":", "42}, ", "日本 " };
    QByteArray out;
    out.reserve(size + 16);
    for (int i = seed; out.size() < size; ++i)
        out += words[(i * 7 + i / 3) % 8];
    // Cut at a character boundary so the text stays valid UTF-8.
    qsizetype cut = size;
    while (cut > 0 && (uchar(out[cut]) & 0xC0) == 0x80)
        --cut;
    out.truncate(cut);
    return out;
}

struct Session {
    std::unique_ptr<Capture> capture = std::make_unique<Capture>();
    std::unique_ptr<ClientConnection> client;
};

} // namespace

class tst_DeflateInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void agreement_data();
    void agreement();
    void echo_data();
    void echo();
    void clientFragmentsCompressedMessage_data();
    void clientFragmentsCompressedMessage();
    void serverFragmentsUnicode_data();
    void serverFragmentsUnicode();
    void thousandMessagesSharingTheWindow_data();
    void thousandMessagesSharingTheWindow();
    void uncompressedMessageOnACompressedConnection_data();
    void uncompressedMessageOnACompressedConnection();
    void serverAnswersDataThatDoesNotInflate_data();
    void serverAnswersDataThatDoesNotInflate();

private:
    std::unique_ptr<Session> connect(int peer, qsizetype fragmentSize = 0);
    static void addPeerRows();
    static QString rowPath();

    std::vector<std::unique_ptr<PeerProcess>> m_servers;
    QList<quint16> m_ports;
};

void tst_DeflateInterop::initTestCase()
{
    for (const Peer &peer : peers()) {
        auto process = std::make_unique<PeerProcess>();
        QVERIFY2(process->start(peer.runtime, QString::fromLatin1(peer.script), peer.args), peer.name);
        m_ports << process->waitForPort();
        QVERIFY2(m_ports.last() != 0, peer.name);
        m_servers.push_back(std::move(process));
    }
}

void tst_DeflateInterop::addPeerRows()
{
    QTest::addColumn<int>("peer");
}

QString tst_DeflateInterop::rowPath()
{
    QString tag = QString::fromUtf8(QTest::currentTestFunction()) + QLatin1Char('-')
        + QString::fromUtf8(QTest::currentDataTag());
    tag.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9-]")), QStringLiteral("_"));
    return QLatin1Char('/') + tag;
}

std::unique_ptr<Session> tst_DeflateInterop::connect(int peer, qsizetype fragmentSize)
{
    auto session = std::make_unique<Session>();
    session->client = std::make_unique<ClientConnection>(1);
    session->client->addSink(session->capture.get());
    ConnectionOptions options; // the default offer: "permessage-deflate; client_max_window_bits"
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_ports[peer]).arg(rowPath()));
    options.fragmentSize = fragmentSize;
    QSignalSpy opened(session->client.get(), &ClientConnection::opened);
    if (!session->client->open(options) || !opened.wait(10'000))
        return nullptr;
    return session;
}

void tst_DeflateInterop::agreement_data()
{
    addPeerRows();
    for (int i = 0; i < peers().size(); ++i)
        QTest::addRow("%s", peers()[i].name) << i;
}

void tst_DeflateInterop::agreement()
{
    QFETCH(int, peer);
    auto s = connect(peer);
    QVERIFY(s);
    const auto &agreed = s->client->deflate();
    QVERIFY2(agreed.has_value(), s->client->selectedExtensions().constData());
    QCOMPARE(QList<int>({ int(agreed->serverNoContextTakeover), int(agreed->clientNoContextTakeover),
                 agreed->serverMaxWindowBits, agreed->clientMaxWindowBits }),
        peers()[peer].agreed);
    const QByteArray request = eventsOfKind(*s->capture, EventKind::HandshakeRequest).first().payload.toByteArray();
    QVERIFY(request.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
}

void tst_DeflateInterop::echo_data()
{
    addPeerRows();
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("text");
    for (int i = 0; i < peers().size(); ++i) {
        for (const qsizetype size : { 0, 1, 125, 126, 4000, 65536, 1 << 20 })
            QTest::addRow("%s: text %lld", peers()[i].name, qlonglong(size)) << i << sampleText(size, i) << true;
        QByteArray binary(300'000, Qt::Uninitialized);
        for (qsizetype b = 0; b < binary.size(); ++b)
            binary[b] = char((b * 31) ^ (b >> 7));
        QTest::addRow("%s: binary 300000", peers()[i].name) << i << binary << false;
    }
}

// Sent compressed, echoed compressed: RSV1 on each first frame, wire bytes that are not the message,
// and the inflated message equal to what was sent.
void tst_DeflateInterop::echo()
{
    QFETCH(int, peer);
    QFETCH(QByteArray, message);
    QFETCH(bool, text);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy received(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(text ? s->client->sendText(message) : s->client->sendBinary(message));
    QVERIFY(received.wait(20'000));
    QCOMPARE(received.first().at(1).toByteArray(), message);

    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].frame.rsv, quint8(Rsv::Rsv1));
    QVERIFY(out[0].compressed && out[0].hasInflated);
    QCOMPARE(out[0].inflated.toByteArray(), message);

    const auto in = framesOf(*s->capture, Direction::Incoming);
    QVERIFY(!in.isEmpty());
    QCOMPARE(in.first().frame.rsv, quint8(Rsv::Rsv1));
    QVERIFY(in.last().hasInflated);
    QCOMPARE(in.last().inflated.toByteArray(), message);
    if (text && message.size() > 1000) // text compresses, whatever the window
        QVERIFY(in.first().payload.size() < message.size());
    QCOMPARE(eventsOfKind(*s->capture, EventKind::Violation).size(), 0);
}

void tst_DeflateInterop::clientFragmentsCompressedMessage_data()
{
    agreement_data();
}

// RFC 7692 §6: compressed first, then split; RSV1 on the first fragment only.
void tst_DeflateInterop::clientFragmentsCompressedMessage()
{
    QFETCH(int, peer);
    auto s = connect(peer, 100);
    QVERIFY(s);
    const QByteArray message = sampleText(50'000, 3);
    QSignalSpy received(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(s->client->sendText(message));
    QVERIFY(received.wait(20'000));
    QCOMPARE(received.first().at(1).toByteArray(), message);
    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QVERIFY(out.size() > 2);
    QCOMPARE(out.first().frame.rsv, quint8(Rsv::Rsv1));
    QCOMPARE(out.first().frame.opcode, quint8(Opcode::Text));
    for (qsizetype i = 1; i < out.size(); ++i) {
        QCOMPARE(out[i].frame.rsv, quint8(0));
        QCOMPARE(out[i].frame.opcode, quint8(Opcode::Continuation));
        QVERIFY(out[i].compressed);
    }
    QCOMPARE(out.last().inflated.toByteArray(), message);
    // The capture joins the message: wire bytes as sent, payload inflated.
    qsizetype lastOut = -1;
    for (qsizetype i = 0; i < s->capture->count(); ++i) {
        const WireEvent e = s->capture->event(i);
        if (e.kind == EventKind::Frame && e.direction == Direction::Outgoing)
            lastOut = i;
    }
    const Capture::Message joined = s->capture->message(lastOut);
    QVERIFY(joined.compressed && joined.inflated && joined.complete);
    QCOMPARE(joined.frames, int(out.size()));
    QCOMPARE(joined.payload, message);
    QVERIFY(joined.wire.size() < message.size());
}

void tst_DeflateInterop::serverFragmentsUnicode_data()
{
    agreement_data();
}

// The server fragments a compressed message; characters are split across fragments (before
// compression), so only the inflated whole is valid UTF-8.
void tst_DeflateInterop::serverFragmentsUnicode()
{
    QFETCH(int, peer);
    auto s = connect(peer);
    QVERIFY(s);
    const QByteArray text = QByteArray("κόσμε € 日本 ").repeated(40);
    QSignalSpy received(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(s->client->sendText("cmd:fragment:7:" + text));
    QVERIFY(received.wait(20'000));
    QCOMPARE(received.last().at(1).toByteArray(), text);
    const auto in = framesOf(*s->capture, Direction::Incoming);
    QVERIFY(in.size() > 1);
    QVERIFY(in.first().frame.rsv & Rsv::Rsv1);
    QVERIFY(in.last().hasInflated);
    QCOMPARE(in.last().inflated.toByteArray(), text);
    QCOMPARE(eventsOfKind(*s->capture, EventKind::Violation).size(), 0);
}

void tst_DeflateInterop::thousandMessagesSharingTheWindow_data()
{
    agreement_data();
}

// With context takeover each message refers back into the ones before: a window out of step on
// either side would corrupt a later message.
void tst_DeflateInterop::thousandMessagesSharingTheWindow()
{
    QFETCH(int, peer);
    auto s = connect(peer);
    QVERIFY(s);
    QList<QByteArray> sent;
    for (int i = 0; i < 1000; ++i)
        sent << "{\"seq\":" + QByteArray::number(i) + ",\"text\":\"" + sampleText(40 + i % 200, i) + "\"}";
    QSignalSpy received(s->client.get(), &ClientConnection::messageReceived);
    for (const QByteArray &m : std::as_const(sent))
        QVERIFY(s->client->sendText(m));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1000, 30'000);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(received[i].at(1).toByteArray(), sent[i]);
    QCOMPARE(eventsOfKind(*s->capture, EventKind::Violation).size(), 0);
    const auto in = framesOf(*s->capture, Direction::Incoming);
    QCOMPARE(in.size(), 1000);
    for (const WireEvent &e : in)
        QVERIFY(e.compressed && e.hasInflated);
}

void tst_DeflateInterop::uncompressedMessageOnACompressedConnection_data()
{
    agreement_data();
}

// A sender may leave any message uncompressed (RSV1 clear); the peer must take it as it is.
void tst_DeflateInterop::uncompressedMessageOnACompressedConnection()
{
    QFETCH(int, peer);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy received(s->client.get(), &ClientConnection::messageReceived);
    QVERIFY(s->client->sendText("compressed one", ClientConnection::Compression::AsNegotiated));
    QVERIFY(s->client->sendText("plain one", ClientConnection::Compression::Uncompressed));
    QVERIFY(s->client->sendText("compressed two", ClientConnection::Compression::AsNegotiated));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 3, 10'000);
    QCOMPARE(received[1].at(1).toByteArray(), QByteArray("plain one"));
    QCOMPARE(received[2].at(1).toByteArray(), QByteArray("compressed two"));
    const auto out = framesOf(*s->capture, Direction::Outgoing);
    QCOMPARE(out.size(), 3);
    QCOMPARE(out[1].frame.rsv, quint8(0));
    QVERIFY(!out[1].compressed);
    QCOMPARE(out[1].payload.toByteArray(), QByteArray("plain one"));
}

void tst_DeflateInterop::serverAnswersDataThatDoesNotInflate_data()
{
    addPeerRows();
    QTest::addColumn<int>("expectedCode");
    // What strict peers answer to a compressed message that does not inflate: node-ws fails the
    // connection with 1007 (invalid payload data), python-websockets with 1002 (protocol error).
    // This client answers 1007, as node-ws does.
    QTest::addRow("node default") << 0 << 1007;
    QTest::addRow("python default") << 4 << 1002;
}

void tst_DeflateInterop::serverAnswersDataThatDoesNotInflate()
{
    QFETCH(int, peer);
    QFETCH(int, expectedCode);
    auto s = connect(peer);
    QVERIFY(s);
    QSignalSpy closed(s->client.get(), &ClientConnection::closed);
    FrameSpec spec;
    spec.rsv = Rsv::Rsv1;
    spec.payload = QByteArray::fromHex("ff00ff00"); // a reserved block type: not DEFLATE
    QVERIFY(s->client->sendFrame(spec));
    QVERIFY(closed.wait(10'000));
    QCOMPARE(int(s->client->closeCode()), expectedCode);
}

QTEST_GUILESS_MAIN(tst_DeflateInterop)
#include "tst_deflateinterop.moc"
