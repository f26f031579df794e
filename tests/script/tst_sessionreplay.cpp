// A replay driven through a window session (SessionReplayTarget): the connection runs on the
// networking thread as the window's do, the messages go through the session, the answers come from
// its capture, and the replay closes the connection once the server is quiet. Against the embedded
// echo server, so the expected answers are known.

#include "net/connectionmanager.h"
#include "net/embeddedserver.h"
#include "protocol/frame.h"
#include "script/replayrunner.h"

#include <QSignalSpy>
#include <QTest>

class tst_SessionReplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replayThroughASession_data();
    void replayThroughASession();
    void sessionThatNeverOpens();
};

namespace {
ReplayScript conversation(const QList<QByteArray> &expectedAnswers)
{
    ReplayScript script;
    script.connectionId = 1;
    script.sends = { { 0, { Opcode::Text, "one" } }, { 50'000, { Opcode::Binary, QByteArray("\x00\xff", 2) } },
                     { 60'000, { Opcode::Text, "three" } } };
    for (const QByteArray &answer : expectedAnswers)
        script.answers.append({ answer.startsWith("bin:") ? quint8(Opcode::Binary) : quint8(Opcode::Text),
                                answer.startsWith("bin:") ? QByteArray::fromHex(answer.mid(4)) : answer });
    return script;
}
} // namespace

void tst_SessionReplay::replayThroughASession_data()
{
    QTest::addColumn<QList<QByteArray>>("recorded");
    QTest::addColumn<QString>("summary");
    QTest::newRow("as recorded") << QList<QByteArray> { "one", "bin:00ff", "three" } << "3 the same, 0 different, 0 missing, 0 extra";
    QTest::newRow("the recording differs") << QList<QByteArray> { "one", "bin:00fe", "three", "four" }
                                           << "2 the same, 1 different, 1 missing, 0 extra";
}

void tst_SessionReplay::replayThroughASession()
{
    QFETCH(QList<QByteArray>, recorded);
    QFETCH(QString, summary);
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    ConnectionOptions options;
    options.url = server.url();
    ClientSession *session = manager.open(options);
    SessionReplayTarget target(session);
    ReplayRunner::Settings settings;
    settings.quietMs = 200;
    ReplayRunner runner(conversation(recorded), &target, settings);
    QSignalSpy finished(&runner, &ReplayRunner::finished);
    runner.start();
    QVERIFY(finished.wait(10'000));
    QCOMPARE(runner.sentCount(), 3);
    QCOMPARE(runner.problem(), QString());
    QCOMPARE(runner.replayed().size(), 3);
    QCOMPARE(runner.replayed().at(1).opcode, quint8(Opcode::Binary));
    QCOMPARE(runner.replayed().at(1).payload, QByteArray("\x00\xff", 2));
    QCOMPARE(runner.diff().summary(), summary);
    // The replay closed it, as the user would: a clean close, not a drop to reconnect after.
    QCOMPARE(session->readyState(), ReadyState::Closed);
    QVERIFY(session->closedByUser());
    QCOMPARE(session->stats().out.messages, 3u);
}

void tst_SessionReplay::sessionThatNeverOpens()
{
    ConnectionManager manager;
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:1/"));
    ClientSession *session = manager.open(options);
    SessionReplayTarget target(session);
    ReplayRunner runner(conversation({ "one" }), &target, {});
    QSignalSpy finished(&runner, &ReplayRunner::finished);
    runner.start();
    QVERIFY(finished.wait(10'000));
    QVERIFY(!runner.opened());
    QVERIFY2(runner.problem().startsWith(QLatin1String("connection failed: connection refused by 127.0.0.1:1")), qPrintable(runner.problem()));
    QCOMPARE(runner.diff().summary(), QStringLiteral("0 the same, 0 different, 1 missing, 0 extra"));
}

QTEST_GUILESS_MAIN(tst_SessionReplay)
#include "tst_sessionreplay.moc"
