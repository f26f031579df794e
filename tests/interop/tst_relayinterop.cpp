// The relay between real, independent peers: Debian's node-ws and python3-websockets, as clients
// and as servers, each way round. The clients print every message they receive (hex), so the test
// checks what crossed the relay byte for byte, and the relay's capture for what it showed of it.

#include "captureevents.h"
#include "log/capture.h"
#include "log/interceptnote.h"
#include "net/relayserver.h"
#include "peerprocess.h"

#include <QJsonArray>
#include <QTimer>
#include <QTest>

namespace {

struct ServerPeer {
    const char *name;
    PeerProcess::Runtime runtime;
    const char *script;
    QStringList args;
    bool compresses;
};

const QList<ServerPeer> &serverPeers()
{
    static const QList<ServerPeer> peers {
        { "node", PeerProcess::Runtime::Node, "interop/peers/node_server.js", {}, false },
        { "node deflate", PeerProcess::Runtime::Node, "interop/peers/node_server.js",
            { QStringLiteral("--deflate"), QStringLiteral("{}") }, true },
        { "python", PeerProcess::Runtime::Python, "interop/peers/py_server.py", {}, true },
        { "python no context takeover", PeerProcess::Runtime::Python, "interop/peers/py_server.py",
            { QStringLiteral("--no-context-takeover") }, true },
    };
    return peers;
}


QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(i & 0xFF);
    return bytes;
}

QString hex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

// What a client peer printed, in order.
struct ClientRun {
    QList<QJsonObject> events;
    QList<QByteArray> messages() const
    {
        QList<QByteArray> out;
        for (const QJsonObject &e : events)
            if (e.value(QLatin1String("event")) == QLatin1String("message"))
                out << QByteArray::fromHex(e.value(QLatin1String("hex")).toString().toLatin1());
        return out;
    }
    QJsonObject last(const char *event) const
    {
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (it->value(QLatin1String("event")) == QLatin1String(event))
                return *it;
        return {};
    }
};

} // namespace

class tst_RelayInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void exchange_data();
    void exchange();
    void serverFragmentsAndPings_data();
    void serverFragmentsAndPings();
    void serverClosesFirst_data();
    void serverClosesFirst();
    void non101AnswerReachesTheApplication();
    void hostileFramesReachTheApplication();
    void serverDropsMidFrame();
    void rulesChangeMessagesInFlight_data();
    void rulesChangeMessagesInFlight();
    void interceptHoldEditDropInject_data();
    void interceptHoldEditDropInject();
    void heldMessagesAtTheEndAreReported();

private:
    static void addPairs();
    ClientRun runClient(PeerProcess::Runtime runtime, const QString &path, const QStringList &commands);
    void startRelay(int server, std::shared_ptr<const MessageRules> rules = {}, bool interceptable = false);

    std::vector<std::unique_ptr<PeerProcess>> m_servers;
    QList<quint16> m_ports;
    std::unique_ptr<Capture> m_capture;
    std::unique_ptr<RelayServer> m_relay;
    int m_finished = 0;
};

void tst_RelayInterop::initTestCase()
{
    for (const ServerPeer &peer : serverPeers()) {
        auto process = std::make_unique<PeerProcess>();
        QVERIFY2(process->start(peer.runtime, QString::fromLatin1(peer.script), peer.args), peer.name);
        m_ports << process->waitForPort();
        QVERIFY2(m_ports.last() != 0, peer.name);
        m_servers.push_back(std::move(process));
    }
}

void tst_RelayInterop::init()
{
    m_relay.reset();
    m_capture = std::make_unique<Capture>();
    m_finished = 0;
}

void tst_RelayInterop::startRelay(int server, std::shared_ptr<const MessageRules> rules, bool interceptable)
{
    RelayOptions options;
    options.to = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_ports[server]));
    options.rules = std::move(rules);
    options.interceptable = interceptable;
    m_relay = std::make_unique<RelayServer>(options);
    connect(m_relay.get(), &RelayServer::sessionStarted, this,
        [this](RelaySession *session) { session->addSink(m_capture.get()); });
    connect(m_relay.get(), &RelayServer::sessionFinished, this, [this] { ++m_finished; });
    QVERIFY2(m_relay->listen(), qPrintable(m_relay->errorString()));
}

ClientRun tst_RelayInterop::runClient(PeerProcess::Runtime runtime, const QString &path, const QStringList &commands)
{
    PeerProcess client;
    const QString script = runtime == PeerProcess::Runtime::Node ? QStringLiteral("interop/peers/node_client.js")
                                                                 : QStringLiteral("interop/peers/py_client.py");
    ClientRun run;
    if (!client.start(runtime, script, QStringList { m_relay->url().resolved(QUrl(path)).toString() } + commands))
        return run;
    // Reading spins the event loop: the relay in this process keeps working meanwhile.
    for (QJsonObject e = client.waitForJson(30'000); !e.isEmpty(); e = client.waitForJson(30'000)) {
        run.events << e;
        const QString event = e.value(QLatin1String("event")).toString();
        if (event == QLatin1String("close") || event == QLatin1String("error"))
            break;
    }
    client.process().waitForFinished(5000);
    return run;
}

void tst_RelayInterop::addPairs()
{
    QTest::addColumn<int>("client");
    QTest::addColumn<int>("server");
    const int node = int(PeerProcess::Runtime::Node), python = int(PeerProcess::Runtime::Python);
    for (int server = 0; server < serverPeers().size(); ++server) {
        for (int client : { node, python }) {
            const QString clientName = client == node ? QStringLiteral("node") : QStringLiteral("python");
            QTest::addRow("%s client -> %s server", qPrintable(clientName), serverPeers()[server].name)
                << client << server;
        }
    }
}

void tst_RelayInterop::exchange_data()
{
    addPairs();
}

// Sizes from empty to 1 MiB across every length form, a ping, and the application's close: each
// echo arrives byte-exact, and the log has every message on both legs, inflated where compressed.
void tst_RelayInterop::exchange()
{
    QFETCH(int, client);
    QFETCH(int, server);
    startRelay(server);
    const QList<qsizetype> sizes { 0, 1, 125, 126, 65535, 65536, 1 << 20 };
    QStringList commands { QStringLiteral("text=") + hex("h\xc3\xa9llo") };
    for (qsizetype size : sizes)
        commands << QStringLiteral("pattern=%1").arg(size);
    commands << QStringLiteral("wait=%1").arg(sizes.size() + 1) << QStringLiteral("ping=0102")
             << QStringLiteral("close=4001,app bye");
    const ClientRun run = runClient(PeerProcess::Runtime(client), QStringLiteral("/exchange"), commands);

    QList<QByteArray> expected { QByteArray("h\xc3\xa9llo") };
    for (qsizetype size : sizes)
        expected << pattern(size);
    QCOMPARE(run.messages(), expected);
    QCOMPARE(run.last("pong").value(QLatin1String("hex")).toString(), QStringLiteral("0102"));
    QCOMPARE(run.last("close").value(QLatin1String("code")).toInt(), 4001);
    QTRY_COMPARE(m_finished, 1);

    // Messages as the log shows them: application leg = what was sent, server leg = the echoes.
    const bool compressed = serverPeers()[server].compresses;
    for (Leg leg : { Leg::App, Leg::Server }) {
        QList<QByteArray> shown;
        for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Frame), leg)) {
            if (Opcode::isControl(e.frame.opcode))
                continue;
            QVERIFY(e.frame.fin); // none of these peers fragments
            QCOMPARE(e.compressed, compressed && e.frame.rsv != 0);
            shown << e.content().toByteArray();
        }
        QCOMPARE(shown, expected);
    }
    QVERIFY(eventsOfKind(*m_capture, EventKind::Violation).isEmpty());
    const auto states = eventsOfKind(*m_capture, EventKind::StateChange);
    QVERIFY(!states.isEmpty());
    const QString closed = states.last().text();
    QVERIFY2(closed.startsWith(QLatin1String("CLOSED: 4001")), qPrintable(closed));
    QVERIFY2(closed.contains(QLatin1String("wasClean=true, application closed first")), qPrintable(closed));
    const auto pings = onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::App);
    QVERIFY(std::any_of(pings.begin(), pings.end(), [](const WireEvent &e) {
        return e.frame.opcode == Opcode::Ping && e.payload == QByteArrayView("\x01\x02", 2);
    }));
}

void tst_RelayInterop::serverFragmentsAndPings_data()
{
    addPairs();
}

// The server fragments a message and pings the application; the application's pong goes back.
void tst_RelayInterop::serverFragmentsAndPings()
{
    QFETCH(int, client);
    QFETCH(int, server);
    startRelay(server);
    const QByteArray text = "fragments \xe2\x82\xac across the relay";
    const ClientRun run = runClient(PeerProcess::Runtime(client), QStringLiteral("/fragments"),
        { QStringLiteral("text=") + hex("cmd:fragment:5:" + text),
            QStringLiteral("text=") + hex("cmd:ping:are you there"), QStringLiteral("wait=2"),
            QStringLiteral("close=1000") });
    QCOMPARE(run.messages(), (QList<QByteArray> { text, "pong:are you there" }));
    QTRY_COMPARE(m_finished, 1);
    const auto serverFrames = onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::Server);
    qsizetype fragmentIndex = -1;
    for (qsizetype i = 0; i < m_capture->count(); ++i) {
        const WireEvent e = m_capture->event(i);
        if (e.kind == EventKind::Frame && e.leg == Leg::Server && e.frame.opcode == Opcode::Continuation && e.frame.fin)
            fragmentIndex = i;
    }
    QVERIFY(fragmentIndex >= 0);
    const Capture::Message message = m_capture->message(fragmentIndex);
    QCOMPARE(message.payload, text);
    QVERIFY(message.frames > 1);
    QVERIFY(std::any_of(serverFrames.begin(), serverFrames.end(), [](const WireEvent &e) {
        return e.frame.opcode == Opcode::Ping && e.payload == QByteArrayView("are you there");
    }));
    const auto appFrames = onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::App);
    QVERIFY(std::any_of(appFrames.begin(), appFrames.end(), [](const WireEvent &e) {
        return e.frame.opcode == Opcode::Pong && e.payload == QByteArrayView("are you there");
    }));
    QVERIFY(eventsOfKind(*m_capture, EventKind::Violation).isEmpty());
}

void tst_RelayInterop::serverClosesFirst_data()
{
    QTest::addColumn<int>("client");
    QTest::addColumn<int>("server");
    QTest::addColumn<int>("code");
    QTest::addRow("node client, python server, 1001") << int(PeerProcess::Runtime::Node) << 2 << 1001;
    QTest::addRow("python client, node server, 4999") << int(PeerProcess::Runtime::Python) << 0 << 4999;
    QTest::addRow("node client, node server, 1012") << int(PeerProcess::Runtime::Node) << 1 << 1012;
}

void tst_RelayInterop::serverClosesFirst()
{
    QFETCH(int, client);
    QFETCH(int, server);
    QFETCH(int, code);
    startRelay(server);
    const ClientRun run = runClient(PeerProcess::Runtime(client), QStringLiteral("/server-closes"),
        { QStringLiteral("text=") + hex(QStringLiteral("cmd:close:%1:server bye").arg(code).toUtf8()),
            QStringLiteral("wait=1") });
    QCOMPARE(run.last("close").value(QLatin1String("code")).toInt(), code);
    QTRY_COMPARE(m_finished, 1);
    const QString closed = eventsOfKind(*m_capture, EventKind::StateChange).last().text();
    QVERIFY2(closed.startsWith(QStringLiteral("CLOSED: %1").arg(code)), qPrintable(closed));
    QVERIFY2(closed.contains(QLatin1String("wasClean=true, server closed first")), qPrintable(closed));
}

void tst_RelayInterop::non101AnswerReachesTheApplication()
{
    startRelay(2); // python: /reject... is answered 403
    const ClientRun run = runClient(PeerProcess::Runtime::Node, QStringLiteral("/reject-me"), {});
    QVERIFY2(run.last("error").value(QLatin1String("message")).toString().contains(QLatin1String("403")),
        qPrintable(run.last("error").value(QLatin1String("message")).toString()));
    QTRY_COMPARE(m_finished, 1);
    // ws drops the connection as soon as it reads the status line; the relay still reads the
    // server's whole answer for the log. What the application did receive depends on that race.
    const auto responses = eventsOfKind(*m_capture, EventKind::HandshakeResponse);
    QVERIFY(!responses.isEmpty());
    QCOMPARE(responses[0].leg, Leg::Server);
    QVERIFY(responses[0].payload.startsWith("HTTP/1.1 403"));
    QVERIFY2(
        responses[0].payload.endsWith("rejected by the test server\n"), responses[0].payload.toByteArray().constData());
    if (responses.size() > 1) {
        QCOMPARE(responses[1].leg, Leg::App);
        QCOMPARE(responses[1].payload.toByteArray(), responses[0].payload.toByteArray());
    }
}

// A server that breaks RFC 6455: its frames reach the application as sent (the application's own
// library rejects them), and the relay names the violation on the server leg.
void tst_RelayInterop::hostileFramesReachTheApplication()
{
    startRelay(0);
    const ClientRun run = runClient(PeerProcess::Runtime::Node, QStringLiteral("/hostile"),
        { QStringLiteral("text=") + hex("cmd:raw:a20141"), QStringLiteral("wait=1") });
    // ws names the reserved bit it saw: the frame arrived unchanged.
    const QString error = run.last("error").value(QLatin1String("message")).toString();
    const QJsonObject close = run.last("close");
    QVERIFY2(error.contains(QLatin1String("RSV2")) || close.value(QLatin1String("code")).toInt() == 1006
            || close.value(QLatin1String("code")).toInt() == 1002,
        qPrintable(error));
    QTRY_COMPARE(m_finished, 1);
    const auto violations = eventsOfKind(*m_capture, EventKind::Violation);
    QVERIFY(!violations.isEmpty());
    QCOMPARE(violations.first().leg, Leg::Server);
    QCOMPARE(violations.first().violation, ViolationRule::ReservedBitsSet);
    // node-ws answers with a close 1002 of its own, which the relay carried to the server.
    const auto appFrames = onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::App);
    QVERIFY(std::any_of(appFrames.begin(), appFrames.end(),
        [](const WireEvent &e) { return e.frame.opcode == Opcode::Close && e.payload.startsWith("\x03\xea"); }));
}

void tst_RelayInterop::serverDropsMidFrame()
{
    startRelay(0);
    const ClientRun run = runClient(PeerProcess::Runtime::Python, QStringLiteral("/drop"),
        { QStringLiteral("text=") + hex("cmd:drop:827e0100010203"), QStringLiteral("wait=1") });
    QVERIFY(!run.last("error").isEmpty() || run.last("close").value(QLatin1String("code")).toInt() == 1006);
    QTRY_COMPARE(m_finished, 1);
    const QString closed = eventsOfKind(*m_capture, EventKind::StateChange).last().text();
    QVERIFY2(closed.contains(QLatin1String("server dropped the connection first")), qPrintable(closed));
    bool midFrame = false;
    for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Error), Leg::Server))
        midFrame = midFrame || e.text().contains(QLatin1String("in the middle of a frame: 7 bytes"));
    QVERIFY(midFrame);
}

void tst_RelayInterop::rulesChangeMessagesInFlight_data()
{
    addPairs();
}

// Match and replace rules between real peers, each way: the server gets the changed message (its
// echo shows it), the application gets the echo changed again, a fragmented message is changed as
// a whole, binary bytes by hex. Compression is not offered, so even servers that would compress
// talk plainly. The log has each original, each delivered version and a note naming the rules.
void tst_RelayInterop::rulesChangeMessagesInFlight()
{
    QFETCH(int, client);
    QFETCH(int, server);
    QString error;
    const std::optional<MessageRules> rules = MessageRules::fromJson(R"J([
        {"direction": "to-server", "type": "text", "match": "secret", "replace": "public"},
        {"direction": "to-app", "type": "regex", "match": "pub(lic)", "replace": "PUB\\1"},
        {"direction": "to-server", "type": "hex", "match": "0102", "replace": "ff"}])J",
        &error);
    QVERIFY2(rules, qPrintable(error));
    startRelay(server, std::make_shared<const MessageRules>(*rules));
    const QStringList commands { QStringLiteral("text=") + hex("my secret"), QStringLiteral("binary=00010203"),
        QStringLiteral("text=") + hex("cmd:fragment:3:public info"), QStringLiteral("text=") + hex("untouched"),
        QStringLiteral("wait=4"), QStringLiteral("close=1000") };
    const ClientRun run = runClient(PeerProcess::Runtime(client), QStringLiteral("/rules"), commands);
    QCOMPARE(run.messages(),
        (QList<QByteArray> { "my PUBlic", QByteArray::fromHex("00ff03"), "PUBlic info", "untouched" }));
    QTRY_COMPARE(m_finished, 1);

    // Asked without compression, whatever the server would have agreed to.
    const QList<WireEvent> requests = onLeg(eventsOfKind(*m_capture, EventKind::HandshakeRequest), Leg::Server);
    QCOMPARE(requests.size(), 1);
    QVERIFY(!requests.first().payload.contains("Sec-WebSocket-Extensions"));
    QVERIFY(eventsOfKind(*m_capture, EventKind::Violation).isEmpty());

    // What each peer sent, and what the relay delivered instead.
    auto payloads = [this](Leg leg, Direction direction) {
        QList<QByteArray> out;
        for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Frame), leg))
            if (e.direction == direction && !Opcode::isControl(e.frame.opcode))
                out << e.payload.toByteArray();
        return out;
    };
    QCOMPARE(payloads(Leg::App, Direction::Incoming),
        (QList<QByteArray> { "my secret", QByteArray::fromHex("00010203"), "cmd:fragment:3:public info", "untouched" }));
    QCOMPARE(payloads(Leg::Server, Direction::Outgoing), (QList<QByteArray> { "my public", QByteArray::fromHex("00ff03") }));
    const QList<QByteArray> fromServer = payloads(Leg::Server, Direction::Incoming);
    QCOMPARE(fromServer.first(), QByteArray("my public"));
    QCOMPARE(fromServer.join(), QByteArray("my public") + QByteArray::fromHex("00ff03") + "public info" + "untouched");
    QCOMPARE(payloads(Leg::App, Direction::Outgoing), (QList<QByteArray> { "my PUBlic", "PUBlic info" }));
    for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::Server))
        if (e.direction == Direction::Outgoing)
            QVERIFY(e.frame.masked); // toward the server, as RFC 6455 requires of a client
    QList<QList<int>> noted;
    for (const WireEvent &e : eventsOfKind(*m_capture, EventKind::Intercept)) {
        const std::optional<InterceptNote> note = InterceptNote::fromJson(e.payload);
        QVERIFY(note);
        if (note->action == InterceptNote::Action::Edited && note->message != 0)
            noted << note->rules;
    }
    // The echoes cross the application's later messages: the order of the notes is the peers'.
    std::sort(noted.begin(), noted.end());
    QCOMPARE(noted, (QList<QList<int>> { { 1 }, { 2 }, { 2 }, { 3 } }));
}

namespace {
// Plays the user at the Intercept pane: turns intercept on toward the server as soon as the
// connection opens, and hands each Held note to `onHeld`, outside the relay's own call.
struct InterceptUser : WireEventSink {
    RelaySession *session = nullptr;
    std::function<void(const InterceptNote &)> onHeld;
    QList<InterceptNote> notes;
    void record(const WireEvent &e) override
    {
        if (e.kind == EventKind::StateChange && e.state == ReadyState::Open && session)
            QVERIFY(session->setIntercept(Leg::App, true));
        if (e.kind != EventKind::Intercept)
            return;
        const InterceptNote note = *InterceptNote::fromJson(e.payload);
        notes << note;
        if (note.action == InterceptNote::Action::Held && onHeld)
            QTimer::singleShot(0, [this, note] { onHeld(note); });
    }
    QStringList actions() const
    {
        QStringList out;
        for (const InterceptNote &n : notes)
            out << QString::fromLatin1(InterceptNote::actionKey(n.action)) + QString::number(n.hold);
        return out;
    }
};
} // namespace

void tst_RelayInterop::interceptHoldEditDropInject_data()
{
    addPairs();
}

// Three messages from a real client held on their way to a real server: the first forwarded
// edited, the second dropped, the third forwarded as it came, and a message injected toward the
// client. The client receives exactly what the log shows was delivered to it.
void tst_RelayInterop::interceptHoldEditDropInject()
{
    QFETCH(int, client);
    QFETCH(int, server);
    startRelay(server, {}, true);
    InterceptUser user;
    connect(m_relay.get(), &RelayServer::sessionStarted, this, [&user](RelaySession *session) {
        user.session = session;
        session->addSink(&user);
    });
    user.onHeld = [&user](const InterceptNote &note) {
        if (note.hold != 3)
            return;
        FrameSpec injected;
        injected.opcode = Opcode::Text;
        injected.mask = false;
        injected.payload = "injected";
        QVERIFY(user.session->inject(Leg::App, injected));
        QVERIFY(user.session->forwardHeld(Leg::App, 1, QByteArray("ONE")));
        QVERIFY(user.session->dropHeld(Leg::App, 2));
        QVERIFY(user.session->forwardHeld(Leg::App, 3));
        QVERIFY(!user.session->forwardHeld(Leg::App, 2)); // dropped: gone
    };
    const ClientRun run = runClient(PeerProcess::Runtime(client), QStringLiteral("/intercept"),
        { QStringLiteral("text=") + hex("one"), QStringLiteral("text=") + hex("two"), QStringLiteral("text=") + hex("three"),
            QStringLiteral("wait=3"), QStringLiteral("close=1000") });
    QCOMPARE(run.messages(), (QList<QByteArray> { "injected", "ONE", "three" }));
    QTRY_COMPARE(m_finished, 1);

    QCOMPARE(user.actions(),
        (QStringList { QStringLiteral("edited0"), // the request's extension offer, left out
            QStringLiteral("held1"), QStringLiteral("held2"), QStringLiteral("held3"),
            QStringLiteral("injected0"), QStringLiteral("edited1"), QStringLiteral("dropped2"),
            QStringLiteral("forwarded3") }));
    auto outgoing = [this](Leg leg) {
        QList<QByteArray> out;
        for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Frame), leg))
            if (e.direction == Direction::Outgoing && !Opcode::isControl(e.frame.opcode))
                out << e.payload.toByteArray();
        return out;
    };
    QCOMPARE(outgoing(Leg::Server), QList<QByteArray> { "ONE" }); // "three" went as its own bytes
    QCOMPARE(outgoing(Leg::App), QList<QByteArray> { "injected" });
    QList<QByteArray> fromServer;
    for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::Server))
        if (e.direction == Direction::Incoming && !Opcode::isControl(e.frame.opcode))
            fromServer << e.payload.toByteArray();
    QCOMPARE(fromServer, (QList<QByteArray> { "ONE", "three" }));
}

// The user disconnects while a message is held: the log lists it as never delivered.
void tst_RelayInterop::heldMessagesAtTheEndAreReported()
{
    startRelay(0, {}, true);
    InterceptUser user;
    connect(m_relay.get(), &RelayServer::sessionStarted, this, [&user](RelaySession *session) {
        user.session = session;
        session->addSink(&user);
    });
    user.onHeld = [&user](const InterceptNote &) { user.session->abort(QStringLiteral("the user disconnected")); };
    const ClientRun run = runClient(PeerProcess::Runtime::Node, QStringLiteral("/leaving"),
        { QStringLiteral("text=") + hex("never sent"), QStringLiteral("wait=1") });
    QCOMPARE(run.messages(), QList<QByteArray>());
    QTRY_COMPARE(m_finished, 1);
    QCOMPARE(user.actions(),
        (QStringList { QStringLiteral("edited0"), QStringLiteral("held1"), QStringLiteral("undelivered1") }));
    QCOMPARE(user.notes.last().payload, QByteArray("never sent"));
    for (const WireEvent &e : onLeg(eventsOfKind(*m_capture, EventKind::Frame), Leg::Server))
        QVERIFY(Opcode::isControl(e.frame.opcode)); // the server got no data message
}

QTEST_GUILESS_MAIN(tst_RelayInterop)
#include "tst_relayinterop.moc"
