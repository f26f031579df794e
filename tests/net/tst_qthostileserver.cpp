// Qt's QWebSocket (the Qt client engine) against the server that breaks the rules on purpose, as
// tst_hostileserver runs the inspector's engine against it. Each row is one fault, then a valid
// text frame "after": QWebSocket either answers the fault (a close frame with a code, or dropping
// TCP) or takes it and delivers "after". The expectations are what Qt 6.4.2 measurably does; where
// that differs from RFC 6455 the row says so, and the README's table is this one. Either way the
// inspector names the rule the server broke, in the same log.

#include "captureevents.h"
#include "log/apicall.h"
#include "log/capture.h"
#include "net/qtclientconnection.h"
#include "protocol/closecodes.h"
#include "rawserver.h"

#include <QSignalSpy>
#include <QTest>

namespace {
const QByteArray Greeting = QByteArray::fromHex("810548656c6c6f"); // "Hello"
const QByteArray After = QByteArray::fromHex("81056166746572"); // "after"

bool delivered(const Capture &capture, const QString &text)
{
    for (const WireEvent &e : eventsOfKind(capture, EventKind::Api)) {
        const std::optional<ApiCall> call = ApiCall::fromJson(e.payload);
        if (call && call->signal == QLatin1String("textMessageReceived") && call->args.size() == 1
            && call->args[0].toString() == text)
            return true;
    }
    return false;
}

// "close 1002", "drop" (TCP closed without a close frame), or "accepted" ("after" delivered).
QString reaction(const RawServer &server, const Capture &capture)
{
    const QList<RawServer::ClientFrame> frames = server.clientFrames();
    for (const RawServer::ClientFrame &frame : frames)
        if (frame.header.opcode == Opcode::Close) {
            const ClosePayload close = ClosePayload::parse(frame.payload);
            return close.hasCode ? QStringLiteral("close %1").arg(close.code) : QStringLiteral("close, no code");
        }
    if (delivered(capture, QStringLiteral("after")))
        return QStringLiteral("accepted");
    return server.clientDisconnected() ? QStringLiteral("drop") : QString();
}
} // namespace

class tst_QtHostileServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void frameFaults_data();
    void frameFaults();
};

void tst_QtHostileServer::frameFaults_data()
{
    QTest::addColumn<QByteArray>("bytes"); // sent after the 101 response and the greeting, before "after"
    QTest::addColumn<QString>("rule"); // what the inspector names
    QTest::addColumn<QString>("rfc"); // what RFC 6455 asks of the client
    QTest::addColumn<QString>("qt"); // what QWebSocket 6.4.2 does, measured

    const QString close1002 = QStringLiteral("close 1002");
    QTest::newRow("reserved opcode 3") << QByteArray::fromHex("8300") << "reserved-opcode" << close1002 << close1002;
    QTest::newRow("RSV1 without extension") << QByteArray::fromHex("c10161") << "reserved-bits-set" << close1002
                                            << close1002;
    QTest::newRow("126-byte ping") << QByteArray::fromHex("897e007e") + QByteArray(126, 'x')
                                   << "control-frame-too-long" << close1002 << close1002;
    QTest::newRow("fragmented ping") << QByteArray::fromHex("0900") << "control-frame-fragmented" << close1002
                                     << close1002;
    QTest::newRow("continuation without start")
        << QByteArray::fromHex("800161") << "continuation-without-start" << close1002 << close1002;
    QTest::newRow("text inside fragmented message") << QByteArray::fromHex("010161"
                                                                           "810162")
                                                    << "data-frame-inside-fragmented-message" << close1002 << close1002;
    QTest::newRow("non-minimal 16-bit length") << QByteArray::fromHex("817e0005") + "Hello" << "non-minimal-length"
                                               << close1002 << close1002;
    QTest::newRow("masked frame from server")
        << QByteArray::fromHex("818537fa213d7f9f4d5158") << "masked-frame-from-server" << close1002 << "accepted";
    QTest::newRow("reserved opcode 11") << QByteArray::fromHex("8b00") << "reserved-opcode" << close1002 << close1002;
    QTest::newRow("RSV3") << QByteArray::fromHex("910161") << "reserved-bits-set" << close1002 << close1002;
    QTest::newRow("non-minimal 64-bit length") << QByteArray::fromHex("827f0000000000000005") + "Hello"
                                               << "non-minimal-length" << close1002 << close1002;
    QTest::newRow("invalid UTF-8 across fragments") << QByteArray::fromHex("0102ceba"
                                                                           "8002e1ff")
                                                    << "invalid-utf8-text" << QStringLiteral("close 1007")
                                                    << QStringLiteral("close 1007");
    QTest::newRow("close payload of 1 byte") << QByteArray::fromHex("880103") << "close-payload-one-byte" << close1002
                                             << close1002;
    QTest::newRow("close code 999") << QByteArray::fromHex("880203e7") << "invalid-close-code" << close1002
                                    << close1002;
    QTest::newRow("close code 5000") << QByteArray::fromHex("88021388") << "invalid-close-code" << close1002
                                     << close1002;
    // Valid on the wire: no rule is broken.
    QTest::newRow("valid UTF-8 split inside a code point") << QByteArray::fromHex("0101ce"
                                                                                  "8004bae1bdb9")
                                                           << QString() << "accepted" << "close 1007";
    // Valid closes: "after" is not sent (it would be data after close); the reply is the reaction.
    QTest::newRow("close code 1012") << QByteArray::fromHex("880203f4") << QString() << "close 1012" << "close 1002";
    QTest::newRow("close code 4000 with reason") << QByteArray::fromHex("88050fa0627965") << QString() << "close 4000"
                                                 << "close 4000";
    QTest::newRow("close without code") << QByteArray::fromHex("8800") << QString() << "close, no code or 1000"
                                        << "close 1000";
    QTest::newRow("invalid UTF-8 text") << QByteArray::fromHex("8102c0af") << "invalid-utf8-text"
                                        << QStringLiteral("close 1007") << QStringLiteral("close 1007");
    QTest::newRow("close code 1005") << QByteArray::fromHex("880203ed") << "invalid-close-code" << close1002
                                     << close1002;
    QTest::newRow("close reason invalid UTF-8") << QByteArray::fromHex("880403e8c0af") << "close-reason-invalid-utf8"
                                                << QStringLiteral("close 1007") << QStringLiteral("close 1007");
}

void tst_QtHostileServer::frameFaults()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, rule);
    QFETCH(QString, qt);

    RawServer server;
    const bool closes = bytes.startsWith('\x88');
    server.onRequest = [bytes, closes](RawServer &s) {
        s.send(s.validResponse() + Greeting + bytes + (closes ? QByteArray() : After));
    };
    QVERIFY(server.listen());
    Capture capture;
    QtClientConnection client(7);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = server.url();
    QVERIFY(client.open(options));
    QTRY_VERIFY_WITH_TIMEOUT(!reaction(server, capture).isEmpty(), 10'000);
    QCOMPARE(reaction(server, capture), qt);

    // The inspector names the fault on the wire, whatever QWebSocket made of it.
    const QList<WireEvent> violations = eventsOfKind(capture, EventKind::Violation);
    if (rule.isEmpty()) {
        QCOMPARE(violations.size(), 0);
        QVERIFY(delivered(capture, QStringLiteral("Hello")));
        client.abort();
        return;
    }
    QVERIFY(!violations.isEmpty());
    QCOMPARE(Violation::ruleId(violations.first().violation), rule);
    QCOMPARE(violations.first().direction, Direction::Incoming);
    // And the greeting before it was delivered and kept.
    QVERIFY(delivered(capture, QStringLiteral("Hello")));
    client.abort();
}

QTEST_GUILESS_MAIN(tst_QtHostileServer)
#include "tst_qthostileserver.moc"
