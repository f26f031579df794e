#include "probe/conformancecatalogue.h"
#include "probe/conformanceresult.h"

#include <QJsonArray>
#include <QTest>

using namespace Conformance;

Q_DECLARE_METATYPE(Conformance::Observation)
Q_DECLARE_METATYPE(Conformance::Verdict)
Q_DECLARE_METATYPE(Conformance::CloseVerdict)
Q_DECLARE_METATYPE(Conformance::TesterRole)

namespace {

// The tester closed politely with 1000 and the peer answered and closed TCP.
Observation closedCleanly(QList<Event> events, quint16 peerCode = 1000)
{
    Observation o;
    o.opened = true;
    o.events = std::move(events);
    o.closedByTester = true;
    o.peerCloseFrame = true;
    o.peerCloseHasCode = true;
    o.peerCloseCode = peerCode;
    o.wasClean = true;
    return o;
}

// The peer failed the connection with `code` (0: dropped TCP without a close frame).
Observation peerFailed(quint16 code, QList<Event> events = {})
{
    Observation o;
    o.opened = true;
    o.events = std::move(events);
    o.closedByTester = false;
    o.peerCloseFrame = code != 0;
    o.peerCloseHasCode = code != 0;
    o.peerCloseCode = code;
    o.wasClean = code != 0;
    return o;
}

// The tester had to drop the connection: the peer never reacted.
Observation testerDropped(QList<Event> events = {})
{
    Observation o;
    o.opened = true;
    o.events = std::move(events);
    o.closedByTester = true;
    o.droppedByTester = true;
    return o;
}

} // namespace

class tst_ConformanceResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void judge_data();
    void judge();
    void neverOpened();
    void timedCase();
    void deflateCase();
    void json();
};

void tst_ConformanceResult::judge_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<Observation>("seen");
    QTest::addColumn<TesterRole>("role");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<CloseVerdict>("closeVerdict");
    QTest::addColumn<QString>("resultStart");

    const TesterRole client = TesterRole::Client;
    const Event hello = Event::text("Hello, world!");
    QTest::addRow("echo, clean close") << "1.1.2" << closedCleanly({ Event::text(QByteArray(125, '*')) }) << client
                                       << Verdict::Ok << CloseVerdict::Ok << "What came back is what the case expects";
    QTest::addRow("wrong echo") << "1.1.2" << closedCleanly({ Event::text("*") }) << client << Verdict::Failed
                                << CloseVerdict::Ok << "What came back (text message 1 byte";
    QTest::addRow("echo as binary") << "1.1.2" << closedCleanly({ Event::binaryMessage(QByteArray(125, '*')) }) << client
                                    << Verdict::Failed << CloseVerdict::Ok << "What came back (binary message";
    {
        Observation o = closedCleanly({ Event::text(QByteArray(125, '*')) });
        o.wasClean = false; // the peer never answered the close
        o.peerCloseFrame = false;
        o.peerCloseHasCode = false;
        o.droppedByTester = true;
        QTest::addRow("close not answered") << "1.1.2" << o << client << Verdict::Ok << CloseVerdict::Unclean
                                            << "What came back is what the case expects";
    }
    QTest::addRow("RSV: echo then 1002") << "3.2" << peerFailed(1002, { hello }) << client << Verdict::Ok
                                         << CloseVerdict::Ok << "What came back is what the case expects";
    QTest::addRow("RSV: 1002 before the echo") << "3.2" << peerFailed(1002) << client << Verdict::NonStrict
                                               << CloseVerdict::Ok << "What came back is allowed but not strict";
    QTest::addRow("RSV: dropped TCP") << "3.1" << peerFailed(0) << client << Verdict::Ok << CloseVerdict::Ok
                                      << "What came back is what the case expects";
    QTest::addRow("RSV: wrong code") << "3.1" << peerFailed(1000) << client << Verdict::Ok << CloseVerdict::WrongCode
                                     << "What came back is what the case expects";
    QTest::addRow("RSV: ignored") << "3.1" << testerDropped() << client << Verdict::Ok << CloseVerdict::Failed
                                  << "What came back is what the case expects";
    QTest::addRow("invalid UTF-8 ignored fails the case")
        << "6.3.1" << testerDropped() << client << Verdict::Failed << CloseVerdict::Failed
        << "The peer did not fail the connection: it never noticed the invalid UTF-8";
    QTest::addRow("invalid UTF-8 refused") << "6.3.1" << peerFailed(1007) << client << Verdict::Ok << CloseVerdict::Ok
                                           << "What came back is what the case expects";
    QTest::addRow("fail fast") << "6.4.1" << peerFailed(1007, { Event::timeout("A") }) << client << Verdict::Ok
                               << CloseVerdict::Ok << "What came back is what the case expects";
    QTest::addRow("fail late") << "6.4.1" << peerFailed(1007, { Event::timeout("A"), Event::timeout("B") }) << client
                               << Verdict::NonStrict << CloseVerdict::Ok << "What came back is allowed but not strict";
    QTest::addRow("valid close code echoed") << "7.7.10" << closedCleanly({}, 3000) << client << Verdict::Ok
                                             << CloseVerdict::Ok << "What came back is what the case expects";
    QTest::addRow("section 7: wrong code fails the case") << "7.7.1" << closedCleanly({}, 1002) << client
                                                          << Verdict::Failed << CloseVerdict::WrongCode
                                                          << "The peer's close code 1002";
    QTest::addRow("section 7: invalid code accepted") << "7.9.3" << closedCleanly({}, 1004) << client << Verdict::Failed
                                                      << CloseVerdict::WrongCode << "The peer's close code 1004";
    {
        Observation o = closedCleanly({}, 1002);
        o.droppedByTester = true; // the server left TCP open after the closing handshake
        o.wasClean = false;
        QTest::addRow("server keeps TCP open") << "7.9.3" << o << client << Verdict::Ok << CloseVerdict::FailedByClient
                                               << "What came back is what the case expects";
        QTest::addRow("client keeps TCP open, the tester is the server")
            << "7.9.3" << o << TesterRole::Server << Verdict::Ok << CloseVerdict::Ok << "What came back is";
    }
    QTest::addRow("informational never fails") << "7.13.1" << testerDropped() << client << Verdict::Informational
                                               << CloseVerdict::Informational << "Left open by the spec";
    {
        Observation o = closedCleanly({ Event::text(QByteArray(125, '*')) });
        o.peerViolations = { QStringLiteral("reserved-bits-set") };
        QTest::addRow("the peer's own frames broke a rule")
            << "1.1.2" << o << client << Verdict::Failed << CloseVerdict::Ok
            << "The peer's own frames broke RFC 6455: reserved-bits-set";
    }
}

void tst_ConformanceResult::judge()
{
    QFETCH(QString, id);
    QFETCH(Observation, seen);
    QFETCH(TesterRole, role);
    QFETCH(Verdict, verdict);
    QFETCH(CloseVerdict, closeVerdict);
    QFETCH(QString, resultStart);
    const Case *c = ConformanceCatalogue::byId(id);
    QVERIFY(c);
    const CaseResult r = Conformance::judge(*c, seen, role);
    QCOMPARE(r.id, id);
    QCOMPARE(verdictName(r.verdict), verdictName(verdict));
    QCOMPARE(closeVerdictName(r.closeVerdict), closeVerdictName(closeVerdict));
    QVERIFY2(r.result.startsWith(resultStart), qPrintable(r.result));
    QVERIFY(!r.resultClose.isEmpty());
}

void tst_ConformanceResult::neverOpened()
{
    Observation o;
    o.handshakeError = QStringLiteral("connection refused");
    const CaseResult r = Conformance::judge(*ConformanceCatalogue::byId(QStringLiteral("2.1")), o, TesterRole::Client);
    QCOMPARE(r.verdict, Verdict::Failed);
    QCOMPARE(r.closeVerdict, CloseVerdict::Failed);
    QCOMPARE(r.result, QStringLiteral("The opening handshake never completed: connection refused"));
}

void tst_ConformanceResult::timedCase()
{
    const Case *c = ConformanceCatalogue::byId(QStringLiteral("9.7.3"));
    Observation o = closedCleanly({});
    o.roundTrips = 1000;
    o.workloadComplete = true;
    o.durationMs = 812;
    CaseResult r = Conformance::judge(*c, o, TesterRole::Client);
    QCOMPARE(r.verdict, Verdict::Ok);
    QVERIFY(r.reportTime);
    QCOMPARE(r.result, QStringLiteral("All 1000 message(s) came back unchanged in 812 ms."));
    o.workloadComplete = false;
    o.workloadProblem = QStringLiteral("Message 3 came back changed: 1 bytes instead of 64.");
    r = Conformance::judge(*c, o, TesterRole::Client);
    QCOMPARE(r.verdict, Verdict::Failed);
    QCOMPARE(r.result, o.workloadProblem);
}

void tst_ConformanceResult::deflateCase()
{
    const Case *c = ConformanceCatalogue::byId(QStringLiteral("13.5.1"));
    // Declined: unimplemented, whatever else happened.
    Observation o = closedCleanly({});
    CaseResult r = Conformance::judge(*c, o, TesterRole::Client);
    QCOMPARE(r.verdict, Verdict::Unimplemented);
    QCOMPARE(r.result, QStringLiteral("The peer declined permessage-deflate."));
    QCOMPARE(r.closeVerdict, CloseVerdict::Ok);
    // Agreed, all back: the ratio each way, and what was agreed.
    o.extensions = "permessage-deflate; server_no_context_takeover";
    o.roundTrips = 1000;
    o.workloadComplete = true;
    o.durationMs = 300;
    o.messageBytesOut = o.messageBytesIn = 16000;
    o.wireBytesOut = 16900;
    o.wireBytesIn = 8000;
    r = Conformance::judge(*c, o, TesterRole::Client);
    QCOMPARE(r.verdict, Verdict::Ok);
    QCOMPARE(r.result, QStringLiteral("All 1000 message(s) came back unchanged in 300 ms. Compressed to 105.6% of the "
                                      "messages' size going out, 50.0% coming back (\"permessage-deflate; "
                                      "server_no_context_takeover\")."));
    QCOMPARE(r.toJson().value(QStringLiteral("compression")).toObject().value(QStringLiteral("wireBytesIn")).toInt(), 8000);
    // Agreed, then the peer failed the connection (python websockets with an 8-bit window): says so.
    o.workloadComplete = false;
    o.roundTrips = 0;
    o.closedByTester = false;
    o.peerCloseFrame = o.peerCloseHasCode = true;
    o.peerCloseCode = 1011;
    r = Conformance::judge(*c, o, TesterRole::Client);
    QCOMPARE(r.verdict, Verdict::Failed);
    QCOMPARE(r.result, QStringLiteral("The connection ended after 0 of 1000 messages came back: the peer closed with 1011 Internal Error."));
}

void tst_ConformanceResult::json()
{
    Observation o = peerFailed(1002, { Event::text("Hello, world!"), Event::pong(QByteArray::fromHex("00ff")) });
    o.peerCloseReason = QByteArray::fromHex("ff");
    const CaseResult r = Conformance::judge(*ConformanceCatalogue::byId(QStringLiteral("3.2")), o, TesterRole::Client);
    const QJsonObject j = r.toJson();
    QCOMPARE(j.value(QStringLiteral("case")).toString(), QStringLiteral("3.2"));
    QCOMPARE(j.value(QStringLiteral("behavior")).toString(), QStringLiteral("FAILED"));
    QCOMPARE(j.value(QStringLiteral("behaviorClose")).toString(), QStringLiteral("OK"));
    const QJsonArray received = j.value(QStringLiteral("received")).toArray();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received[0].toObject().value(QStringLiteral("data")).toString(), QStringLiteral("Hello, world!"));
    QCOMPARE(received[0].toObject().value(QStringLiteral("binary")).toBool(true), false);
    QCOMPARE(received[1].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
    // Bytes that are not UTF-8 travel as base64, exactly.
    QCOMPARE(received[1].toObject().value(QStringLiteral("dataBase64")).toString(), QStringLiteral("AP8="));
    const QJsonObject close = j.value(QStringLiteral("close")).toObject();
    QCOMPARE(close.value(QStringLiteral("peerCode")).toInt(), 1002);
    QCOMPARE(close.value(QStringLiteral("peerReasonBase64")).toString(), QStringLiteral("/w=="));
}

QTEST_GUILESS_MAIN(tst_ConformanceResult)
#include "tst_conformanceresult.moc"
