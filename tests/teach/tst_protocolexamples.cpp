// A connection's own messages as the Learn dock's examples: the first message of each unit type, in
// the order they came, capped; who sent it, what it means and how it was sent (display rule: text
// with escapes, binary in hex); following the decoding as it grows, restarts and goes away.

#include "decode/decoded.h"
#include "log/capture.h"
#include "log/protocoldecoding.h"
#include "teach/protocolexamples.h"
#include "teach/protocolnotes.h"
#include "text/displaytext.h"

#include "messagerecorder.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Decode;

namespace {

const QByteArray socketIoRequest
    = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n";
const QByteArray plainRequest = "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n";
const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
const QByteArray openPacket
    = R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";

// A Socket.IO session with every kind of packet once or more, and one message that is not Engine.IO.
struct Session {
    Capture capture;
    QList<qsizetype> firstOfEachType; // capture indices, in order
    QStringList types; // their unit types
    QList<Sender> senders;

    Session()
    {
        MessageRecorder r(capture);
        r.handshake(socketIoRequest, response);
        const auto first = [&](qsizetype index, const char *type, Sender sender) {
            firstOfEachType << index;
            types << QString::fromLatin1(type);
            senders << sender;
        };
        first(r.text(Direction::Incoming, openPacket), "open", Sender::Server);
        first(r.text(Direction::Outgoing, "40"), "connect", Sender::Client);
        r.text(Direction::Incoming, R"(40{"sid":"s1"})"); // a connect again: not a new kind
        first(r.text(Direction::Outgoing, R"(42["chat message","hi"])"), "event", Sender::Client);
        first(r.text(Direction::Incoming, "2"), "ping", Sender::Server);
        first(r.text(Direction::Outgoing, "3"), "pong", Sender::Client);
        r.text(Direction::Outgoing, R"(421["ping with ack",1])");
        first(r.text(Direction::Incoming, R"(431["pong"])"), "ack", Sender::Server);
        first(r.text(Direction::Outgoing, R"(451-["upload",{"_placeholder":true,"num":0}])"), "binary event",
            Sender::Client);
        first(r.frame(Direction::Outgoing, Opcode::Binary, QByteArray("\x01\x02", 2)), "attachment", Sender::Client);
        r.text(Direction::Incoming, "hello"); // not an Engine.IO packet: never an example
        r.text(Direction::Outgoing, R"(42["x"])");
        first(r.text(Direction::Incoming, "41"), "disconnect", Sender::Server);
    }
};

QStringList typesOf(const ProtocolExamples &examples)
{
    QStringList types;
    for (int row = 0; row < examples.rowCount(); ++row)
        types << examples.index(row).data(ProtocolExamples::TypeRole).toString();
    return types;
}

} // namespace

class tst_ProtocolExamples : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firstOfEachType_data();
    void firstOfEachType();
    void rows();
    void rawText_data();
    void rawText();
    void peerTextThroughTheDisplayRule();
    void followsTheDecoding();
    void startsOverWithTheDecoding();
    void scansOnlyTheFirstMessages();
    void decodingGoesAway();
};

void tst_ProtocolExamples::firstOfEachType_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("expected"); // how many of the session's kinds, from the first
    QTest::addRow("none") << 0 << 0;
    QTest::addRow("one") << 1 << 1;
    QTest::addRow("three") << 3 << 3;
    QTest::addRow("default") << int(ProtocolExamples::DefaultMaxExamples) << 6;
    QTest::addRow("all") << 50 << 9;
}

void tst_ProtocolExamples::firstOfEachType()
{
    QFETCH(int, cap);
    QFETCH(int, expected);
    Session session;
    ProtocolDecoding decoding;
    decoding.setCapture(&session.capture);
    decoding.flushPending();

    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    if (cap != ProtocolExamples::DefaultMaxExamples)
        examples.setMaxExamples(cap);
    QCOMPARE(examples.maxExamples(), cap);
    examples.setDecoding(&decoding);

    QCOMPARE(examples.protocol(), Protocol::SocketIo);
    QCOMPARE(typesOf(examples), session.types.first(expected));
    for (int row = 0; row < expected; ++row) {
        const QModelIndex index = examples.index(row);
        QCOMPARE(index.data(ProtocolExamples::CaptureIndexRole).toLongLong(), session.firstOfEachType[row]);
        QCOMPARE(Sender(index.data(ProtocolExamples::SenderRole).toInt()), session.senders[row]);
    }
}

void tst_ProtocolExamples::rows()
{
    Session session;
    ProtocolDecoding decoding;
    decoding.setCapture(&session.capture);
    decoding.flushPending();
    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    examples.setMaxExamples(50);
    examples.setDecoding(&decoding);
    QCOMPARE(examples.rowCount(), 9);

    for (int row = 0; row < examples.rowCount(); ++row) {
        const ProtocolExamples::Example &e = examples.example(row);
        const Decoded decoded = decoding.decodedAt(e.captureIndex);
        QCOMPARE(decoded.units.size(), 1);
        // What the decoder said, as the log's Message column says it, and what the note says of it.
        QCOMPARE(e.summary, decoded.units.first().summary);
        QCOMPARE(e.kind, e.type);
        QCOMPARE(e.protocol, Protocol::SocketIo);
        QCOMPARE(e.note, ProtocolNotes::unitNote(Protocol::SocketIo, e.type));
        QVERIFY2(!e.note.isEmpty(), qPrintable(e.type));
        const Capture::Message message = session.capture.message(e.captureIndex);
        QCOMPARE(e.binary, message.opcode == Opcode::Binary);
        QCOMPARE(e.bytes, message.payload.size());
        QCOMPARE(e.raw, ProtocolExamples::rawText(message.payload, e.binary));

        const QModelIndex index = examples.index(row);
        QCOMPARE(index.data(Qt::DisplayRole).toString(), e.kind + QStringLiteral(": ") + e.summary);
        QCOMPARE(index.data(ProtocolExamples::RawTextRole).toString(), e.raw);
        QCOMPARE(index.data(ProtocolExamples::SummaryRole).toString(), e.summary);
        QCOMPARE(index.data(ProtocolExamples::NoteRole).toString(), e.note);
        QCOMPARE(index.data(ProtocolExamples::BinaryRole).toBool(), e.binary);
    }
    QCOMPARE(examples.example(0).raw, QString::fromLatin1(openPacket));
    QCOMPARE(examples.example(2).raw, QStringLiteral(R"(42["chat message","hi"])"));
    QCOMPARE(examples.example(7).raw, QStringLiteral("2 bytes: 01 02")); // the attachment, in hex
    QVERIFY(examples.example(7).binary);
    QCOMPARE(ProtocolExamples::directionText(Sender::Client), QStringLiteral("client → server"));
    QCOMPARE(ProtocolExamples::directionText(Sender::Server), QStringLiteral("server → client"));
    QCOMPARE(examples.reason(), QStringLiteral("the URL /socket.io/?EIO=4&transport=websocket"));
}

void tst_ProtocolExamples::rawText_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QString>("shown");

    QTest::addRow("text") << QByteArray("42[\"a\"]") << false << QStringLiteral("42[\"a\"]");
    QTest::addRow("lines kept") << QByteArray("SEND\ndestination:/q\n\nhi\0", 24) << false
                                << QStringLiteral("SEND\ndestination:/q\n\nhi\\x00");
    QTest::addRow("only a line end") << QByteArray("\n") << false << QStringLiteral("\\n");
    QTest::addRow("CR LF only") << QByteArray("\r\n") << false << QStringLiteral("\\r\\n");
    QTest::addRow("bidi and escape") << QByteArray("a\xe2\x80\xae"
                                                   "b\x1b")
                                     << false << QStringLiteral("a\\u202eb\\x1b");
    QTest::addRow("not UTF-8") << QByteArray("a\xff") << false << QStringLiteral("a\\xff");
    QTest::addRow("long text is cut") << QByteArray(1000, 'x') << false
                                      << QString(ProtocolExamples::RawChars, QLatin1Char('x')) + QStringLiteral("…");
    QTest::addRow("binary") << QByteArray("\x10\x0c\x00\x04", 4) << true << QStringLiteral("4 bytes: 10 0c 00 04");
    QTest::addRow("one byte") << QByteArray("\xc0", 1) << true << QStringLiteral("1 byte: c0");
    QTest::addRow("long binary is cut") << QByteArray(100, '\x01') << true
                                        << QStringLiteral("100 bytes: ")
            + QStringList(ProtocolExamples::HexBytes, QStringLiteral("01")).join(QLatin1Char(' '))
            + QStringLiteral(" …");
    QTest::addRow("empty") << QByteArray() << false << QString();
}

void tst_ProtocolExamples::rawText()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, binary);
    QFETCH(QString, shown);
    const QString raw = ProtocolExamples::rawText(payload, binary);
    QCOMPARE(raw, shown);
    // Nothing the display rule escapes survives (but the line feeds it keeps in several lines).
    for (const QChar c : raw)
        QVERIFY2(c == QLatin1Char('\n') || !DisplayText::isEscaped(c.unicode()), qPrintable(raw));
}

void tst_ProtocolExamples::peerTextThroughTheDisplayRule()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, response);
    // An event whose name hides a right-to-left override, and an argument a zero-width space.
    const qsizetype event = r.text(Direction::Incoming,
        "42[\"a\xe2\x80\xae"
        "b\",\"c\xe2\x80\x8b\"]");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    examples.setDecoding(&decoding);
    QCOMPARE(examples.rowCount(), 1);
    const ProtocolExamples::Example &e = examples.example(0);
    QCOMPARE(e.captureIndex, event);
    QCOMPARE(e.raw, QStringLiteral("42[\"a\\u202eb\",\"c\\u200b\"]"));
    QVERIFY2(e.summary.contains(QStringLiteral("\\u202e")), qPrintable(e.summary));
    for (const QString &text : { e.raw, e.summary, examples.index(0).data().toString() }) {
        QVERIFY2(!text.contains(QChar(0x202e)), qPrintable(text));
        QVERIFY2(!text.contains(QChar(0x200b)), qPrintable(text));
    }
    // The tool tip holds the same text, wrapped so that Qt never takes it for rich text.
    QCOMPARE(examples.index(0).data(Qt::ToolTipRole).toString(), DisplayText::toolTip(e.raw));
}

void tst_ProtocolExamples::followsTheDecoding()
{
    Capture capture;
    MessageRecorder r(capture);
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    QSignalSpy protocolChanged(&examples, &ProtocolExamples::protocolChanged);
    examples.setDecoding(&decoding);
    QCOMPARE(examples.decoding(), &decoding);
    QCOMPARE(examples.rowCount(), 0);
    QCOMPARE(examples.protocol(), Protocol::None);

    // The URL tells the protocol; messages come in batches, as from an engine.
    r.handshake(socketIoRequest, response);
    r.text(Direction::Incoming, openPacket);
    QTRY_COMPARE(examples.rowCount(), 1);
    QCOMPARE(examples.protocol(), Protocol::SocketIo);
    QCOMPARE(protocolChanged.size(), 1);
    QCOMPARE(protocolChanged.first().first().value<Protocol>(), Protocol::SocketIo);

    r.text(Direction::Outgoing, R"(42["a"])");
    r.text(Direction::Outgoing, R"(42["b"])");
    const qsizetype ping = r.text(Direction::Incoming, "2");
    QTRY_COMPARE(examples.rowCount(), 3);
    QCOMPARE(
        typesOf(examples), QStringList({ QStringLiteral("open"), QStringLiteral("event"), QStringLiteral("ping") }));
    QCOMPARE(examples.example(2).captureIndex, ping);
    QCOMPARE(protocolChanged.size(), 1);
}

void tst_ProtocolExamples::startsOverWithTheDecoding()
{
    // A plain chat: nothing found, so no examples, until the user says what it is.
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(plainRequest, response);
    r.text(Direction::Outgoing, "hello");
    const qsizetype event = r.text(Direction::Incoming, R"(42["chat message","hi"])");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    examples.setDecoding(&decoding);
    QCOMPARE(examples.protocol(), Protocol::None);
    QCOMPARE(examples.rowCount(), 0);
    QVERIFY(examples.reason().isEmpty());

    QSignalSpy protocolChanged(&examples, &ProtocolExamples::protocolChanged);
    decoding.setChoice(ProtocolDecoding::Choice::fixed(Protocol::SocketIo));
    decoding.flushPending();
    QCOMPARE(examples.protocol(), Protocol::SocketIo);
    QCOMPARE(protocolChanged.size(), 1);
    // "hello" is no Engine.IO packet: the event is the one example.
    QCOMPARE(typesOf(examples), QStringList { QStringLiteral("event") });
    QCOMPARE(examples.example(0).captureIndex, event);
    QCOMPARE(examples.reason(), QStringLiteral("chosen by hand"));

    // Clear forgets the messages, not the protocol: new ones are examples again.
    capture.clear();
    decoding.flushPending();
    QCOMPARE(examples.rowCount(), 0);
    QCOMPARE(examples.protocol(), Protocol::SocketIo);
    const qsizetype ping = r.text(Direction::Incoming, "2");
    decoding.flushPending();
    QCOMPARE(typesOf(examples), QStringList { QStringLiteral("ping") });
    QCOMPARE(examples.example(0).captureIndex, ping);

    decoding.setChoice(ProtocolDecoding::Choice::fixed(Protocol::None));
    decoding.flushPending();
    QCOMPARE(examples.protocol(), Protocol::None);
    QCOMPARE(examples.rowCount(), 0);
    QCOMPARE(protocolChanged.size(), 2);

    examples.setDecoding(nullptr);
    QCOMPARE(examples.rowCount(), 0);
}

void tst_ProtocolExamples::scansOnlyTheFirstMessages()
{
    Session session;
    ProtocolDecoding decoding;
    decoding.setCapture(&session.capture);
    decoding.flushPending();
    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    examples.setMaxExamples(50);
    examples.setMaxScannedMessages(3); // open, connect, connect
    examples.setDecoding(&decoding);
    QCOMPARE(typesOf(examples), QStringList({ QStringLiteral("open"), QStringLiteral("connect") }));
    examples.setMaxScannedMessages(4);
    QCOMPARE(
        typesOf(examples), QStringList({ QStringLiteral("open"), QStringLiteral("connect"), QStringLiteral("event") }));
    QCOMPARE(examples.maxScannedMessages(), 4);
}

void tst_ProtocolExamples::decodingGoesAway()
{
    Session session;
    auto decoding = std::make_unique<ProtocolDecoding>();
    decoding->setCapture(&session.capture);
    decoding->flushPending();
    ProtocolExamples examples;
    QAbstractItemModelTester tester(&examples);
    examples.setDecoding(decoding.get());
    QVERIFY(examples.rowCount() > 0);
    decoding.reset();
    QCOMPARE(examples.decoding(), nullptr);
    QCOMPARE(examples.rowCount(), 0);
    QCOMPARE(examples.protocol(), Protocol::None);
}

QTEST_GUILESS_MAIN(tst_ProtocolExamples)
#include "tst_protocolexamples.moc"
