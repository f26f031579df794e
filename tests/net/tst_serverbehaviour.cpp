// ServerBehaviour (settings, validation, log text) and what it makes the EmbeddedServer do, against
// real clients: our own engine, which records every frame's header bytes so fragment sizes, pings
// and close frames are asserted byte for byte, and independent clients (node-ws, python3-websockets)
// run as child processes from tests/net/peers/.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "net/embeddedserver.h"
#include "net/serverbehaviour.h"
#include "peerprocess.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;

using Setting = ServerBehaviour::Setting;

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// A client on our own engine with everything it sees recorded.
struct Client {
    Capture capture; // declared first: the connection records into it until destroyed
    std::unique_ptr<ClientConnection> connection;

    explicit Client(quint32 id = 1)
        : connection(std::make_unique<ClientConnection>(id))
    {
        connection->addSink(&capture);
    }

    // Starts the handshake; does not wait.
    bool start(
        const QUrl &url, const QStringList &subprotocols = {}, const QString &origin = {}, qsizetype fragmentSize = 0)
    {
        ConnectionOptions options;
        options.url = url;
        options.subprotocols = subprotocols;
        options.origin = origin;
        options.fragmentSize = fragmentSize;
        return connection->open(options);
    }
    // Opened, or refused: waits until the handshake is over either way.
    bool waitForHandshake()
    {
        return QTest::qWaitFor([this] { return connection->readyState() != ReadyState::Connecting; }, Timeout);
    }
    bool open(const QUrl &url, const QStringList &subprotocols = {}, const QString &origin = {})
    {
        return start(url, subprotocols, origin) && waitForHandshake() && connection->readyState() == ReadyState::Open;
    }
    bool waitForClosed()
    {
        return QTest::qWaitFor([this] { return connection->readyState() == ReadyState::Closed; }, Timeout);
    }
    QList<WireEvent> received() const { return framesOf(capture, Direction::Incoming); }
    QList<WireEvent> sent() const { return framesOf(capture, Direction::Outgoing); }
    QList<WireEvent> receivedData() const
    {
        QList<WireEvent> out;
        for (const WireEvent &e : received()) {
            if (!Opcode::isControl(e.frame.opcode))
                out << e;
        }
        return out;
    }
    QByteArray response() const
    {
        const auto events = eventsOfKind(capture, EventKind::HandshakeResponse);
        return events.isEmpty() ? QByteArray() : events.first().payload.toByteArray();
    }
    QByteArray request() const
    {
        const auto events = eventsOfKind(capture, EventKind::HandshakeRequest);
        return events.isEmpty() ? QByteArray() : events.first().payload.toByteArray();
    }
};

ServerBehaviour withSubprotocols(const QStringList &names)
{
    ServerBehaviour b;
    b.subprotocols = names;
    return b;
}

// An independent client run to completion; its JSON lines, in order.
struct PeerResult {
    QList<QJsonObject> events;
    QByteArray stderrText;

    QList<QJsonObject> all(const QString &event) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &o : events) {
            if (o.value(QStringLiteral("event")).toString() == event)
                out << o;
        }
        return out;
    }
    QJsonObject first(const QString &event) const { return all(event).value(0); }
    QString dump() const
    {
        QStringList lines;
        for (const QJsonObject &o : events)
            lines << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        return lines.join(QLatin1Char('\n')) + QStringLiteral("\nstderr: ") + QString::fromUtf8(stderrText);
    }
};

QString peerSkipReason(PeerProcess::Runtime runtime)
{
    if (runtime == PeerProcess::Runtime::Node && QStandardPaths::findExecutable(QStringLiteral("nodejs")).isEmpty())
        return QStringLiteral("nodejs not installed");
    if (runtime == PeerProcess::Runtime::Python && !QFile::exists(QStringLiteral("/usr/bin/python3")))
        return QStringLiteral("/usr/bin/python3 not installed");
    return {};
}

// The server runs in this thread: wait with the event loop running, never with waitForFinished().
PeerResult runPeer(PeerProcess::Runtime runtime, const QUrl &url, const QStringList &args)
{
    PeerResult result;
    PeerProcess peer;
    const QString script = runtime == PeerProcess::Runtime::Node ? QStringLiteral("net/peers/behaviour_client.js")
                                                                 : QStringLiteral("net/peers/behaviour_client.py");
    if (!peer.start(runtime, script, QStringList { url.toString() } + args))
        return result;
    QProcess &process = peer.process();
    if (process.state() != QProcess::NotRunning) {
        QSignalSpy finished(&process, &QProcess::finished);
        finished.wait(30000);
    }
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            result.events << doc.object();
    }
    result.stderrText = process.readAllStandardError();
    return result;
}

QString hexOf(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

} // namespace

Q_DECLARE_METATYPE(ServerBehaviour)
Q_DECLARE_METATYPE(PeerProcess::Runtime)

class tst_ServerBehaviour : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The value.
    void defaults();
    void problems_data();
    void problems();
    void toString_data();
    void toString();
    void selectSubprotocol_data();
    void selectSubprotocol();
    void reasonPhrase_data();
    void reasonPhrase();
    void splitList();
    void setBehaviourRefusesProblems();

    // The server, against our engine.
    void replyDelay_data();
    void replyDelay();
    void fragmentedReply_data();
    void fragmentedReply();
    void fragmentSizeChangesWhileConnected();
    void periodicPings();
    void closeAfter_data();
    void closeAfter();
    void rejectStatus_data();
    void rejectStatus();
    void subprotocols_data();
    void subprotocols();
    void subprotocolsOfConcurrentClients();
    void origin_data();
    void origin();
    void clientLimit();
    void messageSize_data();
    void messageSize();

    // The server, against independent clients.
    void peers_data();
    void peers();
};

void tst_ServerBehaviour::defaults()
{
    const ServerBehaviour b;
    QVERIFY(b.isValid());
    QCOMPARE(b.toString(), QStringLiteral("defaults"));
    QCOMPARE(b.replyDelayMs, 0);
    QCOMPARE(b.fragmentSize, qint64(0));
    QCOMPARE(b.pingIntervalMs, 0);
    QCOMPARE(b.closeAfterMessages, 0);
    QCOMPARE(b.closeCode, quint16(1000));
    QCOMPARE(b.rejectStatus, 0);
    QCOMPARE(b.maxClients, 0);
    QCOMPARE(b.maxMessageSize, quint64(EmbeddedServer::DefaultMaxMessageBytes));

    EmbeddedServer server;
    QCOMPARE(server.behaviour(), b);
}

void tst_ServerBehaviour::problems_data()
{
    QTest::addColumn<ServerBehaviour>("behaviour");
    QTest::addColumn<int>("setting"); // Setting; -1: no problem
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, auto change, int setting, const QString &message) {
        ServerBehaviour b;
        change(b);
        QTest::newRow(name) << b << setting << message;
    };
    const auto none = -1;
    row(
        "defaults", [](ServerBehaviour &) {}, none, QString());
    row(
        "delay negative", [](ServerBehaviour &b) { b.replyDelayMs = -1; }, int(Setting::ReplyDelay),
        QStringLiteral("-1 ms is negative (0: reply at once)"));
    row(
        "delay an hour", [](ServerBehaviour &b) { b.replyDelayMs = 3'600'000; }, none, QString());
    row(
        "delay over an hour", [](ServerBehaviour &b) { b.replyDelayMs = 3'600'001; }, int(Setting::ReplyDelay),
        QStringLiteral("3600001 ms is more than an hour (at most 3600000)"));
    row(
        "fragment negative", [](ServerBehaviour &b) { b.fragmentSize = -4; }, int(Setting::FragmentSize),
        QStringLiteral("-4 bytes is negative (0: do not fragment replies)"));
    row(
        "fragment 1", [](ServerBehaviour &b) { b.fragmentSize = 1; }, none, QString());
    row(
        "fragment beyond Qt", [](ServerBehaviour &b) { b.fragmentSize = 2'147'483'647; }, int(Setting::FragmentSize),
        QStringLiteral("2147483647 bytes is more than Qt's largest frame (2147483646)"));
    row(
        "ping too often", [](ServerBehaviour &b) { b.pingIntervalMs = 99; }, int(Setting::PingInterval),
        QStringLiteral("every 99 ms is too often (at least 100 ms, or 0: never ping)"));
    row(
        "ping 100 ms", [](ServerBehaviour &b) { b.pingIntervalMs = 100; }, none, QString());
    row(
        "ping negative", [](ServerBehaviour &b) { b.pingIntervalMs = -5; }, int(Setting::PingInterval),
        QStringLiteral("-5 ms is negative (0: never ping)"));
    row(
        "ping over a day", [](ServerBehaviour &b) { b.pingIntervalMs = 86'400'001; }, int(Setting::PingInterval),
        QStringLiteral("86400001 ms is more than a day (at most 86400000)"));
    row(
        "close after negative", [](ServerBehaviour &b) { b.closeAfterMessages = -1; }, int(Setting::CloseAfter),
        QStringLiteral("-1 messages is negative (0: never close)"));
    row(
        "close code 1005",
        [](ServerBehaviour &b) {
            b.closeAfterMessages = 1;
            b.closeCode = 1005;
        },
        int(Setting::CloseCode),
        QStringLiteral("1005 No Status Received may not be sent in a close frame (RFC 6455 §7.4): use 1000-1003, "
                       "1007-1014 or 3000-4999"));
    row(
        "close code 1005 unused", [](ServerBehaviour &b) { b.closeCode = 1005; }, none, QString());
    row(
        "close code 4999",
        [](ServerBehaviour &b) {
            b.closeAfterMessages = 1;
            b.closeCode = 4999;
        },
        none, QString());
    row(
        "close code 1014",
        [](ServerBehaviour &b) {
            b.closeAfterMessages = 1;
            b.closeCode = 1014;
        },
        none, QString());
    row(
        "close reason 123 bytes",
        [](ServerBehaviour &b) {
            b.closeAfterMessages = 1;
            b.closeReason = QString(123, QLatin1Char('r'));
        },
        none, QString());
    row(
        "close reason 124 bytes in UTF-8",
        [](ServerBehaviour &b) {
            b.closeAfterMessages = 1;
            b.closeReason = QString(61, QChar(0xe9)) + QStringLiteral("rr"); // 61 x 2 bytes + 2
        },
        int(Setting::CloseReason), QStringLiteral("the reason is 124 bytes in UTF-8; a close frame has room for 123"));
    row(
        "reject 399", [](ServerBehaviour &b) { b.rejectStatus = 399; }, int(Setting::RejectStatus),
        QStringLiteral("399 is not a client or server error status: use 400-599 (0: accept handshakes)"));
    row(
        "reject 101", [](ServerBehaviour &b) { b.rejectStatus = 101; }, int(Setting::RejectStatus),
        QStringLiteral("101 is not a client or server error status: use 400-599 (0: accept handshakes)"));
    row(
        "reject 600", [](ServerBehaviour &b) { b.rejectStatus = 600; }, int(Setting::RejectStatus),
        QStringLiteral("600 is not a client or server error status: use 400-599 (0: accept handshakes)"));
    row(
        "reject 599", [](ServerBehaviour &b) { b.rejectStatus = 599; }, none, QString());
    row(
        "subprotocol with space", [](ServerBehaviour &b) { b.subprotocols = { QStringLiteral("a b") }; },
        int(Setting::Subprotocols),
        QStringLiteral("\"a b\" is not a subprotocol name: use letters, digits and !#$%&'*+-.^_`|~, without spaces, "
                       "commas or quotes"));
    row(
        "subprotocol with slash", [](ServerBehaviour &b) { b.subprotocols = { QStringLiteral("v1/json") }; },
        int(Setting::Subprotocols),
        QStringLiteral("\"v1/json\" is not a subprotocol name: use letters, digits and !#$%&'*+-.^_`|~, without "
                       "spaces, commas or quotes"));
    row(
        "subprotocol tokens",
        [](ServerBehaviour &b) {
            b.subprotocols
                = { QStringLiteral("graphql-transport-ws"), QStringLiteral("v1.json"), QStringLiteral("x~y") };
        },
        none, QString());
    row(
        "subprotocol twice",
        [](ServerBehaviour &b) {
            b.subprotocols = { QStringLiteral("a"), QStringLiteral("a") };
        },
        int(Setting::Subprotocols), QStringLiteral("\"a\" is listed twice"));
    row(
        "origin without scheme", [](ServerBehaviour &b) { b.allowedOrigins = { QStringLiteral("example.org") }; },
        int(Setting::AllowedOrigins),
        QStringLiteral("\"example.org\" is not an origin: write scheme://host[:port], e.g. https://example.org"));
    row(
        "origin with path", [](ServerBehaviour &b) { b.allowedOrigins = { QStringLiteral("https://example.org/") }; },
        int(Setting::AllowedOrigins),
        QStringLiteral("\"https://example.org/\" is more than an origin (browsers send scheme://host[:port] only): "
                       "use https://example.org"));
    row(
        "origin with port and path",
        [](ServerBehaviour &b) { b.allowedOrigins = { QStringLiteral("http://localhost:8080/app") }; },
        int(Setting::AllowedOrigins),
        QStringLiteral("\"http://localhost:8080/app\" is more than an origin (browsers send scheme://host[:port] "
                       "only): use http://localhost:8080"));
    row(
        "origin with space", [](ServerBehaviour &b) { b.allowedOrigins = { QStringLiteral("https://a .org") }; },
        int(Setting::AllowedOrigins),
        QStringLiteral("\"https://a .org\" contains spaces, commas or control characters"));
    row(
        "origin null and port",
        [](ServerBehaviour &b) {
            b.allowedOrigins = { QStringLiteral("null"), QStringLiteral("http://localhost:8080") };
        },
        none, QString());
    row(
        "max clients negative", [](ServerBehaviour &b) { b.maxClients = -1; }, int(Setting::MaxClients),
        QStringLiteral("-1 is negative (0: no limit)"));
    row(
        "max clients too many", [](ServerBehaviour &b) { b.maxClients = 100'001; }, int(Setting::MaxClients),
        QStringLiteral("100001 is more than 100000"));
    row(
        "message size 0", [](ServerBehaviour &b) { b.maxMessageSize = 0; }, int(Setting::MaxMessageSize),
        QStringLiteral("0 bytes would refuse every message"));
    row(
        "message size beyond Qt", [](ServerBehaviour &b) { b.maxMessageSize = 2'147'483'647; },
        int(Setting::MaxMessageSize), QStringLiteral("2147483647 bytes is more than Qt accepts (at most 2147483646)"));
    row(
        "message size 1", [](ServerBehaviour &b) { b.maxMessageSize = 1; }, none, QString());
}

void tst_ServerBehaviour::problems()
{
    QFETCH(ServerBehaviour, behaviour);
    QFETCH(int, setting);
    QFETCH(QString, message);

    const QList<ServerBehaviour::Problem> found = behaviour.problems();
    if (setting < 0) {
        QVERIFY2(found.isEmpty(), qPrintable(found.value(0).message));
        QVERIFY(behaviour.isValid());
        return;
    }
    QCOMPARE(found.size(), 1);
    QCOMPARE(int(found.first().setting), setting);
    QCOMPARE(found.first().message, message);
    QVERIFY(!behaviour.isValid());
}

void tst_ServerBehaviour::toString_data()
{
    QTest::addColumn<ServerBehaviour>("behaviour");
    QTest::addColumn<QString>("text");

    ServerBehaviour b;
    QTest::newRow("defaults") << b << QStringLiteral("defaults");
    b.replyDelayMs = 200;
    QTest::newRow("delay") << b << QStringLiteral("reply after 200 ms");
    b = {};
    b.fragmentSize = 1;
    b.pingIntervalMs = 1500;
    QTest::newRow("fragment and ping") << b << QStringLiteral("frames of 1 byte, ping every 1.5 s");
    b = {};
    b.closeAfterMessages = 3;
    b.closeCode = 4000;
    b.closeReason = QStringLiteral("bye");
    QTest::newRow("close with reason") << b << QStringLiteral("close with 4000 \"bye\" after 3 messages");
    b.closeAfterMessages = 1;
    b.closeReason.clear();
    QTest::newRow("close without reason") << b << QStringLiteral("close with 4000 after 1 message");
    b = {};
    b.rejectStatus = 503;
    QTest::newRow("reject") << b << QStringLiteral("reject every handshake with 503 Service Unavailable");
    b = {};
    b.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
    b.allowedOrigins = { QStringLiteral("https://a.example") };
    b.maxClients = 1;
    b.maxMessageSize = 1024;
    QTest::newRow("admission and limits")
        << b
        << QStringLiteral(
               "origins https://a.example, subprotocols chat, superchat, at most 1 client, messages up to 1024 bytes");
}

void tst_ServerBehaviour::toString()
{
    QFETCH(ServerBehaviour, behaviour);
    QFETCH(QString, text);
    QCOMPARE(behaviour.toString(), text);
}

void tst_ServerBehaviour::selectSubprotocol_data()
{
    QTest::addColumn<QStringList>("accepted");
    QTest::addColumn<QList<QByteArray>>("offered");
    QTest::addColumn<QString>("selected");

    QTest::newRow("the one") << QStringList { QStringLiteral("chat") } << QList<QByteArray> { "chat" }
                             << QStringLiteral("chat");
    QTest::newRow("client's preference, not ours")
        << QStringList { QStringLiteral("chat"), QStringLiteral("superchat") }
        << QList<QByteArray> { "superchat", "chat" } << QStringLiteral("superchat");
    QTest::newRow("skips what is not accepted")
        << QStringList { QStringLiteral("b") } << QList<QByteArray> { "a", "b" } << QStringLiteral("b");
    QTest::newRow("case-sensitive") << QStringList { QStringLiteral("Chat") } << QList<QByteArray> { "chat" }
                                    << QString();
    QTest::newRow("nothing offered") << QStringList { QStringLiteral("chat") } << QList<QByteArray> {} << QString();
}

void tst_ServerBehaviour::selectSubprotocol()
{
    QFETCH(QStringList, accepted);
    QFETCH(QList<QByteArray>, offered);
    QFETCH(QString, selected);
    QCOMPARE(withSubprotocols(accepted).selectSubprotocol(offered), selected);
}

void tst_ServerBehaviour::reasonPhrase_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("phrase");
    QTest::newRow("400") << 400 << QByteArray("Bad Request");
    QTest::newRow("403") << 403 << QByteArray("Forbidden");
    QTest::newRow("404") << 404 << QByteArray("Not Found");
    QTest::newRow("426") << 426 << QByteArray("Upgrade Required");
    QTest::newRow("429") << 429 << QByteArray("Too Many Requests");
    QTest::newRow("503") << 503 << QByteArray("Service Unavailable");
    QTest::newRow("499 unregistered") << 499 << QByteArray("Client Error");
    QTest::newRow("599 unregistered") << 599 << QByteArray("Server Error");
}

void tst_ServerBehaviour::reasonPhrase()
{
    QFETCH(int, status);
    QFETCH(QByteArray, phrase);
    QCOMPARE(ServerBehaviour::reasonPhrase(status), phrase);
}

void tst_ServerBehaviour::splitList()
{
    QCOMPARE(ServerBehaviour::splitList(QStringLiteral(" chat, superchat ,,v2\tv3 ")),
        (QStringList {
            QStringLiteral("chat"), QStringLiteral("superchat"), QStringLiteral("v2"), QStringLiteral("v3") }));
    QCOMPARE(ServerBehaviour::splitList(QStringLiteral(" , ")), QStringList());
}

void tst_ServerBehaviour::setBehaviourRefusesProblems()
{
    EmbeddedServer server;
    ServerBehaviour good;
    good.replyDelayMs = 10;
    QVERIFY(server.setBehaviour(good));
    ServerBehaviour bad = good;
    bad.subprotocols = { QStringLiteral("a b") };
    QString error;
    QVERIFY(!server.setBehaviour(bad, &error));
    QCOMPARE(error,
        QStringLiteral("subprotocols: \"a b\" is not a subprotocol name: use letters, digits and !#$%&'*+-.^_`|~, "
                       "without spaces, commas or quotes"));
    QCOMPARE(server.behaviour(), good); // unchanged
}

void tst_ServerBehaviour::replyDelay_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<EmbeddedServer::Mode>("mode");
    QTest::newRow("none") << 0 << EmbeddedServer::Mode::Echo;
    QTest::newRow("150 ms, echo") << 150 << EmbeddedServer::Mode::Echo;
    QTest::newRow("400 ms, echo") << 400 << EmbeddedServer::Mode::Echo;
    QTest::newRow("150 ms, broadcast") << 150 << EmbeddedServer::Mode::Broadcast;
}

void tst_ServerBehaviour::replyDelay()
{
    QFETCH(int, delayMs);
    QFETCH(EmbeddedServer::Mode, mode);

    EmbeddedServer server;
    server.setMode(mode);
    ServerBehaviour b;
    b.replyDelayMs = delayMs;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    Client client;
    QVERIFY(client.open(server.url()));

    const QList<QByteArray> messages { "one", "two", "three" };
    for (const QByteArray &m : messages)
        QVERIFY(client.connection->sendText(m));
    QTRY_COMPARE_WITH_TIMEOUT(client.receivedData().size(), messages.size(), Timeout);

    // Each reply comes at least the delay after its own message left the client, in order. The
    // times are the engine's recorded ones: when the bytes were written and read.
    const QList<WireEvent> sent = client.sent();
    const QList<WireEvent> replies = client.receivedData();
    QCOMPARE(sent.size(), messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(replies[i].payload.toByteArray(), messages[i]);
        const qint64 elapsedUs = replies[i].timeUs - sent[i].timeUs;
        QVERIFY2(elapsedUs >= qint64(delayMs) * 1000,
            qPrintable(QStringLiteral("reply %1 after %2 us, delay %3 ms").arg(i).arg(elapsedUs).arg(delayMs)));
    }
}

void tst_ServerBehaviour::fragmentedReply_data()
{
    QTest::addColumn<qint64>("fragmentSize");
    QTest::addColumn<bool>("isText");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QList<QByteArray>>("headers"); // of the reply frames, exactly

    QTest::newRow("text 10 in 4s") << qint64(4) << true << QByteArray("0123456789")
                                   << QList<QByteArray> { hex("01 04"), hex("00 04"), hex("80 02") };
    QTest::newRow("text 8 in 4s: no empty last frame")
        << qint64(4) << true << QByteArray("abcdefgh") << QList<QByteArray> { hex("01 04"), hex("80 04") };
    QTest::newRow("binary 3 in 1s") << qint64(1) << false << QByteArray("\x00\xff\x7f", 3)
                                    << QList<QByteArray> { hex("02 01"), hex("00 01"), hex("80 01") };
    QTest::newRow("shorter than a fragment")
        << qint64(5) << true << QByteArray("abc") << QList<QByteArray> { hex("81 03") };
    QTest::newRow("empty message") << qint64(5) << false << QByteArray() << QList<QByteArray> { hex("82 00") };
    QTest::newRow("300 in 200s: 16-bit length")
        << qint64(200) << false << QByteArray(300, 'x') << QList<QByteArray> { hex("02 7e 00 c8"), hex("80 64") };
    QTest::newRow("UTF-8 split inside a code point")
        << qint64(1) << true << QByteArray("\xc3\xa9")
        << QList<QByteArray> { hex("01 01"), hex("80 01") }; // valid across fragments (RFC 6455 §5.6)
    QTest::newRow("off: one frame") << qint64(0) << true << QByteArray(1000, 'y')
                                    << QList<QByteArray> { hex("81 7e 03 e8") };
}

void tst_ServerBehaviour::fragmentedReply()
{
    QFETCH(qint64, fragmentSize);
    QFETCH(bool, isText);
    QFETCH(QByteArray, payload);
    QFETCH(QList<QByteArray>, headers);

    EmbeddedServer server;
    ServerBehaviour b;
    b.fragmentSize = fragmentSize;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    Client client;
    QVERIFY(client.open(server.url()));
    QSignalSpy messages(client.connection.get(), &ClientConnection::messageReceived);
    QVERIFY(isText ? client.connection->sendText(payload) : client.connection->sendBinary(payload));
    QVERIFY(messages.wait(Timeout));
    QCOMPARE(messages.at(0).at(1).toByteArray(), payload);

    const QList<WireEvent> frames = client.receivedData();
    QCOMPARE(frames.size(), headers.size());
    QByteArray reassembled;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        QCOMPARE(frames[i].header.toByteArray().toHex(' '), headers[i].toHex(' '));
        const bool last = i == frames.size() - 1;
        QCOMPARE(frames[i].frame.fin, last);
        QCOMPARE(
            frames[i].frame.opcode, quint8(i == 0 ? (isText ? Opcode::Text : Opcode::Binary) : Opcode::Continuation));
        if (!last)
            QCOMPARE(qint64(frames[i].payload.size()), fragmentSize);
        reassembled += frames[i].payload.toByteArray();
    }
    QCOMPARE(reassembled, payload);
    // Nothing was wrong with any of it.
    QVERIFY(eventsOfKind(client.capture, EventKind::Violation).isEmpty());
}

void tst_ServerBehaviour::fragmentSizeChangesWhileConnected()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    Client client;
    QVERIFY(client.open(server.url()));
    QSignalSpy messages(client.connection.get(), &ClientConnection::messageReceived);

    ServerBehaviour b;
    b.fragmentSize = 2;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(client.connection->sendText("abcd"));
    QVERIFY(messages.wait(Timeout));
    QCOMPARE(client.receivedData().size(), 2);

    // Back to 0 ("off"): Qt's own frame size, never setOutgoingFrameSize(0), which crashes Qt 6.4.2.
    b.fragmentSize = 0;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(client.connection->sendText("abcd"));
    QVERIFY(messages.wait(Timeout));
    QCOMPARE(client.receivedData().size(), 3);
    QCOMPARE(client.receivedData().last().header.toByteArray(), hex("81 04"));
}

void tst_ServerBehaviour::periodicPings()
{
    EmbeddedServer server;
    ServerBehaviour b;
    b.pingIntervalMs = 200;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    QSignalSpy pingsSent(&server, &EmbeddedServer::pingSent);
    QSignalSpy pongs(&server, &EmbeddedServer::pongReceived);
    Client client;
    QVERIFY(client.open(server.url()));
    QSignalSpy pings(client.connection.get(), &ClientConnection::pingReceived);
    QTRY_VERIFY_WITH_TIMEOUT(pings.size() >= 2, Timeout);

    QCOMPARE(pings.at(0).at(0).toByteArray(), QByteArray("1"));
    QCOMPARE(pings.at(1).at(0).toByteArray(), QByteArray("2"));
    QList<WireEvent> frames;
    for (const WireEvent &e : client.received()) {
        if (e.frame.opcode == Opcode::Ping)
            frames << e;
    }
    QVERIFY(frames.size() >= 2);
    QCOMPARE(frames[0].header.toByteArray(), hex("89 01")); // FIN, ping, unmasked, 1 byte
    QCOMPARE(frames[0].payload.toByteArray(), QByteArray("1"));
    QCOMPARE(frames[1].header.toByteArray(), hex("89 01"));
    QCOMPARE(frames[1].payload.toByteArray(), QByteArray("2"));
    // Periodic, not a burst: a precise timer fires no earlier than its interval; allow for the
    // first ping's bytes having waited in this process's event loop.
    const qint64 apartUs = frames[1].timeUs - frames[0].timeUs;
    QVERIFY2(apartUs >= 150'000, qPrintable(QStringLiteral("pings %1 us apart").arg(apartUs)));

    // Our engine answered each; the server saw the pongs with the same payloads.
    QTRY_VERIFY_WITH_TIMEOUT(pongs.size() >= 2, Timeout);
    QCOMPARE(pongs.at(0).at(2).toByteArray(), QByteArray("1"));
    QCOMPARE(pongs.at(1).at(2).toByteArray(), QByteArray("2"));
    QCOMPARE(pingsSent.at(0).at(1).toByteArray(), QByteArray("1"));

    // Turned off while connected: no more pings.
    QVERIFY(server.setBehaviour(ServerBehaviour {}));
    const qsizetype before = pingsSent.size();
    QVERIFY(!pingsSent.wait(600));
    QCOMPARE(pingsSent.size(), before);
}

void tst_ServerBehaviour::closeAfter_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<QByteArray>("closeFrame"); // header + payload, exactly

    QTest::newRow("1, 1000, no reason") << 1 << 1000 << QString() << 0 << hex("88 02 03 e8");
    QTest::newRow("3, 4000 bye") << 3 << 4000 << QStringLiteral("bye") << 0 << hex("88 05 0f a0 62 79 65");
    QTest::newRow("2, 1001 going, after a delay")
        << 2 << 1001 << QStringLiteral("going") << 100 << hex("88 07 03 e9 67 6f 69 6e 67");
    QTest::newRow("1, 1013 (valid, not 1002)")
        << 1 << 1013 << QStringLiteral("later") << 0 << hex("88 07 03 f5 6c 61 74 65 72");
}

void tst_ServerBehaviour::closeAfter()
{
    QFETCH(int, count);
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(int, delayMs);
    QFETCH(QByteArray, closeFrame);

    EmbeddedServer server;
    ServerBehaviour b;
    b.closeAfterMessages = count;
    b.closeCode = quint16(code);
    b.closeReason = reason;
    b.replyDelayMs = delayMs;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    QSignalSpy disconnected(&server, &EmbeddedServer::clientDisconnected);
    Client client;
    QVERIFY(client.open(server.url()));
    QSignalSpy closed(client.connection.get(), &ClientConnection::closed);

    // One more than the limit, all at once: the last is never answered.
    for (int i = 0; i <= count; ++i)
        QVERIFY(client.connection->sendText(QByteArray::number(i)));
    QVERIFY(closed.wait(Timeout));
    QCOMPARE(closed.at(0).at(0).toInt(), code);
    QCOMPARE(closed.at(0).at(1).toString(), reason);
    QCOMPARE(closed.at(0).at(2).toBool(), true);

    const QList<WireEvent> data = client.receivedData();
    QCOMPARE(data.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(data[i].payload.toByteArray(), QByteArray::number(i));
    const QList<WireEvent> frames = client.received();
    QCOMPARE(frames.last().frame.opcode, quint8(Opcode::Close));
    QCOMPARE(frames.last().header.toByteArray() + frames.last().payload.toByteArray(), closeFrame);

    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(1).toInt(), code);
    QCOMPARE(disconnected.at(0).at(2).toString(), reason);
}

void tst_ServerBehaviour::rejectStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<QByteArray>("extraHeader"); // must be in the response; empty: none expected

    QTest::newRow("400") << 400 << QByteArray("HTTP/1.1 400 Bad Request\r\n") << QByteArray();
    QTest::newRow("401") << 401 << QByteArray("HTTP/1.1 401 Unauthorized\r\n")
                         << QByteArray("\r\nWWW-Authenticate: Basic realm=\"WebSocket Inspector\"\r\n");
    QTest::newRow("403") << 403 << QByteArray("HTTP/1.1 403 Forbidden\r\n") << QByteArray();
    QTest::newRow("404") << 404 << QByteArray("HTTP/1.1 404 Not Found\r\n") << QByteArray();
    QTest::newRow("426") << 426 << QByteArray("HTTP/1.1 426 Upgrade Required\r\n")
                         << QByteArray("\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
    QTest::newRow("503") << 503 << QByteArray("HTTP/1.1 503 Service Unavailable\r\n") << QByteArray();
    QTest::newRow("499") << 499 << QByteArray("HTTP/1.1 499 Client Error\r\n") << QByteArray();
}

void tst_ServerBehaviour::rejectStatus()
{
    QFETCH(int, status);
    QFETCH(QByteArray, statusLine);
    QFETCH(QByteArray, extraHeader);

    EmbeddedServer server;
    ServerBehaviour b;
    b.rejectStatus = status;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    QSignalSpy rejected(&server, &EmbeddedServer::handshakeRejected);
    QSignalSpy failed(&server, &EmbeddedServer::handshakeFailed);
    QSignalSpy connected(&server, &EmbeddedServer::clientConnected);
    Client client;
    QVERIFY(client.start(server.url()));
    QVERIFY(client.waitForClosed());

    QVERIFY2(client.connection->errorString().contains(QStringLiteral("unexpected status %1").arg(status)),
        qPrintable(client.connection->errorString()));
    const QByteArray response = client.response();
    QVERIFY2(response.startsWith(statusLine), response.constData());
    if (!extraHeader.isEmpty())
        QVERIFY2(response.contains(extraHeader), response.constData());
    const QString reason = QStringLiteral("rejected with %1 %2: the server is set to reject every handshake")
                               .arg(status)
                               .arg(QString::fromLatin1(ServerBehaviour::reasonPhrase(status)));
    QVERIFY(response.endsWith("\r\n\r\n" + reason.toUtf8() + '\n')); // the body says why

    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, Timeout);
    QCOMPARE(rejected.at(0).at(1).toInt(), status);
    QCOMPARE(rejected.at(0).at(2).toByteArray(), client.request()); // the raw request, kept
    QCOMPARE(rejected.at(0).at(3).toString(), reason);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(2).toString(), reason);
    QCOMPARE(connected.size(), 0);
}

void tst_ServerBehaviour::subprotocols_data()
{
    QTest::addColumn<QStringList>("accepted");
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QString>("selected"); // empty: refused with 400
    QTest::addColumn<QString>("reason"); // of the refusal

    const QString chat = QStringLiteral("chat");
    const QString superchat = QStringLiteral("superchat");
    QTest::newRow("none accepted, none offered") << QStringList() << QStringList() << QString() << QString();
    QTest::newRow("none accepted, one offered: none selected")
        << QStringList() << QStringList { chat } << QString() << QString();
    QTest::newRow("the one") << QStringList { chat } << QStringList { chat } << chat << QString();
    // Neither the server's order nor sorted order: the client's preference decides (what Qt 6.4.2's
    // QWebSocketServer does with the list it is given, and what the server's own check expects).
    QTest::newRow("client's first choice")
        << QStringList { chat, superchat } << QStringList { superchat, chat } << superchat << QString();
    QTest::newRow("skips what is not accepted")
        << QStringList { superchat } << QStringList { chat, superchat } << superchat << QString();
    QTest::newRow("nothing acceptable")
        << QStringList { chat } << QStringList { QStringLiteral("mqtt"), QStringLiteral("stomp") } << QString()
        << QStringLiteral("rejected with 400 Bad Request: none of the offered subprotocols (mqtt, stomp) is accepted; "
                          "accepted: chat");
    QTest::newRow("case-sensitive") << QStringList { chat } << QStringList { QStringLiteral("Chat") } << QString()
                                    << QStringLiteral(
                                           "rejected with 400 Bad Request: none of the offered subprotocols (Chat) is "
                                           "accepted; accepted: chat");
    QTest::newRow("none offered") << QStringList { chat, superchat } << QStringList() << QString()
                                  << QStringLiteral(
                                         "rejected with 400 Bad Request: no subprotocol offered; accepted: chat, "
                                         "superchat");
}

void tst_ServerBehaviour::subprotocols()
{
    QFETCH(QStringList, accepted);
    QFETCH(QStringList, offered);
    QFETCH(QString, selected);
    QFETCH(QString, reason);

    EmbeddedServer server;
    QVERIFY(server.setBehaviour(withSubprotocols(accepted)));
    QVERIFY(server.start());
    QSignalSpy connected(&server, &EmbeddedServer::clientConnected);
    QSignalSpy rejected(&server, &EmbeddedServer::handshakeRejected);
    Client client;
    QVERIFY(client.start(server.url(), offered));
    QVERIFY(client.waitForHandshake());

    if (reason.isEmpty()) {
        QCOMPARE(client.connection->readyState(), ReadyState::Open);
        QCOMPARE(QString::fromUtf8(client.connection->selectedSubprotocol()), selected);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, Timeout);
        QCOMPARE(server.subprotocol(connected.at(0).at(0).toUInt()), selected);
        QCOMPARE(client.response().contains("\r\nSec-WebSocket-Protocol: " + selected.toUtf8() + "\r\n"),
            !selected.isEmpty());
        return;
    }
    QCOMPARE(client.connection->readyState(), ReadyState::Closed);
    QVERIFY2(client.connection->errorString().contains(QStringLiteral("unexpected status 400")),
        qPrintable(client.connection->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, Timeout);
    QCOMPARE(rejected.at(0).at(1).toInt(), 400);
    QCOMPARE(rejected.at(0).at(3).toString(), reason);
    QCOMPARE(connected.size(), 0);
}

void tst_ServerBehaviour::subprotocolsOfConcurrentClients()
{
    // Handshakes arriving together each get the selection their own offer asks for.
    EmbeddedServer server;
    QVERIFY(server.setBehaviour(
        withSubprotocols({ QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") })));
    QVERIFY(server.start());
    const QList<QStringList> offers { { QStringLiteral("d"), QStringLiteral("a") }, { QStringLiteral("b") },
        { QStringLiteral("x"), QStringLiteral("c"), QStringLiteral("a") }, { QStringLiteral("a") },
        { QStringLiteral("c"), QStringLiteral("b") }, { QStringLiteral("b"), QStringLiteral("d") } };
    const QStringList expected { QStringLiteral("d"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a"),
        QStringLiteral("c"), QStringLiteral("b") };
    std::vector<std::unique_ptr<Client>> clients;
    for (qsizetype i = 0; i < offers.size(); ++i) {
        clients.push_back(std::make_unique<Client>(quint32(i + 1)));
        QVERIFY(clients.back()->start(server.url(), offers[i]));
    }
    for (qsizetype i = 0; i < offers.size(); ++i) {
        QVERIFY(clients[i]->waitForHandshake());
        QCOMPARE(clients[i]->connection->readyState(), ReadyState::Open);
        QCOMPARE(QString::fromUtf8(clients[i]->connection->selectedSubprotocol()), expected[i]);
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.clients().size(), offers.size(), Timeout);
}

void tst_ServerBehaviour::origin_data()
{
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<QString>("origin"); // empty: no Origin header
    QTest::addColumn<QString>("reason"); // empty: accepted

    const QStringList allowed { QStringLiteral("https://app.example"), QStringLiteral("http://localhost:8080") };
    QTest::newRow("no list, no Origin") << QStringList() << QString() << QString();
    QTest::newRow("no list, any Origin") << QStringList() << QStringLiteral("https://evil.example") << QString();
    QTest::newRow("allowed") << allowed << QStringLiteral("https://app.example") << QString();
    QTest::newRow("allowed with port") << allowed << QStringLiteral("http://localhost:8080") << QString();
    QTest::newRow("case of scheme and host") << allowed << QStringLiteral("HTTPS://App.Example") << QString();
    QTest::newRow("other origin") << allowed << QStringLiteral("https://evil.example")
                                  << QStringLiteral(
                                         "rejected with 403 Forbidden: Origin \"https://evil.example\" is not allowed; "
                                         "allowed origins: https://app.example, http://localhost:8080");
    QTest::newRow("other port") << allowed << QStringLiteral("http://localhost:8081")
                                << QStringLiteral(
                                       "rejected with 403 Forbidden: Origin \"http://localhost:8081\" is not allowed; "
                                       "allowed origins: https://app.example, http://localhost:8080");
    QTest::newRow("no Origin") << allowed << QString()
                               << QStringLiteral("rejected with 403 Forbidden: no Origin header; allowed origins: "
                                                 "https://app.example, http://localhost:8080");
}

void tst_ServerBehaviour::origin()
{
    QFETCH(QStringList, allowed);
    QFETCH(QString, origin);
    QFETCH(QString, reason);

    EmbeddedServer server;
    ServerBehaviour b;
    b.allowedOrigins = allowed;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    QSignalSpy rejected(&server, &EmbeddedServer::handshakeRejected);
    Client client;
    QVERIFY(client.start(server.url(), {}, origin));
    QVERIFY(client.waitForHandshake());
    if (reason.isEmpty()) {
        QCOMPARE(client.connection->readyState(), ReadyState::Open);
        return;
    }
    QVERIFY2(client.connection->errorString().contains(QStringLiteral("unexpected status 403")),
        qPrintable(client.connection->errorString()));
    QVERIFY(client.response().startsWith("HTTP/1.1 403 Forbidden\r\n"));
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, Timeout);
    QCOMPARE(rejected.at(0).at(3).toString(), reason);
    QCOMPARE(rejected.at(0).at(2).toByteArray(), client.request());
}

void tst_ServerBehaviour::clientLimit()
{
    EmbeddedServer server;
    ServerBehaviour b;
    b.maxClients = 2;
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    QSignalSpy rejected(&server, &EmbeddedServer::handshakeRejected);
    QSignalSpy disconnected(&server, &EmbeddedServer::clientDisconnected);

    // Three at once: the limit holds for handshakes still in progress too.
    Client a(1), c(2), d(3);
    QVERIFY(a.start(server.url()));
    QVERIFY(c.start(server.url()));
    QVERIFY(d.start(server.url()));
    QVERIFY(a.waitForHandshake() && c.waitForHandshake() && d.waitForHandshake());
    QCOMPARE(a.connection->readyState(), ReadyState::Open);
    QCOMPARE(c.connection->readyState(), ReadyState::Open);
    QCOMPARE(d.connection->readyState(), ReadyState::Closed);
    QVERIFY2(d.connection->errorString().contains(QStringLiteral("unexpected status 503")),
        qPrintable(d.connection->errorString()));
    QVERIFY(d.response().startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, Timeout);
    QCOMPARE(rejected.at(0).at(1).toInt(), 503);
    QCOMPARE(rejected.at(0).at(3).toString(),
        QStringLiteral("rejected with 503 Service Unavailable: the server is full: 2 of 2 clients connected"));

    // A place frees up when a client has gone.
    QVERIFY(a.connection->close(1000));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, Timeout);
    Client e(4);
    QVERIFY(e.open(server.url()));
    Client f(5);
    QVERIFY(f.start(server.url()));
    QVERIFY(f.waitForHandshake());
    QCOMPARE(f.connection->readyState(), ReadyState::Closed);
    QCOMPARE(server.clients().size(), 2);
}

void tst_ServerBehaviour::messageSize_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("size");
    QTest::addColumn<qsizetype>("clientFragments"); // our client splits the message into frames of this size
    QTest::addColumn<bool>("accepted");

    QTest::newRow("at the limit") << 100 << 100 << qsizetype(0) << true;
    QTest::newRow("one byte over, one frame") << 100 << 101 << qsizetype(0) << false;
    QTest::newRow("one byte over, frames under the limit") << 100 << 101 << qsizetype(50) << false;
    QTest::newRow("16-bit length over") << 1000 << 70000 << qsizetype(0) << false;
}

void tst_ServerBehaviour::messageSize()
{
    QFETCH(int, limit);
    QFETCH(int, size);
    QFETCH(qsizetype, clientFragments);
    QFETCH(bool, accepted);

    EmbeddedServer server;
    ServerBehaviour b;
    b.maxMessageSize = quint64(limit);
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());
    QSignalSpy disconnected(&server, &EmbeddedServer::clientDisconnected);
    QSignalSpy received(&server, &EmbeddedServer::messageReceived);
    Client client;
    QVERIFY(client.open(server.url()));
    client.connection->setFragmentSize(clientFragments);
    QSignalSpy messages(client.connection.get(), &ClientConnection::messageReceived);
    QSignalSpy closed(client.connection.get(), &ClientConnection::closed);
    QVERIFY(client.connection->sendBinary(QByteArray(size, 'm')));

    if (accepted) {
        QVERIFY(messages.wait(Timeout));
        QCOMPARE(messages.at(0).at(1).toByteArray().size(), size);
        return;
    }
    QVERIFY(closed.wait(Timeout));
    QCOMPARE(closed.at(0).at(0).toInt(), 1009);
    const QList<WireEvent> frames = client.received();
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().frame.opcode, quint8(Opcode::Close));
    QCOMPARE(frames.last().payload.first(2).toByteArray(), hex("03 f1")); // 1009, big-endian
    QCOMPARE(received.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(1).toInt(), 1009);
}

// Each scenario runs against node-ws and python3-websockets.
void tst_ServerBehaviour::peers_data()
{
    QTest::addColumn<PeerProcess::Runtime>("runtime");
    QTest::addColumn<QString>("scenario");

    const QStringList scenarios { QStringLiteral("delay"), QStringLiteral("fragments"), QStringLiteral("pings"),
        QStringLiteral("close after"), QStringLiteral("reject"), QStringLiteral("subprotocol"),
        QStringLiteral("subprotocol refused"), QStringLiteral("origin allowed"), QStringLiteral("origin refused"),
        QStringLiteral("full"), QStringLiteral("message size") };
    for (const auto runtime : { PeerProcess::Runtime::Node, PeerProcess::Runtime::Python }) {
        const char *name = runtime == PeerProcess::Runtime::Node ? "node-ws" : "python3-websockets";
        for (const QString &scenario : scenarios)
            QTest::addRow("%s: %s", name, qPrintable(scenario)) << runtime << scenario;
    }
}

void tst_ServerBehaviour::peers()
{
    QFETCH(PeerProcess::Runtime, runtime);
    QFETCH(QString, scenario);
    const QString skip = peerSkipReason(runtime);
    if (!skip.isEmpty())
        QSKIP(qPrintable(skip));
    const bool python = runtime == PeerProcess::Runtime::Python;

    EmbeddedServer server;
    ServerBehaviour b;
    QStringList args;
    const QByteArray message("hello, fragments");
    const QString messageHex = hexOf(message);
    auto check = [&](const PeerResult &r) { return qPrintable(r.dump()); };

    if (scenario == QLatin1String("delay")) {
        b.replyDelayMs = 300;
        args << QStringLiteral("text=") + messageHex << QStringLiteral("wait=1");
    } else if (scenario == QLatin1String("fragments")) {
        b.fragmentSize = 5;
        args << QStringLiteral("text=") + messageHex << QStringLiteral("wait=1");
    } else if (scenario == QLatin1String("pings")) {
        b.pingIntervalMs = 200;
        args << QStringLiteral("pings=2");
    } else if (scenario == QLatin1String("close after")) {
        b.closeAfterMessages = 2;
        b.closeCode = 4001;
        b.closeReason = QStringLiteral("enough");
        args << QStringLiteral("text=61") << QStringLiteral("text=62") << QStringLiteral("hold");
    } else if (scenario == QLatin1String("reject")) {
        b.rejectStatus = 403;
    } else if (scenario == QLatin1String("subprotocol")) {
        b.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
        args << QStringLiteral("--protocol") << QStringLiteral("superchat") << QStringLiteral("--protocol")
             << QStringLiteral("chat");
    } else if (scenario == QLatin1String("subprotocol refused")) {
        b.subprotocols = { QStringLiteral("chat") };
        args << QStringLiteral("--protocol") << QStringLiteral("mqtt");
    } else if (scenario == QLatin1String("origin allowed") || scenario == QLatin1String("origin refused")) {
        b.allowedOrigins = { QStringLiteral("https://app.example") };
        args << QStringLiteral("--origin")
             << (scenario == QLatin1String("origin allowed") ? QStringLiteral("https://app.example")
                                                             : QStringLiteral("https://evil.example"));
    } else if (scenario == QLatin1String("full")) {
        b.maxClients = 1;
    } else if (scenario == QLatin1String("message size")) {
        b.maxMessageSize = 10;
        args << QStringLiteral("binary=") + hexOf(QByteArray(11, 'z')) << QStringLiteral("hold");
    }
    QVERIFY(server.setBehaviour(b));
    QVERIFY(server.start());

    Client holder; // takes the only place when the server is full
    if (scenario == QLatin1String("full"))
        QVERIFY(holder.open(server.url()));

    const PeerResult r = runPeer(runtime, server.url(), args);
    const QJsonObject error = r.first(QStringLiteral("error"));
    const QString errorText = error.value(QStringLiteral("message")).toString();

    if (scenario == QLatin1String("delay")) {
        const QJsonObject sent = r.first(QStringLiteral("sent"));
        const QJsonObject reply = r.first(QStringLiteral("message"));
        QVERIFY2(!sent.isEmpty() && !reply.isEmpty(), check(r));
        QCOMPARE(reply.value(QStringLiteral("hex")).toString(), messageHex);
        const double elapsed = reply.value(QStringLiteral("t")).toDouble() - sent.value(QStringLiteral("t")).toDouble();
        QVERIFY2(elapsed >= 300, qPrintable(QStringLiteral("reply after %1 ms").arg(elapsed)));
    } else if (scenario == QLatin1String("fragments")) {
        QCOMPARE(r.first(QStringLiteral("message")).value(QStringLiteral("hex")).toString(), messageHex);
        if (python) { // it shows the frames: 5, 5, 5, 1 bytes; text, continuation, continuation, last
            const QList<QJsonObject> frames = r.all(QStringLiteral("frame"));
            QCOMPARE(frames.size(), 4);
            const QList<int> lengths { 5, 5, 5, 1 };
            for (qsizetype i = 0; i < frames.size(); ++i) {
                QCOMPARE(frames[i].value(QStringLiteral("opcode")).toInt(), i == 0 ? 1 : 0);
                QCOMPARE(frames[i].value(QStringLiteral("fin")).toBool(), i == 3);
                QCOMPARE(frames[i].value(QStringLiteral("len")).toInt(), lengths[i]);
            }
        }
    } else if (scenario == QLatin1String("pings")) {
        const QList<QJsonObject> pings = r.all(QStringLiteral("ping"));
        QVERIFY2(pings.size() >= 2, check(r));
        QCOMPARE(pings[0].value(QStringLiteral("hex")).toString(), QStringLiteral("31"));
        QCOMPARE(pings[1].value(QStringLiteral("hex")).toString(), QStringLiteral("32"));
    } else if (scenario == QLatin1String("close after")) {
        QCOMPARE(r.all(QStringLiteral("message")).size(), 2);
        const QJsonObject close = r.first(QStringLiteral("close"));
        QVERIFY2(!close.isEmpty(), check(r));
        QCOMPARE(close.value(QStringLiteral("code")).toInt(), 4001);
        QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("enough"));
    } else if (scenario == QLatin1String("reject") || scenario == QLatin1String("origin refused")) {
        QVERIFY2(r.first(QStringLiteral("open")).isEmpty(), check(r));
        // node-ws: "Unexpected server response: 403"; websockets: "... rejected WebSocket connection: HTTP 403".
        QVERIFY2(errorText.contains(python ? QStringLiteral("HTTP 403") : QStringLiteral("response: 403")), check(r));
    } else if (scenario == QLatin1String("subprotocol")) {
        QCOMPARE(
            r.first(QStringLiteral("open")).value(QStringLiteral("protocol")).toString(), QStringLiteral("superchat"));
    } else if (scenario == QLatin1String("subprotocol refused")) {
        QVERIFY2(errorText.contains(python ? QStringLiteral("HTTP 400") : QStringLiteral("response: 400")), check(r));
    } else if (scenario == QLatin1String("origin allowed")) {
        QVERIFY2(!r.first(QStringLiteral("open")).isEmpty(), check(r));
        QCOMPARE(r.first(QStringLiteral("close")).value(QStringLiteral("code")).toInt(), 1000);
    } else if (scenario == QLatin1String("full")) {
        QVERIFY2(errorText.contains(python ? QStringLiteral("HTTP 503") : QStringLiteral("response: 503")), check(r));
        QCOMPARE(holder.connection->readyState(), ReadyState::Open);
    } else if (scenario == QLatin1String("message size")) {
        QCOMPARE(r.first(QStringLiteral("close")).value(QStringLiteral("code")).toInt(), 1009);
    }
}

QTEST_GUILESS_MAIN(tst_ServerBehaviour)
#include "tst_serverbehaviour.moc"
