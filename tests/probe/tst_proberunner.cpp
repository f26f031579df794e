// The "probe the server" run against five servers whose behaviour is known:
//   node-ws   Debian's node-ws 8 (independent), an echo server with its defaults;
//   qt        our embedded server, i.e. Qt 6.4.2's QWebSocketServer, in echo mode;
//   strict    our own FrameParser as a server that fails the connection as RFC 6455 says;
//   lenient   a server that reflects every frame whatever it breaks and never closes (wrong);
//   dropping  a server that drops TCP at the first frame (fine for invalid frames, wrong otherwise).
// Each table row states, per server, the reaction the run must report and its verdict. The node-ws
// and Qt columns are facts about those implementations, checked here so that a change shows.

#include "captureevents.h"
#include "log/capture.h"
#include "net/embeddedserver.h"
#include "probe/proberunner.h"
#include "peerprocess.h"
#include "probetestserver.h"
#include "protocol/closecodes.h"
#include "rawserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <map>
#include <memory>

using Reaction = ProbeResult::Reaction;

namespace {

constexpr int RunTimeout = 60'000;

// "qt" and "inspector": the embedded server on its two engines.
enum Server { NodeWs, QtServer, InspectorServer, Strict, Lenient, Dropping, ServerCount };
const char *const ServerNames[ServerCount] = { "node-ws", "qt", "inspector", "strict", "lenient", "dropping" };

// "<reaction> [close code] PASS|FAIL": the reaction as ProbeResult::reactionName(), the close code
// as ProbeResult::effectiveCloseCode() (1005: a close frame without a code).
struct Row {
    const char *id;
    const char *outcome[ServerCount];
};

// clang-format off
const Row Rows[] = {
    //                                    node-ws               qt                    inspector             strict                lenient          dropping
    { "rsv1-set",                       { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "rsv2-set",                       { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "rsv3-set",                       { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "reserved-opcode-3",              { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "reserved-opcode-7",              { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "reserved-opcode-11",             { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "reserved-opcode-15",             { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    // The lenient server reflects the oversized ping as a ping: nothing counts as an answer.
    { "ping-126-bytes",                 { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "ping-fragmented",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "continuation-without-start",     { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "text-inside-fragmented-message", { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "invalid-utf8",                   { "close 1007 PASS",    "close 1007 PASS",    "close 1007 PASS",    "close 1007 PASS",    "echo FAIL",     "drop PASS" } },
    { "invalid-utf8-in-fragment",       { "close 1007 PASS",    "close 1007 PASS",    "close 1007 PASS",    "close 1007 PASS",    "echo FAIL",     "drop PASS" } },
    // Qt 6.4.2 checks UTF-8 per frame and rejects a code point split across fragments with 1007.
    { "utf8-split-code-point",          { "echo PASS",          "close 1007 FAIL",    "echo PASS",          "echo PASS",          "echo PASS",     "drop FAIL" } },
    { "ping-between-fragments",         { "echo PASS",          "echo PASS",          "echo PASS",          "echo PASS",          "echo PASS",     "drop FAIL" } },
    { "close-1-byte-payload",           { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-999",                 { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-1004",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-1005",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-1006",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-1015",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-1016",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-code-5000",                { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-reason-124-bytes",         { "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "close 1002 PASS",    "nothing FAIL",  "drop PASS" } },
    { "close-reason-invalid-utf8",      { "close 1007 PASS",    "close 1007 PASS",    "close 1007 PASS",    "close 1007 PASS",    "nothing FAIL",  "drop PASS" } },
    // Qt 6.4.2's server does not check the MASK bit: it echoes an unmasked client frame.
    { "unmasked-client-frame",          { "close 1002 PASS",    "echo FAIL",          "close 1002 PASS",    "close 1002 PASS",    "echo FAIL",     "drop PASS" } },
    { "data-after-close",               { "close 1000 PASS",    "close 1000 PASS",    "close 1000 PASS",    "close 1000 PASS",    "echo FAIL",     "drop FAIL" } },
    // node-ws answers an empty close with an empty one; Qt answers it with 1000. Both are correct.
    { "close-empty",                    { "close 1005 PASS",    "close 1000 PASS",    "close 1005 PASS",    "close 1005 PASS",    "nothing FAIL",  "drop FAIL" } },
    // Qt 6.4.2 knows only RFC 6455's list and answers the registered code 1012 with 1002.
    { "close-code-1012",                { "close 1012 PASS",    "close 1002 FAIL",    "close 1012 PASS",    "close 1012 PASS",    "nothing FAIL",  "drop FAIL" } },
    { "close-code-4000",                { "close 4000 PASS",    "close 4000 PASS",    "close 4000 PASS",    "close 4000 PASS",    "nothing FAIL",  "drop FAIL" } },
    // permessage-deflate: node-ws and the inspector's engine accept it; the others do not, so those probes
    // are not applicable.
    { "deflate-small",                  { "echo PASS",          "N/A",                "echo PASS",          "N/A",                "N/A",           "N/A" } },
    { "deflate-small-no-context-takeover", { "echo PASS",       "N/A",                "echo PASS",       "N/A",                "N/A",           "N/A" } },
    { "deflate-1mib",                   { "echo PASS",          "N/A",                "echo PASS",          "N/A",                "N/A",           "N/A" } },
    { "deflate-1mib-no-context-takeover", { "echo PASS",        "N/A",                "echo PASS",        "N/A",                "N/A",           "N/A" } },
    { "deflate-window-bits-9",          { "echo PASS",          "N/A",                "echo PASS",          "N/A",                "N/A",           "N/A" } },
    { "deflate-window-bits-15",         { "echo PASS",          "N/A",                "echo PASS",          "N/A",                "N/A",           "N/A" } },
    { "deflate-fragmented",             { "echo PASS",          "N/A",                "echo PASS",          "N/A",                "N/A",           "N/A" } },
    { "deflate-rsv1-ping",              { "close 1002 PASS",    "N/A",                "close 1002 PASS",    "N/A",                "N/A",           "N/A" } },
    { "deflate-invalid-data",           { "close 1007 PASS",    "N/A",                "close 1007 PASS",    "N/A",                "N/A",           "N/A" } },
};
// clang-format on

Reaction reactionFromName(const QString &name)
{
    for (Reaction r :
        { Reaction::Echo, Reaction::Close, Reaction::Drop, Reaction::Nothing, Reaction::HandshakeFailed }) {
        if (ProbeResult::reactionName(r) == name)
            return r;
    }
    qFatal("bad reaction name in the table: %s", qPrintable(name));
}

QString describe(const ProbeResult &r)
{
    return QStringLiteral("%1: seen %2 -> %3 (%4)").arg(r.preset.id, r.seenText(), r.verdictText(), r.why);
}

} // namespace

class tst_ProbeRunner : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void conformance_data();
    void conformance();
    void everyPresetIsInTheTable();
    void lenientEchoOfRsvIsReportedAsEcho();
    void sentBytesAreThePresetBytes();
    void signalsAndCaptures();
    void timeoutIsNothing();
    void unreachable_data();
    void unreachable();
    void refusesSecondRunAndBadUrl();
    void cancel();

private:
    // Runs every preset against `server` once; later calls return the same runner.
    ProbeRunner *runAll(Server server);
    QUrl urlOf(Server server) const;

    PeerProcess m_node;
    quint16 m_nodePort = 0;
    EmbeddedServer m_qt;
    EmbeddedServer m_inspector;
    ProbeTestServer m_strict { ProbeTestServer::Mode::Strict };
    ProbeTestServer m_lenient { ProbeTestServer::Mode::Lenient };
    ProbeTestServer m_dropping { ProbeTestServer::Mode::Dropping };
    std::map<Server, std::unique_ptr<ProbeRunner>> m_runs;
};

void tst_ProbeRunner::initTestCase()
{
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("net/peers/node_echo_server.js")));
    m_nodePort = m_node.waitForPort();
    QVERIFY(m_nodePort != 0);
    QVERIFY2(m_qt.start(), qPrintable(m_qt.errorString()));
    QCOMPARE(m_qt.mode(), EmbeddedServer::Mode::Echo);
    QCOMPARE(m_qt.engine(), EmbeddedServer::Engine::Qt);
    m_inspector.setEngine(EmbeddedServer::Engine::Inspector);
    QVERIFY2(m_inspector.start(), qPrintable(m_inspector.errorString()));
    QVERIFY(m_strict.listen());
    QVERIFY(m_lenient.listen());
    QVERIFY(m_dropping.listen());
}

QUrl tst_ProbeRunner::urlOf(Server server) const
{
    switch (server) {
    case NodeWs:
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_nodePort));
    case QtServer:
        return m_qt.url();
    case InspectorServer:
        return m_inspector.url();
    case Strict:
        return m_strict.url();
    case Lenient:
        return m_lenient.url();
    case Dropping:
        return m_dropping.url();
    case ServerCount:
        break;
    }
    return {};
}

ProbeRunner *tst_ProbeRunner::runAll(Server server)
{
    auto &slot = m_runs[server];
    if (slot)
        return slot.get();
    slot = std::make_unique<ProbeRunner>();
    ProbeOptions options;
    // The lenient server never closes: every probe that expects a close waits the whole timeout, so
    // keep it short there. Elsewhere a timeout only ends probes where the server stayed silent, and
    // a generous one keeps a busy machine from turning a late close into "nothing".
    options.timeoutMs = server == Lenient ? 300 : 1'500;
    QSignalSpy finished(slot.get(), &ProbeRunner::finished);
    if (!slot->run(urlOf(server), ProbePresets::all(), options))
        qWarning("run refused: %s", qPrintable(slot->errorString()));
    if (!finished.wait(RunTimeout))
        qWarning("the run against %s did not finish", ServerNames[server]);
    return slot.get();
}

void tst_ProbeRunner::conformance_data()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("outcome");
    for (int server = 0; server < ServerCount; ++server) {
        for (const Row &row : Rows) {
            QTest::addRow("%s/%s", ServerNames[server], row.id)
                << server << QString::fromLatin1(row.id) << QString::fromLatin1(row.outcome[server]);
        }
    }
}

void tst_ProbeRunner::conformance()
{
    QFETCH(int, server);
    QFETCH(QString, id);
    QFETCH(QString, outcome);
    ProbeRunner *runner = runAll(Server(server));
    QVERIFY(!runner->isRunning());
    QVERIFY(!runner->unreachable());
    QCOMPARE(runner->results().size(), ProbePresets::all().size());

    qsizetype index = -1;
    for (qsizetype i = 0; i < runner->results().size(); ++i) {
        if (runner->results()[i].preset.id == id)
            index = i;
    }
    QVERIFY(index >= 0);
    const ProbeResult &r = runner->results()[index];
    const QString context = describe(r);
    if (outcome == QLatin1String("N/A")) {
        QVERIFY2(r.notApplicable && !r.passed, qPrintable(context));
        QCOMPARE(r.verdictText(), QStringLiteral("N/A"));
        QVERIFY(r.why.startsWith(QStringLiteral("not applicable: the server did not accept permessage-deflate")));
        return;
    }
    QVERIFY2(!r.notApplicable, qPrintable(context));
    const QStringList parts = outcome.split(QLatin1Char(' '));
    QVERIFY2(r.reaction == reactionFromName(parts.first()), qPrintable(context));
    if (parts.size() == 3)
        QVERIFY2(r.effectiveCloseCode() == parts[1].toUInt(), qPrintable(context));
    QVERIFY2(r.passed == (parts.last() == QLatin1String("PASS")), qPrintable(context));
    QVERIFY(!r.why.isEmpty());
    if (r.passed && r.preset.expected.kind == ProbePresets::Expectation::Kind::Echo)
        QCOMPARE(r.echo, r.preset.expected.echo);
    // Every probe ran on its own connection and its wire log was kept.
    QVERIFY(runner->capture(index));
}

void tst_ProbeRunner::everyPresetIsInTheTable()
{
    const QList<ProbePresets::Preset> presets = ProbePresets::all();
    QCOMPARE(presets.size(), qsizetype(std::size(Rows)));
    for (qsizetype i = 0; i < presets.size(); ++i)
        QCOMPARE(presets[i].id, QString::fromLatin1(Rows[i].id));
}

// The example: a server that echoes a frame with RSV bits set must be reported as failing,
// with the echo as what was seen.
void tst_ProbeRunner::lenientEchoOfRsvIsReportedAsEcho()
{
    ProbeRunner *runner = runAll(Lenient);
    const ProbeResult r = runner->results().value(0);
    QCOMPARE(r.preset.id, QStringLiteral("rsv1-set"));
    QCOMPARE(r.reaction, Reaction::Echo);
    QCOMPARE(r.echo, QByteArrayLiteral("Hello"));
    QCOMPARE(r.echoFrames, 1);
    QVERIFY(!r.passed);
    QVERIFY(!r.closeFrameReceived);
    // The reflected frame carries RSV1 too, which our engine recorded as the server's violation.
    QCOMPARE(r.serverViolations, QStringList { QStringLiteral("reserved-bits-set") });
    QCOMPARE(r.seenText(), QStringLiteral("echo \"Hello\" [server frames broke: reserved-bits-set]"));
    QCOMPARE(r.expectedText(), QStringLiteral("close 1002 or drop"));
    // The probe waited for the timeout: a lenient server never says anything else.
    QVERIFY2(r.elapsedMs >= 300, qPrintable(QString::number(r.elapsedMs)));
}

// What the run put on the wire for each probe is exactly the preset: the outgoing frames in its
// capture, re-masked with their recorded keys, are the preset's bytes.
void tst_ProbeRunner::sentBytesAreThePresetBytes()
{
    ProbeRunner *runner = runAll(NodeWs);
    const QList<ProbePresets::Preset> presets = ProbePresets::all();
    for (qsizetype i = 0; i < presets.size(); ++i) {
        QByteArray expected;
        for (const FrameSpec &spec : presets[i].frames)
            expected += FrameWriter::encode(spec).bytes;
        const Capture *capture = runner->capture(i);
        QVERIFY(capture);
        QByteArray sent;
        // Only the preset's frames: after them the engine may answer the server's close.
        const QList<WireEvent> frames = framesOf(*capture, Direction::Outgoing);
        if (presets[i].deflate) { // compressed as the offer says, and sent only when it was accepted
            QVERIFY2(runner->capture(i)->count() > 0, qPrintable(presets[i].id));
            QVERIFY(eventsOfKind(*capture, EventKind::HandshakeRequest)
                        .first()
                        .payload.toByteArray()
                        .contains("Sec-WebSocket-Extensions: " + presets[i].deflate->extension().text() + "\r\n"));
        }
        QVERIFY2(frames.size() >= presets[i].frames.size(), qPrintable(presets[i].id));
        for (qsizetype f = 0; f < presets[i].frames.size(); ++f) {
            const WireEvent &e = frames[f];
            sent += e.header.toByteArray();
            sent += e.frame.masked ? masked(e.payload, e.frame.maskingKey) : e.payload.toByteArray();
        }
        QVERIFY2(sent == expected, qPrintable(presets[i].id));
        // The handshake came first, on a connection of its own (ids 1..N); the classic probes offer
        // no extension: their RSV expectations hold only when none was negotiated.
        QCOMPARE(eventsOfKind(*capture, EventKind::HandshakeRequest).size(), 1);
        if (!presets[i].deflate)
            QVERIFY(!eventsOfKind(*capture, EventKind::HandshakeRequest).first().payload.toByteArray().contains(
                "Sec-WebSocket-Extensions"));
        QCOMPARE(capture->event(0).connectionId, quint32(i + 1));
    }
}

void tst_ProbeRunner::signalsAndCaptures()
{
    ProbeRunner runner;
    QSignalSpy started(&runner, &ProbeRunner::probeStarted);
    QSignalSpy finishedProbe(&runner, &ProbeRunner::probeFinished);
    QSignalSpy finished(&runner, &ProbeRunner::finished);
    const QList<ProbePresets::Preset> presets
        = { ProbePresets::byId(QStringLiteral("rsv1-set")), ProbePresets::byId(QStringLiteral("utf8-split-code-point")),
              ProbePresets::byId(QStringLiteral("close-code-1012")) };
    QVERIFY(runner.run(m_strict.url(), presets));
    QVERIFY(runner.isRunning());
    QCOMPARE(started.size(), 0); // the first probe starts from the event loop
    QVERIFY(finished.wait(RunTimeout));
    QCOMPARE(finished.size(), 1);
    QVERIFY(!runner.isRunning());
    QCOMPARE(started.size(), 3);
    QCOMPARE(finishedProbe.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(started.at(i).at(0).toInt(), i);
        QCOMPARE(finishedProbe.at(i).at(0).toInt(), i);
        const auto result = finishedProbe.at(i).at(1).value<ProbeResult>();
        QCOMPARE(result.preset.id, presets[i].id);
        QVERIFY2(result.passed, qPrintable(describe(result)));
        QCOMPARE(runner.results().at(i).preset.id, presets[i].id);
    }
    QCOMPARE(runner.results().at(2).closeCode, quint16(1012));
    QVERIFY(runner.results().at(2).clean);

    // The echo probe ended at the echo, then closed politely: the wire log shows our close 1000.
    const Capture *capture = runner.capture(1);
    QVERIFY(capture);
    const QList<WireEvent> out = framesOf(*capture, Direction::Outgoing);
    QCOMPARE(out.size(), 4); // three fragments, then the close
    QCOMPARE(out.last().frame.opcode, quint8(Opcode::Close));
    QCOMPARE(out.last().payload.toByteArray(), FrameWriter::closePayload(1000, {}));
    const QList<WireEvent> in = framesOf(*capture, Direction::Incoming);
    QVERIFY(!in.isEmpty());
    QCOMPARE(in.first().payload.toByteArray(), QByteArrayLiteral("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));
    QVERIFY(!runner.capture(3));
}

void tst_ProbeRunner::timeoutIsNothing()
{
    ProbeRunner runner;
    QSignalSpy finished(&runner, &ProbeRunner::finished);
    ProbeOptions options;
    options.timeoutMs = 200;
    QVERIFY(runner.run(m_lenient.url(), { ProbePresets::byId(QStringLiteral("close-code-999")) }, options));
    QVERIFY(finished.wait(RunTimeout));
    const ProbeResult r = runner.results().value(0);
    QCOMPARE(r.reaction, Reaction::Nothing);
    QVERIFY(!r.passed);
    QCOMPARE(r.timeoutMs, 200);
    QVERIFY2(r.elapsedMs >= 200, qPrintable(QString::number(r.elapsedMs)));
    QCOMPARE(r.seenText(), QStringLiteral("nothing within 200 ms"));
    QCOMPARE(r.why, QStringLiteral("no close frame and no drop within 200 ms: the server let it pass"));
}

void tst_ProbeRunner::unreachable_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addRow("refused") << QStringLiteral("refused");
    QTest::addRow("not a websocket server") << QStringLiteral("403");
}

void tst_ProbeRunner::unreachable()
{
    QFETCH(QString, kind);
    QUrl url;
    RawServer raw;
    if (kind == QLatin1String("refused")) {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(closed.serverPort()));
        closed.close(); // nothing listens there any more
    } else {
        raw.onRequest = [](RawServer &s) {
            s.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            s.closeTcp();
        };
        QVERIFY(raw.listen());
        url = raw.url();
    }
    ProbeRunner runner;
    QSignalSpy finishedProbe(&runner, &ProbeRunner::probeFinished);
    QSignalSpy finished(&runner, &ProbeRunner::finished);
    QVERIFY(runner.run(url, ProbePresets::all()));
    QVERIFY(finished.wait(RunTimeout));
    // The first probe could not open a connection: the run stops instead of failing 30 probes alike.
    QVERIFY(runner.unreachable());
    QCOMPARE(finishedProbe.size(), 1);
    const ProbeResult r = runner.results().value(0);
    QCOMPARE(r.reaction, Reaction::HandshakeFailed);
    QVERIFY(!r.passed);
    QVERIFY(!r.error.isEmpty());
    if (kind == QLatin1String("refused"))
        QVERIFY2(r.error.contains(QLatin1String("refused")), qPrintable(r.error));
    else
        QVERIFY2(r.error.contains(QLatin1String("403")), qPrintable(r.error));
    QVERIFY(r.seenText().startsWith(QLatin1String("handshake failed: ")));
}

void tst_ProbeRunner::refusesSecondRunAndBadUrl()
{
    ProbeRunner runner;
    QVERIFY(!runner.run(QUrl(QStringLiteral("http://127.0.0.1:1/")), ProbePresets::all()));
    QVERIFY2(runner.errorString().contains(QLatin1String("unsupported scheme")), qPrintable(runner.errorString()));
    QVERIFY(!runner.run(m_strict.url(), {}));
    QCOMPARE(runner.errorString(), QStringLiteral("no probes selected"));
    QVERIFY(!runner.isRunning());

    QSignalSpy finished(&runner, &ProbeRunner::finished);
    QVERIFY(runner.run(m_strict.url(), { ProbePresets::byId(QStringLiteral("rsv1-set")) }));
    QVERIFY(!runner.run(m_strict.url(), { ProbePresets::byId(QStringLiteral("rsv1-set")) }));
    QCOMPARE(runner.errorString(), QStringLiteral("a probe run is already in progress"));
    QVERIFY(finished.wait(RunTimeout));
    QCOMPARE(runner.results().size(), 1);
}

void tst_ProbeRunner::cancel()
{
    ProbeRunner runner;
    QSignalSpy started(&runner, &ProbeRunner::probeStarted);
    QSignalSpy finishedProbe(&runner, &ProbeRunner::probeFinished);
    QSignalSpy finished(&runner, &ProbeRunner::finished);
    ProbeOptions options;
    options.timeoutMs = 60'000; // the lenient server never answers: only cancel() ends this probe
    QVERIFY(runner.run(m_lenient.url(), { ProbePresets::byId(QStringLiteral("close-code-999")) }, options));
    QVERIFY(started.wait(RunTimeout));
    QTRY_VERIFY(runner.capture(0) && !framesOf(*runner.capture(0), Direction::Outgoing).isEmpty());
    runner.cancel();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!runner.isRunning());
    QCOMPARE(finishedProbe.size(), 0);
    QVERIFY(runner.results().isEmpty());

    // A new run right after is not disturbed by anything the cancelled one had queued.
    QVERIFY(runner.run(m_strict.url(), { ProbePresets::byId(QStringLiteral("rsv2-set")) }));
    QVERIFY(finished.wait(RunTimeout));
    QCOMPARE(finished.size(), 2);
    QCOMPARE(finishedProbe.size(), 1);
    QVERIFY(runner.results().value(0).passed);
}

QTEST_GUILESS_MAIN(tst_ProbeRunner)
#include "tst_proberunner.moc"
