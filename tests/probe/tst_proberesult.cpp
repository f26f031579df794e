// The verdict of one probe from what was seen, and how expected and seen are worded, without a
// network: ProbeRunner only fills the fields; every rule of the verdict lives in ProbeResult::judge().

#include "probe/proberesult.h"

#include <QJsonArray>
#include <QtTest>

using Reaction = ProbeResult::Reaction;

namespace {

const QByteArray Kosme = QByteArrayLiteral("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");

ProbeResult seen(const char *id, Reaction reaction)
{
    ProbeResult r;
    r.preset = ProbePresets::byId(QString::fromLatin1(id));
    r.reaction = reaction;
    r.timeoutMs = 2000;
    return r;
}

ProbeResult closed(const char *id, quint16 code, const QByteArray &reason = {})
{
    ProbeResult r = seen(id, Reaction::Close);
    r.closeFrameReceived = true;
    r.closeHasCode = true;
    r.closeCode = code;
    r.closeReason = reason;
    r.closePayloadSize = 2 + int(reason.size());
    r.clean = true;
    return r;
}

ProbeResult echoed(const char *id, const QByteArray &echo, bool complete = true)
{
    ProbeResult r = seen(id, Reaction::Echo);
    r.echo = echo;
    r.echoFrames = 1;
    r.echoComplete = complete;
    return r;
}

} // namespace

class tst_ProbeResult : public QObject {
    Q_OBJECT

private slots:
    void judge_data();
    void judge();
    void describeBytes_data();
    void describeBytes();
    void expectedText_data();
    void expectedText();
    void json();
};

void tst_ProbeResult::judge_data()
{
    QTest::addColumn<ProbeResult>("result");
    QTest::addColumn<bool>("passed");
    QTest::addColumn<QString>("seenText");
    QTest::addColumn<QString>("why");

    QTest::addRow("close with the expected code")
        << closed("rsv1-set", 1002) << true << QStringLiteral("close 1002 Protocol Error")
        << QStringLiteral("answered with close 1002 Protocol Error, as expected");
    QTest::addRow("close with another code")
        << closed("rsv1-set", 1000, "bye") << false << QStringLiteral("close 1000 Normal Closure reason \"bye\"")
        << QStringLiteral("answered with close 1000 Normal Closure reason \"bye\"; expected 1002");
    {
        ProbeResult r = closed("invalid-utf8", 1007);
        r.clean = false;
        QTest::addRow("unclean close still counts")
            << r << true << QStringLiteral("close 1007 Invalid Payload Data (not clean)")
            << QStringLiteral("answered with close 1007 Invalid Payload Data, as expected");
    }
    QTest::addRow("drop where a drop is accepted")
        << seen("rsv1-set", Reaction::Drop) << true << QStringLiteral("drop (TCP closed without a close frame)")
        << QStringLiteral("dropped the TCP connection without a close frame (allowed when failing the connection)");
    QTest::addRow("drop instead of answering a close")
        << seen("data-after-close", Reaction::Drop) << false
        << QStringLiteral("drop (TCP closed without a close frame)")
        << QStringLiteral("dropped the TCP connection instead of answering with a close frame");
    QTest::addRow("nothing") << seen("rsv1-set", Reaction::Nothing) << false << QStringLiteral("nothing within 2000 ms")
                             << QStringLiteral("no close frame and no drop within 2000 ms: the server let it pass");
    QTest::addRow("echo of an invalid frame")
        << echoed("rsv1-set", "Hello") << false << QStringLiteral("echo \"Hello\"")
        << QStringLiteral("sent data back (\"Hello\"): it accepted frames it had to refuse");
    {
        // Echoing first and closing afterwards is still accepting the frame.
        ProbeResult r = closed("data-after-close", 1000);
        r.echo = "Hello";
        r.echoFrames = 1;
        r.echoComplete = true;
        QTest::addRow("echo then the expected close")
            << r << false << QStringLiteral("echo \"Hello\", then close 1000 Normal Closure")
            << QStringLiteral("sent data back (\"Hello\"): it accepted frames it had to refuse");
    }
    {
        ProbeResult r = closed("ping-126-bytes", 1002);
        r.pongs << QByteArray(126, '*');
        QTest::addRow("pong to an oversized ping")
            << r << false << QStringLiteral("pong, then close 1002 Protocol Error")
            << QStringLiteral("answered with a pong: it accepted a ping it had to refuse");
    }
    {
        ProbeResult r = closed("close-empty", 0);
        r.closeHasCode = false;
        r.closePayloadSize = 0;
        QTest::addRow("empty close answers an empty close")
            << r << true << QStringLiteral("close without a status code")
            << QStringLiteral("answered with close without a status code, as expected");
        r.closePayloadSize = 1;
        QTest::addRow("malformed close never matches")
            << r << false << QStringLiteral("malformed close (1-byte payload)")
            << QStringLiteral("answered with malformed close (1-byte payload); expected (empty) or 1000");
    }
    QTest::addRow("1012 answered with 1002")
        << closed("close-code-1012", 1002) << false << QStringLiteral("close 1002 Protocol Error")
        << QStringLiteral("answered with close 1002 Protocol Error; expected 1012 or 1000");
    QTest::addRow("1012 answered with 1000")
        << closed("close-code-1012", 1000) << true << QStringLiteral("close 1000 Normal Closure")
        << QStringLiteral("answered with close 1000 Normal Closure, as expected");

    QTest::addRow("echo of the split message")
        << echoed("utf8-split-code-point", Kosme) << true << QStringLiteral("echo \"κόσμε\"")
        << QStringLiteral("echoed the message, as a correct server does");
    QTest::addRow("unfinished echo") << echoed("utf8-split-code-point", Kosme.first(3), false) << false
                                     << QStringLiteral("echo hex ce ba e1 (unfinished)")
                                     << QStringLiteral("sent back hex ce ba e1 instead of \"κόσμε\"");
    QTest::addRow("another message back")
        << echoed("utf8-split-code-point", "cosmos") << false << QStringLiteral("echo \"cosmos\"")
        << QStringLiteral("sent back \"cosmos\" instead of \"κόσμε\"");
    QTest::addRow("close instead of echo")
        << closed("utf8-split-code-point", 1007) << false << QStringLiteral("close 1007 Invalid Payload Data")
        << QStringLiteral("closed (close 1007 Invalid Payload Data) instead of echoing a valid message");
    QTest::addRow("drop instead of echo")
        << seen("utf8-split-code-point", Reaction::Drop) << false
        << QStringLiteral("drop (TCP closed without a close frame)")
        << QStringLiteral("dropped the connection instead of echoing a valid message");
    QTest::addRow("no echo") << seen("utf8-split-code-point", Reaction::Nothing) << false
                             << QStringLiteral("nothing within 2000 ms") << QStringLiteral("no echo within 2000 ms");
    {
        ProbeResult r = echoed("ping-between-fragments", "Hello, world");
        r.pongs << "probe";
        QTest::addRow("echo and pong") << r << true << QStringLiteral("echo \"Hello, world\", then pong")
                                       << QStringLiteral("echoed the message, as a correct server does");
    }
    {
        ProbeResult r = seen("rsv1-set", Reaction::HandshakeFailed);
        r.error = QStringLiteral("connection refused");
        QTest::addRow("handshake failed")
            << r << false << QStringLiteral("handshake failed: connection refused")
            << QStringLiteral("the opening handshake failed, so the probe never ran: connection refused");
    }
    {
        ProbeResult r = echoed("rsv1-set", "Hello");
        r.serverViolations << QStringLiteral("reserved-bits-set");
        QTest::addRow("server violations are shown")
            << r << false << QStringLiteral("echo \"Hello\" [server frames broke: reserved-bits-set]")
            << QStringLiteral("sent data back (\"Hello\"): it accepted frames it had to refuse");
    }
}

void tst_ProbeResult::judge()
{
    QFETCH(ProbeResult, result);
    QFETCH(bool, passed);
    QFETCH(QString, seenText);
    QFETCH(QString, why);
    QVERIFY(!result.preset.id.isEmpty());
    result.passed = !passed; // judge() must set it either way
    result.judge();
    QCOMPARE(result.passed, passed);
    QCOMPARE(result.verdictText(), passed ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
    QCOMPARE(result.seenText(), seenText);
    QCOMPARE(result.why, why);
}

void tst_ProbeResult::describeBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << QByteArray() << 60 << QStringLiteral("\"\"");
    QTest::addRow("text") << QByteArrayLiteral("Hello") << 60 << QStringLiteral("\"Hello\"");
    QTest::addRow("escapes") << QByteArrayLiteral("a\"b\\c\n\x7f") << 60 << QStringLiteral("\"a\\\"b\\\\c\\n\\x7f\"");
    QTest::addRow("bidi override") << QByteArray("ok\xe2\x80\xae" "kO") << 60 << QStringLiteral("\"ok\\u202ekO\"");
    QTest::addRow("utf-8") << Kosme << 60 << QStringLiteral("\"κόσμε\"");
    QTest::addRow("shortened") << QByteArray(10, 'r') << 4 << QStringLiteral("\"rrrr\"…");
    // U+1F600 is a surrogate pair in QString: never cut between its halves.
    QTest::addRow("no half surrogate") << QByteArrayLiteral("a\xf0\x9f\x98\x80z") << 2
                                       << QStringLiteral("\"a\U0001F600\"…");
    QTest::addRow("not utf-8") << QByteArrayLiteral("\xff\x00\x01") << 60 << QStringLiteral("hex ff 00 01");
    QTest::addRow("long hex") << QByteArray(30, '\xfe') << 6 << QStringLiteral("hex fe fe … (30 bytes)");
}

void tst_ProbeResult::describeBytes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxChars);
    QFETCH(QString, text);
    QCOMPARE(ProbeResult::describeBytes(bytes, maxChars), text);
}

void tst_ProbeResult::expectedText_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("text");
    QTest::addRow("rsv") << QStringLiteral("rsv1-set") << QStringLiteral("close 1002 or drop");
    QTest::addRow("utf-8") << QStringLiteral("invalid-utf8") << QStringLiteral("close 1007 or drop");
    QTest::addRow("data after close") << QStringLiteral("data-after-close") << QStringLiteral("close 1000");
    QTest::addRow("empty close") << QStringLiteral("close-empty") << QStringLiteral("close (empty) or 1000");
    QTest::addRow("private use") << QStringLiteral("close-code-4000") << QStringLiteral("close 4000 or 1000");
    QTest::addRow("echo") << QStringLiteral("ping-between-fragments") << QStringLiteral("echo \"Hello, world\"");
}

void tst_ProbeResult::expectedText()
{
    QFETCH(QString, id);
    QFETCH(QString, text);
    ProbeResult r;
    r.preset = ProbePresets::byId(id);
    QCOMPARE(r.expectedText(), text);
}

void tst_ProbeResult::json()
{
    ProbeResult r = closed("close-code-1012", 1002, "Invalid close code");
    r.elapsedMs = 3;
    r.judge();
    const QJsonObject o = r.toJson();
    QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("close-code-1012"));
    QCOMPARE(o.value(QStringLiteral("rfcSection")).toString(), QStringLiteral("7.4.2"));
    QCOMPARE(o.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    const QJsonObject expected = o.value(QStringLiteral("expected")).toObject();
    QCOMPARE(expected.value(QStringLiteral("kind")).toString(), QStringLiteral("close"));
    QCOMPARE(expected.value(QStringLiteral("closeCodes")).toArray(), (QJsonArray { 1012, 1000 }));
    QCOMPARE(expected.value(QStringLiteral("dropAccepted")).toBool(), false);
    const QJsonObject s = o.value(QStringLiteral("seen")).toObject();
    QCOMPARE(s.value(QStringLiteral("reaction")).toString(), QStringLiteral("close"));
    QCOMPARE(s.value(QStringLiteral("closeCode")).toInt(), 1002);
    QCOMPARE(s.value(QStringLiteral("closeReason")).toString(), QStringLiteral("Invalid close code"));
    QCOMPARE(s.value(QStringLiteral("clean")).toBool(), true);
    QCOMPARE(s.value(QStringLiteral("elapsedMs")).toInt(), 3);
    QVERIFY(!s.contains(QStringLiteral("echoHex")));

    ProbeResult e = echoed("utf8-split-code-point", Kosme);
    e.judge();
    const QJsonObject eo = e.toJson();
    QCOMPARE(eo.value(QStringLiteral("expected")).toObject().value(QStringLiteral("echoHex")).toString(),
        QStringLiteral("cebae1bdb9cf83cebcceb5"));
    QCOMPARE(eo.value(QStringLiteral("seen")).toObject().value(QStringLiteral("echoHex")).toString(),
        QStringLiteral("cebae1bdb9cf83cebcceb5"));
    QCOMPARE(eo.value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
}

QTEST_GUILESS_MAIN(tst_ProbeResult)
#include "tst_proberesult.moc"
