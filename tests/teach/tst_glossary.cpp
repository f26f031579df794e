#include "protocol/closecodes.h"
#include "teach/glossary.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

// Sentences end with . ! or ? followed by a space or the end of the text. The texts avoid
// abbreviations such as "e.g." so that this count is exact.
int sentenceCount(const QString &text)
{
    static const QRegularExpression end(QStringLiteral("[.!?](\\s|$)"));
    int count = 0;
    auto it = end.globalMatch(text);
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

} // namespace

class tst_Glossary : public QObject {
    Q_OBJECT

private slots:
    void sentenceCounter_data();
    void sentenceCounter();
    void everyEntryIsComplete();
    void idsAreUniqueAndResolve();
    void requiredTopics_data();
    void requiredTopics();
    void closeCodes_data();
    void closeCodes();
    void closeCodeTopicIds_data();
    void closeCodeTopicIds();
    void unknownIds_data();
    void unknownIds();
    void fieldTopics_data();
    void fieldTopics();
    void headerTopics_data();
    void headerTopics();
};

void tst_Glossary::sentenceCounter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("count");
    QTest::addRow("one") << QStringLiteral("One sentence.") << 1;
    QTest::addRow("dotted names") << QStringLiteral("Use ws.close() or Socket.IO over HTTP/1.1 today.") << 1;
    QTest::addRow("three") << QStringLiteral("A. B? C!") << 3;
    QTest::addRow("none") << QStringLiteral("no end") << 0;
}

void tst_Glossary::sentenceCounter()
{
    QFETCH(QString, text);
    QFETCH(int, count);
    QCOMPARE(sentenceCount(text), count);
}

void tst_Glossary::everyEntryIsComplete()
{
    const QList<GlossaryEntry> all = Glossary::entries();
    QVERIFY(all.size() >= 20);
    for (const GlossaryEntry &e : all) {
        QVERIFY2(e.isValid(), qPrintable(e.title));
        QVERIFY2(!e.title.isEmpty(), qPrintable(e.id));
        const int sentences = sentenceCount(e.text);
        QVERIFY2(sentences >= 2 && sentences <= 5,
            qPrintable(QStringLiteral("%1 has %2 sentences").arg(e.id).arg(sentences)));
        QVERIFY2(e.text.endsWith(QLatin1Char('.')), qPrintable(e.id));
        QVERIFY2(e.rfc.contains(QStringLiteral("RFC")), qPrintable(e.id));
        QVERIFY2(!e.inBrowser.isEmpty(), qPrintable(e.id));
        QVERIFY2(!e.inBrowser.contains(QLatin1Char('\n')), qPrintable(e.id));
        QVERIFY2(!hasControlCharacters(e.title + e.text + e.rfc + e.inBrowser), qPrintable(e.id));
    }
}

void tst_Glossary::idsAreUniqueAndResolve()
{
    const QList<GlossaryEntry> all = Glossary::entries();
    const QStringList ids = Glossary::topicIds();
    QCOMPARE(ids.size(), all.size());
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    for (qsizetype i = 0; i < all.size(); ++i) {
        QCOMPARE(all[i].id, ids[i]);
        const GlossaryEntry e = Glossary::entry(ids[i]);
        QCOMPARE(e.id, all[i].id);
        QCOMPARE(e.title, all[i].title);
        QCOMPARE(e.text, all[i].text);
    }
    // The named constants are the ids the list uses.
    for (const QString &id : { QString(Glossary::Events), QString(Glossary::ReadyState), QString(Glossary::SocketIo),
             QString(Glossary::Opcodes), QString(Glossary::PayloadLength), QString(Glossary::WsAndWss) })
        QVERIFY2(ids.contains(id), qPrintable(id));
}

void tst_Glossary::requiredTopics_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("inText"); // each must appear in title + text
    QTest::addColumn<QString>("rfc");
    QTest::addColumn<QString>("inBrowser"); // must appear in the browser line

    QTest::addRow("readyState") << QString(Glossary::ReadyState)
                                << QStringList { QStringLiteral("0 CONNECTING"), QStringLiteral("1 OPEN"),
                                       QStringLiteral("2 CLOSING"), QStringLiteral("3 CLOSED"),
                                       QStringLiteral("open event"), QStringLiteral("close event") }
                                << QStringLiteral("RFC 6455 §4.1, §7.1.3, §7.1.4") << QStringLiteral("ws.readyState");
    QTest::addRow("events") << QString(Glossary::Events)
                            << QStringList { QStringLiteral("open"), QStringLiteral("message"), QStringLiteral("error"),
                                   QStringLiteral("close"), QStringLiteral("101") }
                            << QStringLiteral("RFC 6455 §4.1, §6.2, §7.1.4") << QStringLiteral("ws.onmessage");
    QTest::addRow("bufferedAmount") << QString(Glossary::BufferedAmount)
                                    << QStringList { QStringLiteral("queue"), QStringLiteral("send()") }
                                    << QStringLiteral("RFC 6455 §6.1 (sending data); bufferedAmount itself is defined "
                                                      "by the WHATWG WebSockets Standard")
                                    << QStringLiteral("ws.bufferedAmount");
    QTest::addRow("binaryType") << QString(Glossary::BinaryType)
                                << QStringList { QStringLiteral("\"blob\""), QStringLiteral("\"arraybuffer\""),
                                       QStringLiteral("0x1"), QStringLiteral("0x2") }
                                << QStringLiteral("RFC 6455 §5.6") << QStringLiteral("ws.binaryType");
    QTest::addRow("wasClean") << QString(Glossary::WasClean)
                              << QStringList { QStringLiteral("close frames"), QStringLiteral("1006") }
                              << QStringLiteral("RFC 6455 §7.1.4, §7.1.5") << QStringLiteral("e.wasClean");
    QTest::addRow("close codes") << QString(Glossary::CloseCodesOverview)
                                 << QStringList { QStringLiteral("3000-3999"), QStringLiteral("4000-4999"),
                                        QStringLiteral("123 bytes"), QStringLiteral("1006") }
                                 << QStringLiteral("RFC 6455 §5.5.1, §7.4") << QStringLiteral("ws.close(4000");
    QTest::addRow("1000") << QStringLiteral("close-1000")
                          << QStringList { QStringLiteral("1000 Normal Closure"), QStringLiteral("1005") }
                          << QStringLiteral("RFC 6455 §7.4.1") << QStringLiteral("ws.close(1000");
    QTest::addRow("1001") << QStringLiteral("close-1001")
                          << QStringList { QStringLiteral("1001 Going Away"), QStringLiteral("navigating away") }
                          << QStringLiteral("RFC 6455 §7.4.1") << QStringLiteral("browser");
    QTest::addRow("1006") << QStringLiteral("close-1006")
                          << QStringList { QStringLiteral("1006 Abnormal Closure"), QStringLiteral("never sent"),
                                 QStringLiteral("wasClean is false") }
                          << QStringLiteral("RFC 6455 §7.1.5, §7.4.1") << QStringLiteral("e.code === 1006");
    QTest::addRow("1009") << QStringLiteral("close-1009")
                          << QStringList { QStringLiteral("1009 Message Too Big"), QStringLiteral("maxPayload") }
                          << QStringLiteral("RFC 6455 §7.4.1, §10.4") << QStringLiteral("e.code === 1009");
    QTest::addRow("1011") << QStringLiteral("close-1011")
                          << QStringList { QStringLiteral("1011 Internal Error"), QStringLiteral("exception") }
                          << QStringLiteral("RFC 6455 §7.4.1") << QStringLiteral("e.code === 1011");
    QTest::addRow("subprotocols") << QString(Glossary::Subprotocols)
                                  << QStringList { QStringLiteral("Sec-WebSocket-Protocol"), QStringLiteral("soap"),
                                         QStringLiteral("wamp"), QStringLiteral("STOMP"), QStringLiteral("mqtt"),
                                         QStringLiteral("at most one") }
                                  << QStringLiteral("RFC 6455 §1.9, §4.1, §11.3.4") << QStringLiteral("ws.protocol");
    QTest::addRow("extensions") << QString(Glossary::Extensions)
                                << QStringList { QStringLiteral("permessage-deflate"), QStringLiteral("RSV1"),
                                       QStringLiteral("deflate-frame") }
                                << QStringLiteral("RFC 6455 §5.2, §9; RFC 7692") << QStringLiteral("ws.extensions");
    QTest::addRow("ping/pong") << QString(Glossary::PingPong)
                               << QStringList { QStringLiteral("0x9"), QStringLiteral("0xA"),
                                      QStringLiteral("same payload"), QStringLiteral("125 bytes") }
                               << QStringLiteral("RFC 6455 §5.5.2, §5.5.3") << QStringLiteral("ws.ping()");
    QTest::addRow("masking") << QString(Glossary::Masking)
                             << QStringList { QStringLiteral("XOR"), QStringLiteral("i mod 4"),
                                    QStringLiteral("not encryption") }
                             << QStringLiteral("RFC 6455 §5.3, §10.3") << QStringLiteral("send()");
    QTest::addRow("fragmentation") << QString(Glossary::Fragmentation)
                                   << QStringList { QStringLiteral("FIN"), QStringLiteral("continuation"),
                                          QStringLiteral("0x0") }
                                   << QStringLiteral("RFC 6455 §5.4") << QStringLiteral("onmessage");
    QTest::addRow("closing handshake") << QString(Glossary::ClosingHandshake)
                                       << QStringList { QStringLiteral("0x8"), QStringLiteral("echoing the code"),
                                              QStringLiteral("wasClean true") }
                                       << QStringLiteral("RFC 6455 §1.4, §5.5.1, §7")
                                       << QStringLiteral("ws.close(1000");
    QTest::addRow("origin") << QString(Glossary::Origin)
                            << QStringList { QStringLiteral("not covered by CORS"), QStringLiteral("hijacking") }
                            << QStringLiteral("RFC 6455 §1.6, §4.1, §10.2") << QStringLiteral("origin");
    QTest::addRow("Socket.IO") << QString(Glossary::SocketIo)
                               << QStringList { QStringLiteral("not plain WebSocket"), QStringLiteral("EIO=4"),
                                      QStringLiteral("42[\"chat message\",\"hi\"]") }
                               << QStringLiteral("Not in RFC 6455: Socket.IO is a protocol on top; its WebSocket "
                                                 "connection itself follows RFC 6455")
                               << QStringLiteral("io()");
    QTest::addRow("key and accept") << QString(Glossary::SecWebSocketKey)
                                    << QStringList { QStringLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                           QStringLiteral("SHA-1"), QStringLiteral("base64") }
                                    << QStringLiteral("RFC 6455 §1.3, §4.1, §4.2.2") << QStringLiteral("Network");
}

void tst_Glossary::requiredTopics()
{
    QFETCH(QString, id);
    QFETCH(QStringList, inText);
    QFETCH(QString, rfc);
    QFETCH(QString, inBrowser);

    const GlossaryEntry e = Glossary::entry(id);
    QVERIFY(e.isValid());
    QCOMPARE(e.id, id);
    QVERIFY(Glossary::topicIds().contains(id));
    for (const QString &needle : inText)
        QVERIFY2((e.title + QLatin1Char(' ') + e.text).contains(needle), qPrintable(needle));
    QCOMPARE(e.rfc, rfc);
    QVERIFY2(e.inBrowser.contains(inBrowser), qPrintable(e.inBrowser));
}

void tst_Glossary::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("handWritten");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("rule"); // a sentence the text must contain ("" for hand-written)
    QTest::addColumn<QString>("rfc");
    QTest::addColumn<QString>("inBrowser");

    const QString mayBeSent = QStringLiteral("It may be sent in a close frame.");
    const QString neverSent
        = QStringLiteral("It is never sent in a close frame; an API reports it to describe what happened.");
    const QString invalid = QStringLiteral("It is not valid in a close frame: a strict peer that receives it answers "
                                           "1002 (Protocol Error).");
    const QString scriptsMayNot = QStringLiteral("Seen as e.code in onclose; ws.close(%1) throws (scripts may send "
                                                 "only 1000 and 3000-4999)");

    for (int code : { 1000, 1001, 1006, 1009, 1011 }) {
        QTest::addRow("%d", code) << code << true << CloseCodes::label(quint16(code)) << QString()
                                  << Glossary::entry(QStringLiteral("close-%1").arg(code)).rfc
                                  << Glossary::entry(QStringLiteral("close-%1").arg(code)).inBrowser;
    }
    QTest::addRow("1002") << 1002 << false << QStringLiteral("1002 Protocol Error") << mayBeSent
                          << QStringLiteral("RFC 6455 §7.4.1") << scriptsMayNot.arg(1002);
    QTest::addRow("1005") << 1005 << false << QStringLiteral("1005 No Status Received") << neverSent
                          << QStringLiteral("RFC 6455 §7.4.1") << scriptsMayNot.arg(1005);
    QTest::addRow("1008") << 1008 << false << QStringLiteral("1008 Policy Violation") << mayBeSent
                          << QStringLiteral("RFC 6455 §7.4.1") << scriptsMayNot.arg(1008);
    QTest::addRow("1012") << 1012 << false << QStringLiteral("1012 Service Restart") << mayBeSent
                          << QStringLiteral("IANA WebSocket Close Code Number Registry (RFC 6455 §11.7)")
                          << scriptsMayNot.arg(1012);
    QTest::addRow("1015") << 1015 << false << QStringLiteral("1015 TLS Handshake") << neverSent
                          << QStringLiteral("RFC 6455 §7.4.1") << scriptsMayNot.arg(1015);
    QTest::addRow("3000") << 3000 << false << QStringLiteral("3000 Registered by a library or framework") << mayBeSent
                          << QStringLiteral("RFC 6455 §7.4.2")
                          << QStringLiteral("ws.close(3000, reason) sends it; the peer's onclose sees e.code === 3000");
    QTest::addRow("4999") << 4999 << false << QStringLiteral("4999 Private use") << mayBeSent
                          << QStringLiteral("RFC 6455 §7.4.2")
                          << QStringLiteral("ws.close(4999, reason) sends it; the peer's onclose sees e.code === 4999");
    QTest::addRow("0") << 0 << false << QStringLiteral("0 Unused") << invalid << QStringLiteral("RFC 6455 §7.4.2")
                       << QStringLiteral("ws.close(0) throws InvalidAccessError (scripts may send only 1000 and "
                                         "3000-4999)");
    QTest::addRow("999") << 999 << false << QStringLiteral("999 Unused") << invalid << QStringLiteral("RFC 6455 §7.4.2")
                         << QStringLiteral("ws.close(999) throws InvalidAccessError (scripts may send only 1000 and "
                                           "3000-4999)");
    QTest::addRow("2999") << 2999 << false << QStringLiteral("2999 Reserved for the protocol") << invalid
                          << QStringLiteral("RFC 6455 §7.4.2")
                          << QStringLiteral("ws.close(2999) throws InvalidAccessError (scripts may send only 1000 "
                                            "and 3000-4999)");
    QTest::addRow("5000") << 5000 << false << QStringLiteral("5000 Invalid") << invalid
                          << QStringLiteral("RFC 6455 §7.4.2")
                          << QStringLiteral("ws.close(5000) throws InvalidAccessError (scripts may send only 1000 "
                                            "and 3000-4999)");
    QTest::addRow("65535") << 65535 << false << QStringLiteral("65535 Invalid") << invalid
                           << QStringLiteral("RFC 6455 §7.4.2")
                           << QStringLiteral("ws.close(65535) throws InvalidAccessError (scripts may send only 1000 "
                                             "and 3000-4999)");
}

void tst_Glossary::closeCodes()
{
    QFETCH(int, code);
    QFETCH(bool, handWritten);
    QFETCH(QString, title);
    QFETCH(QString, rule);
    QFETCH(QString, rfc);
    QFETCH(QString, inBrowser);

    const GlossaryEntry e = Glossary::closeCode(quint16(code));
    QVERIFY(e.isValid());
    QCOMPARE(e.id, QStringLiteral("close-%1").arg(code));
    QCOMPARE(Glossary::closeCodeTopic(quint16(code)), e.id);
    QCOMPARE(e.title, title);
    QCOMPARE(e.rfc, rfc);
    QCOMPARE(e.inBrowser, inBrowser);
    QCOMPARE(Glossary::topicIds().contains(e.id), handWritten);
    if (!handWritten) {
        // Generated from the registry: its meaning first, then who may send it.
        QCOMPARE(e.text, CloseCodes::info(quint16(code)).meaning + QLatin1Char(' ') + rule);
    }
    const int sentences = sentenceCount(e.text);
    QVERIFY2(sentences >= 2 && sentences <= 5, qPrintable(e.text));

    const GlossaryEntry byId = Glossary::entry(e.id);
    QCOMPARE(byId.id, e.id);
    QCOMPARE(byId.title, e.title);
    QCOMPARE(byId.text, e.text);
}

void tst_Glossary::closeCodeTopicIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::addRow("1000") << QStringLiteral("close-1000") << true;
    QTest::addRow("0") << QStringLiteral("close-0") << true;
    QTest::addRow("65535") << QStringLiteral("close-65535") << true;
    QTest::addRow("65536") << QStringLiteral("close-65536") << false;
    QTest::addRow("leading zero") << QStringLiteral("close-01000") << false;
    QTest::addRow("plus sign") << QStringLiteral("close-+1000") << false;
    QTest::addRow("empty number") << QStringLiteral("close-") << false;
    QTest::addRow("not a number") << QStringLiteral("close-abc") << false;
    QTest::addRow("negative") << QStringLiteral("close--1") << false;
}

void tst_Glossary::closeCodeTopicIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(Glossary::entry(id).isValid(), valid);
}

void tst_Glossary::unknownIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addRow("empty") << QString();
    QTest::addRow("unknown") << QStringLiteral("no-such-topic");
    QTest::addRow("case differs") << QStringLiteral("Ready-State");
}

void tst_Glossary::unknownIds()
{
    QFETCH(QString, id);
    const GlossaryEntry e = Glossary::entry(id);
    QVERIFY(!e.isValid());
    QVERIFY(e.title.isEmpty());
}

void tst_Glossary::fieldTopics_data()
{
    using FieldId = FrameLayout::FieldId;
    QTest::addColumn<FieldId>("field");
    QTest::addColumn<QString>("topic");
    QTest::addRow("none") << FieldId::None << QString();
    QTest::addRow("FIN") << FieldId::Fin << QString(Glossary::Fragmentation);
    QTest::addRow("RSV1") << FieldId::Rsv1 << QString(Glossary::Extensions);
    QTest::addRow("RSV2") << FieldId::Rsv2 << QString(Glossary::Extensions);
    QTest::addRow("RSV3") << FieldId::Rsv3 << QString(Glossary::Extensions);
    QTest::addRow("opcode") << FieldId::Opcode << QString(Glossary::Opcodes);
    QTest::addRow("MASK") << FieldId::Mask << QString(Glossary::Masking);
    QTest::addRow("length") << FieldId::PayloadLength << QString(Glossary::PayloadLength);
    QTest::addRow("extended length") << FieldId::ExtendedPayloadLength << QString(Glossary::PayloadLength);
    QTest::addRow("key") << FieldId::MaskingKey << QString(Glossary::Masking);
    QTest::addRow("payload") << FieldId::Payload << QString(Glossary::BinaryType);
}

void tst_Glossary::fieldTopics()
{
    QFETCH(FrameLayout::FieldId, field);
    QFETCH(QString, topic);
    QCOMPARE(Glossary::topicForField(field), topic);
    if (!topic.isEmpty())
        QVERIFY(Glossary::entry(topic).isValid());
}

void tst_Glossary::headerTopics_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("topic");
    QTest::addRow("key") << QByteArray("Sec-WebSocket-Key") << QString(Glossary::SecWebSocketKey);
    QTest::addRow("accept, lower case") << QByteArray("sec-websocket-accept") << QString(Glossary::SecWebSocketKey);
    QTest::addRow("protocol") << QByteArray("Sec-WebSocket-Protocol") << QString(Glossary::Subprotocols);
    QTest::addRow("extensions") << QByteArray("SEC-WEBSOCKET-EXTENSIONS") << QString(Glossary::Extensions);
    QTest::addRow("origin") << QByteArray("Origin") << QString(Glossary::Origin);
    QTest::addRow("upgrade") << QByteArray("Upgrade") << QString(Glossary::OpeningHandshake);
    QTest::addRow("version") << QByteArray("Sec-WebSocket-Version") << QString(Glossary::OpeningHandshake);
    QTest::addRow("cookie") << QByteArray("Cookie") << QString();
    QTest::addRow("prefix only") << QByteArray("Sec-WebSocket") << QString();
}

void tst_Glossary::headerTopics()
{
    QFETCH(QByteArray, name);
    QFETCH(QString, topic);
    QCOMPARE(Glossary::topicForHeader(name), topic);
}

QTEST_GUILESS_MAIN(tst_Glossary)
#include "tst_glossary.moc"
