// StompDecoder over a connection's messages: a whole session as @stomp/stompjs 7.5.0 (the version
// tests/package.json pins) wrote it against a ws server on loopback that answered as a STOMP 1.2
// broker, the version CONNECTED agrees deciding the escapes, frames that stompjs split across
// messages (splitLargeFrames) with the state saved and restored between them, and what is not STOMP.

#include "decode/stompdecoder.h"

#include <QTest>

using namespace Decode;
using Stomp::Version;

Q_DECLARE_METATYPE(Decode::Sender)

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

QStringList types(const Decoded &d)
{
    QStringList out;
    for (const Unit &u : d.units)
        out << u.type;
    return out;
}

const Field *child(const QList<Field> &fields, const QString &name)
{
    for (const Field &f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

// The frame stompjs 7.5.0 sent for publish({destination: '/app/upload', body: 'x'.repeat(20000)})
// with splitLargeFrames on and the default maxWebSocketChunkSize (8 KiB): three text messages of
// 8192, 8192 and 3668 bytes.
QByteArrayList uploadPieces()
{
    const QByteArray whole
        = QByteArrayLiteral("SEND\ndestination:/app/upload\ncontent-length:20000\n\n") + QByteArray(20000, 'x') + '\0';
    return { whole.first(8192), whole.sliced(8192, 8192), whole.sliced(16384) };
}

const QByteArray Connected12 = QByteArrayLiteral("CONNECTED\nversion:1.2\nheart-beat:0,50\n\n\0");

} // namespace

class tst_StompDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void session();
    void versionDecidesEscapes_data();
    void versionDecidesEscapes();
    void versionChangesInsideMessage();
    void splitFrame();
    void splitFrameStateRestored();
    void splitFrameNeverEnds();
    void splitFrameTooLarge();
    void carriedOnlyForStomp_data();
    void carriedOnlyForStomp();
    void notStomp_data();
    void notStomp();
    void direction_data();
    void direction();
    void fields();
    void tooManyFrames();
    void state();
};

// The session stompjs 7.5.0 had with the capture's broker, message by message (heartbeatOutgoing 50
// so that a heart-beat comes soon; the broker's CONNECTED asked for one every 50 ms).
void tst_StompDecoder::session()
{
    struct Step {
        Sender sender;
        bool binary;
        QByteArray payload;
        const char *summary;
    };
    const Sender C = Sender::Client;
    const Sender S = Sender::Server;
    const QList<Step> steps {
        { C, false, QByteArrayLiteral("CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:50,0\n\n\0"),
            "STOMP CONNECT versions 1.2,1.1,1.0 heart-beat 50,0" },
        { S, false, Connected12, "STOMP CONNECTED version 1.2 heart-beat 0,50" },
        { C, false, QByteArrayLiteral("SUBSCRIBE\nid:sub-0\ndestination:/topic/chat\n\n\0"),
            "STOMP SUBSCRIBE /topic/chat id sub-0" },
        { C, false, QByteArrayLiteral("SEND\ndestination:/topic/chat\ncontent-length:5\n\nhello\0"),
            "STOMP SEND /topic/chat 5 B \"hello\"" },
        { C, false,
            QByteArrayLiteral(
                "SEND\ndestination:/topic/chat\ncontent-type:application/json\nreceipt:r-1\ncontent-length:26\n\n"
                "{\"user\":\"ann\",\"text\":\"hi\"}\0"),
            R"(STOMP SEND /topic/chat 26 B "{\"user\":\"ann\",\"text\":\"hi\"}" receipt r-1)" },
        { S, false, QByteArrayLiteral("RECEIPT\nreceipt-id:r-1\n\n\0"), "STOMP RECEIPT r-1" },
        { C, true, QByteArrayLiteral("SEND\ndestination:/topic/chat\ncontent-length:4\n\n\x01\x00\x02\xff\x00"),
            "STOMP SEND /topic/chat 4 B binary" },
        { C, false, QByteArrayLiteral("SEND\ndestination:/queue/a\\cb\nx-note:line1\\nline2\\\\end\\r\n\n\0"),
            "STOMP SEND /queue/a:b 0 B" },
        { C, false, QByteArrayLiteral("SUBSCRIBE\nack:client-individual\nid:sub-1\ndestination:/queue/work\n\n\0"),
            "STOMP SUBSCRIBE /queue/work id sub-1 ack client-individual" },
        // Written for this test after STOMP 1.2's MESSAGE example: with client acknowledgement the
        // broker adds `ack`, which the ACK names as its `id`.
        { S, false,
            QByteArrayLiteral(
                "MESSAGE\nsubscription:sub-1\nmessage-id:007\ndestination:/queue/work\nack:ack-7\n\njob\0"),
            "STOMP MESSAGE /queue/work from sub-1 3 B \"job\"" },
        { C, false, QByteArrayLiteral("ACK\nid:ack-7\nsubscription:sub-1\n\n\0"), "STOMP ACK id ack-7" },
        { C, false, QByteArrayLiteral("NACK\nid:ack-8\nsubscription:sub-1\n\n\0"), "STOMP NACK id ack-8" },
        { C, false, QByteArrayLiteral("BEGIN\ntransaction:tx-1\n\n\0"), "STOMP BEGIN tx-1" },
        { C, false, QByteArrayLiteral("COMMIT\ntransaction:tx-1\n\n\0"), "STOMP COMMIT tx-1" },
        { C, false, QByteArrayLiteral("BEGIN\ntransaction:tx-2\n\n\0"), "STOMP BEGIN tx-2" },
        { C, false, QByteArrayLiteral("ABORT\ntransaction:tx-2\n\n\0"), "STOMP ABORT tx-2" },
        { C, false, QByteArrayLiteral("UNSUBSCRIBE\nid:sub-0\n\n\0"), "STOMP UNSUBSCRIBE id sub-0" },
        { C, false, QByteArrayLiteral("\n"), "STOMP heart-beat" },
        { C, false, QByteArrayLiteral("DISCONNECT\nreceipt:close-2\n\n\0"), "STOMP DISCONNECT receipt close-2" },
        { S, false, QByteArrayLiteral("RECEIPT\nreceipt-id:close-2\n\n\0"), "STOMP RECEIPT close-2" },
    };
    StompDecoder decoder;
    QStringList correlations;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &s = steps[i];
        const Decoded d = decoder.decode(s.sender, s.binary, s.payload);
        QVERIFY2(d.ok(), qPrintable(QStringLiteral("step %1: %2").arg(i).arg(d.summary())));
        QCOMPARE(d.units.size(), 1);
        QCOMPARE(d.summary(), str(s.summary));
        correlations += d.correlationTexts();
        // Nothing carries over between whole frames; after CONNECTED the state is the version only.
        QCOMPARE(decoder.state(s.sender), i == 0 ? QByteArray() : QByteArray("2"));
    }
    QCOMPARE(correlations,
        QStringList({ str("request connect"), str("answer connect"), str("request receipt r-1"),
            str("answer receipt r-1"), str("request ack ack-7"), str("answer ack ack-7"), str("answer ack ack-8"),
            str("request receipt close-2"), str("answer receipt close-2") }));
    QCOMPARE(decoder.version(Sender::Client), Version::V1_2);
}

// The escapes of a frame are those of the version the server's CONNECTED agreed, for both senders.
void tst_StompDecoder::versionDecidesEscapes_data()
{
    QTest::addColumn<QByteArray>("connected"); // empty: none seen
    QTest::addColumn<QByteArray>("value"); // what `x-note:a\cb\tc\rd` reads as
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("state");

    QTest::addRow("no CONNECTED yet") << QByteArray() << QByteArray("a\\cb\\tc\\rd") << QString() << QByteArray();
    QTest::addRow("1.0 (no version header)")
        << QByteArrayLiteral("CONNECTED\n\n\0") << QByteArray("a\\cb\\tc\\rd") << QString() << QByteArray("0");
    QTest::addRow("1.1") << QByteArrayLiteral("CONNECTED\nversion:1.1\n\n\0") << QByteArray("a\\cb\\tc\\rd")
                         << str("header \"x-note\": \\t is no escape (STOMP 1.1 has \\n \\c \\\\)") << QByteArray("1");
    QTest::addRow("1.2") << QByteArrayLiteral("CONNECTED\nversion:1.2\n\n\0") << QByteArray("a\\cb\\tc\\rd")
                         << str("header \"x-note\": \\t is no escape (STOMP 1.2 has \\r \\n \\c \\\\)")
                         << QByteArray("2");
}

void tst_StompDecoder::versionDecidesEscapes()
{
    QFETCH(QByteArray, connected);
    QFETCH(QByteArray, value);
    QFETCH(QString, error);
    QFETCH(QByteArray, state);
    StompDecoder decoder;
    if (!connected.isEmpty())
        QVERIFY(decoder.decode(Sender::Server, false, connected).ok());
    QCOMPARE(decoder.state(Sender::Client), state);
    QCOMPARE(decoder.state(Sender::Server), state);
    const Decoded d
        = decoder.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\nx-note:a\\cb\\tc\\rd\n\n\0"));
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].error, error);
    const Field *headers = child(d.units[0].fields, str("headers"));
    QVERIFY(headers);
    QCOMPARE(headers->children.value(1), Field(str("x-note"), QString::fromUtf8(value)));

    // Without an undefined escape, the same version reads the escapes it has.
    const Decoded good = decoder.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\\cb\n\n\0"));
    QCOMPARE(good.units[0].summary, state == "0" ? str("SEND /a\\cb 0 B") : str("SEND /a:b 0 B"));
}

// Frames after a CONNECTED in the same message are read with the version it agreed.
void tst_StompDecoder::versionChangesInsideMessage()
{
    StompDecoder decoder;
    const Decoded d = decoder.decode(Sender::Server, false,
        QByteArrayLiteral("CONNECTED\nversion:1.0\n\n\0\nMESSAGE\ndestination:/a\\cb\nmessage-id:1\n\n\0"));
    QVERIFY2(d.ok(), qPrintable(d.summary()));
    QCOMPARE(d.summary(), str("STOMP CONNECTED version 1.0 · MESSAGE /a\\cb 0 B"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray("0"));
}

void tst_StompDecoder::splitFrame()
{
    StompDecoder decoder;
    QVERIFY(decoder.decode(Sender::Server, false, Connected12).ok());
    const QByteArrayList pieces = uploadPieces();

    const Decoded first = decoder.decode(Sender::Client, false, pieces[0]);
    QVERIFY2(first.ok(), qPrintable(first.summary()));
    QCOMPARE(types(first), QStringList { str("SEND") });
    QCOMPARE(first.units[0].summary,
        str("SEND /app/upload, unfinished: 8 KiB so far in 1 message, the rest in the next message"));
    QVERIFY(decoder.carrying(Sender::Client));
    QVERIFY(!decoder.carrying(Sender::Server));
    QCOMPARE(decoder.state(Sender::Client).size(), 1 + 4 + 8192);

    const Decoded second = decoder.decode(Sender::Client, false, pieces[1]);
    QVERIFY(second.ok());
    QCOMPARE(second.units[0].summary,
        str("SEND /app/upload, unfinished: 16 KiB so far in 2 messages, the rest in the next message"));
    QCOMPARE(*child(second.units[0].fields, str("body so far")), Field(str("body so far"), str("16333 bytes")));

    const Decoded third = decoder.decode(Sender::Client, false, pieces[2]);
    QVERIFY2(third.ok(), qPrintable(third.summary()));
    QCOMPARE(third.units.size(), 1);
    QCOMPARE(third.units[0].summary,
        QStringLiteral("SEND /app/upload 19.5 KiB \"%1…\" (split across 3 messages)")
            .arg(QString(40, QLatin1Char('x'))));
    QCOMPARE(*child(third.units[0].fields, str("split")), Field(str("split"), str("across 3 messages")));
    QCOMPARE(child(third.units[0].fields, str("body"))->value.size(), 20000);
    QCOMPARE(decoder.state(Sender::Client), QByteArray("2"));

    // The next frame is read on its own again.
    const Decoded after = decoder.decode(Sender::Client, false, QByteArrayLiteral("DISCONNECT\nreceipt:close-0\n\n\0"));
    QCOMPARE(after.summary(), str("STOMP DISCONNECT receipt close-0"));
}

// The log keeps the state before each message and decodes a message again from it: the result is
// the same as the first time.
void tst_StompDecoder::splitFrameStateRestored()
{
    StompDecoder original;
    original.decode(Sender::Server, false, Connected12);
    QByteArrayList pieces = uploadPieces();
    pieces << QByteArrayLiteral("\n") << QByteArrayLiteral("SEND\ndestination:/a\n\nunfinished")
           << QByteArrayLiteral("SEND\ndestination:/b\n\n\0");
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        const QByteArray saved = original.state(Sender::Client);
        const Decoded first = original.decode(Sender::Client, false, pieces[i]);
        StompDecoder again;
        again.setState(Sender::Client, saved);
        QCOMPARE(again.decode(Sender::Client, false, pieces[i]), first);
        QCOMPARE(again.state(Sender::Client), original.state(Sender::Client));
    }
}

// A message that starts a frame while one is unfinished: the kept one never ended (a client that
// forgot the NUL; Spring would read both as one frame).
void tst_StompDecoder::splitFrameNeverEnds()
{
    StompDecoder decoder;
    const Decoded typed = decoder.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\n\nhello"));
    QVERIFY(typed.ok());
    QCOMPARE(
        typed.units[0].summary, str("SEND /a, unfinished: 26 B so far in 1 message, the rest in the next message"));
    QCOMPARE(*child(typed.units[0].fields, str("waiting for")),
        Field(str("waiting for"), str("no NUL terminator after 26 bytes")));

    const Decoded next = decoder.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/b\n\nhi\0"));
    QCOMPARE(types(next), QStringList({ str("SEND"), str("SEND") }));
    QCOMPARE(next.units[0].summary, str("SEND /a 5 B \"hello\""));
    QCOMPARE(next.units[0].error,
        str("no NUL terminator after 26 bytes; the next message starts a new frame, so this one never "
            "ended (a server that buffers split frames, as Spring does, reads both as one)"));
    QCOMPARE(next.units[1].summary, str("SEND /b 2 B \"hi\""));
    QVERIFY(next.units[1].error.isEmpty());
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
}

void tst_StompDecoder::splitFrameTooLarge()
{
    StompDecoder decoder(10000);
    decoder.decode(Sender::Server, false, Connected12);
    const QByteArrayList pieces = uploadPieces();
    QVERIFY(decoder.decode(Sender::Client, false, pieces[0]).ok());
    const Decoded second = decoder.decode(Sender::Client, false, pieces[1]);
    QCOMPARE(second.units.size(), 1);
    QCOMPARE(second.units[0].summary, str("SEND /app/upload, dropped after 16 KiB in 2 messages"));
    QCOMPARE(second.units[0].error,
        str("a frame split across messages grew past 9.8 KiB in 2 messages; its bytes are dropped"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray("2"));
    const Decoded third = decoder.decode(Sender::Client, false, pieces[2]);
    QVERIFY2(third.error.startsWith(str("not a STOMP frame: \"xxxx")), qPrintable(third.error));
    QVERIFY2(third.error.endsWith(str("\" ends with a NUL before any line end")), qPrintable(third.error));

    // One message that is already past the limit is not kept either.
    StompDecoder small(100);
    const Decoded big
        = small.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\n\n") + QByteArray(200, 'y'));
    QCOMPARE(big.units.size(), 1);
    QCOMPARE(big.units[0].error,
        str("no NUL terminator after 221 bytes; the frame is larger than 100 bytes; not kept for the next message"));
    QCOMPARE(small.state(Sender::Client), QByteArray());
}

// Only a STOMP frame on its way is kept for the next message.
void tst_StompDecoder::carriedOnlyForStomp_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("carried");
    QTest::addRow("known command, headers cut") << QByteArray("MESSAGE\ndestination:/a\nmessage-id:") << true;
    QTest::addRow("known command, no line end yet") << QByteArray("MESSAGE") << true;
    QTest::addRow("start of a command") << QByteArray("SUBSCR") << true;
    QTest::addRow("command and the CR of its CR LF") << QByteArray("MESSAGE\r") << true;
    QTest::addRow("after a frame") << QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n\0MESSAGE\ndest") << true;
    QTest::addRow("unknown command") << QByteArray("HELLO\nfoo:bar\n\nbody") << false;
    QTest::addRow("text") << QByteArray("hello") << false;
    QTest::addRow("lower case") << QByteArray("send\n\nx") << false;
}

void tst_StompDecoder::carriedOnlyForStomp()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, carried);
    StompDecoder decoder;
    const Decoded d = decoder.decode(Sender::Server, false, payload);
    QCOMPARE(decoder.carrying(Sender::Server), carried);
    if (carried) // a frame on its way is shown as such, not as "not STOMP"
        QVERIFY2(d.ok() && d.units.last().summary.contains(str("unfinished")), qPrintable(d.summary()));
    else
        QVERIFY(!d.ok());
    QCOMPARE(decoder.state(Sender::Server).isEmpty(), !carried);
    QVERIFY(!decoder.carrying(Sender::Client));
}

void tst_StompDecoder::notStomp_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::addRow("empty") << QByteArray() << str("an empty message: neither a frame nor a heart-beat");
    QTest::addRow("text") << QByteArray("hello")
                          << str("not a STOMP frame: unknown command \"hello\"; the command line has no line end");
    QTest::addRow("JSON") << QByteArray("{\"type\":\"subscribe\"}")
                          << str("not a STOMP frame: unknown command \"{\\\"type\\\":\\\"subscribe\\\"}\"; the command "
                                 "line has no line end");
    QTest::addRow("unknown command") << QByteArrayLiteral("HELLO\n\n\0")
                                     << str("not a STOMP frame: unknown command \"HELLO\"");
    QTest::addRow("NUL bytes") << QByteArrayLiteral("\0\0")
                               << str("not a STOMP frame: 2 stray NUL bytes where a frame should start");
}

void tst_StompDecoder::notStomp()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    StompDecoder decoder;
    const Decoded d = decoder.decode(Sender::Client, false, payload);
    QCOMPARE(d.protocol, Protocol::Stomp);
    QCOMPARE(d.error, error);
    QVERIFY(d.units.isEmpty());
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
}

void tst_StompDecoder::direction_data()
{
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::addRow("client sends MESSAGE")
        << Sender::Client << QByteArrayLiteral("MESSAGE\ndestination:/a\nmessage-id:1\nsubscription:s\n\n\0")
        << str("MESSAGE is a server frame, but the client sent it");
    QTest::addRow("server sends SEND") << Sender::Server << QByteArrayLiteral("SEND\ndestination:/a\n\n\0")
                                       << str("SEND is a client frame, but the server sent it");
    QTest::addRow("CONNECTED with an unknown version")
        << Sender::Server << QByteArrayLiteral("CONNECTED\nversion:2.0\n\n\0")
        << str("version \"2.0\" is none of 1.0, 1.1 and 1.2");
    QTest::addRow("stray NUL") << Sender::Server << QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n\0\0")
                               << str("a stray NUL byte where a frame should start");
    QTest::addRow("trailing bytes") << Sender::Server << QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n\0junk")
                                    << str("unknown command \"junk\"; the command line has no line end");
}

void tst_StompDecoder::direction()
{
    QFETCH(Sender, sender);
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    StompDecoder decoder;
    const Decoded d = decoder.decode(sender, false, payload);
    QVERIFY(d.error.isEmpty());
    QVERIFY(!d.ok());
    QCOMPARE(d.units.last().error, error);
}

// The Payload tab's tree: command, headers in order with repeats marked, the body, JSON as a tree.
void tst_StompDecoder::fields()
{
    StompDecoder decoder;
    const Decoded d = decoder.decode(Sender::Server, false,
        QByteArrayLiteral("MESSAGE\ndestination:/topic/greetings\ncontent-type:application/json\n"
                          "subscription:sub-0\nmessage-id:ujtc2ppn-0\nfoo:1\nfoo:2\ncontent-length:26\n\n"
                          "{\"content\":\"Hello, John!\"}\0"));
    QVERIFY(d.ok());
    const QList<Field> &f = d.units[0].fields;
    QCOMPARE(f.size(), 3);
    QCOMPARE(f[0], Field(str("command"), str("MESSAGE")));
    QCOMPARE(f[1].name, str("headers"));
    QCOMPARE(f[1].value, str("7"));
    QCOMPARE(f[1].children[0], Field(str("destination"), str("/topic/greetings")));
    QCOMPARE(f[1].children[4], Field(str("foo"), str("1")));
    QCOMPARE(f[1].children[5],
        Field(str("foo"), str("2"), { Field(str("repeated"), str("ignored: the first one counts")) }));
    QCOMPARE(f[2].name, str("body"));
    QCOMPARE(f[2].value, str("{\"content\":\"Hello, John!\"}"));
    QCOMPARE(f[2].children, jsonFields("{\"content\":\"Hello, John!\"}"));
    QCOMPARE(f[2].children.size(), 1);

    // A body that is not text is shown as bytes; text that is not JSON has no tree.
    const Decoded binary = decoder.decode(
        Sender::Client, true, QByteArrayLiteral("SEND\ndestination:/a\ncontent-length:3\n\n\x01\x00\xff\0"));
    QCOMPARE(binary.units[0].fields[2], Field(str("body"), textOrHex(QByteArrayLiteral("\x01\x00\xff"))));
    const Decoded text
        = decoder.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\n\n[not json\0"));
    QCOMPARE(text.units[0].fields[2], Field(str("body"), str("[not json")));
    // A content-type that says JSON gets the tree, or the reason it is not JSON.
    const Decoded said = decoder.decode(
        Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\ncontent-type:application/json\n\n{oops\0"));
    QCOMPARE(said.units[0].fields[2].children.size(), 1);
    QCOMPARE(said.units[0].fields[2].children[0].name, str("(not JSON)"));
}

// A message of more frames than any peer sends: the first thousand are units, the rest one unit
// that says so.
void tst_StompDecoder::tooManyFrames()
{
    const QByteArray receipt = QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n\0");
    StompDecoder decoder;
    const Decoded d = decoder.decode(Sender::Server, false, receipt.repeated(1001));
    QCOMPARE(d.units.size(), 1001);
    QCOMPARE(d.units[999].summary, str("RECEIPT 1"));
    QCOMPARE(d.units[1000].type, str("not decoded"));
    QCOMPARE(d.units[1000].summary, str("23 bytes more not decoded"));
    QCOMPARE(d.units[1000].error,
        str("the message holds more than 1000 frames and heart-beats; the last 23 bytes are not decoded"));
    // Line ends after the thousandth frame still belong to it.
    QCOMPARE(decoder.decode(Sender::Server, false, (receipt + "\n").repeated(1000)).units.size(), 1000);
}

void tst_StompDecoder::state()
{
    StompDecoder decoder;
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
    QCOMPARE(decoder.state(Sender::Server), QByteArray());
    // A heart-beat, frames: nothing to keep.
    decoder.decode(Sender::Client, false, "\n");
    decoder.decode(Sender::Client, false, QByteArrayLiteral("SEND\ndestination:/a\n\n\0"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray());

    // What setState() does not understand leaves a fresh side.
    for (const QByteArray &bad :
        { QByteArray("x"), QByteArray("2\0\0\0\0", 5), QByteArrayLiteral("2\0\0\0\0abc"), QByteArray("9abc") }) {
        decoder.setState(Sender::Client, bad);
        QVERIFY2(!decoder.carrying(Sender::Client), bad.constData());
    }
    decoder.setState(Sender::Client, QByteArray("1"));
    QCOMPARE(decoder.version(Sender::Client), Version::V1_1);
    QCOMPARE(decoder.state(Sender::Client), QByteArray("1"));
    decoder.setState(Sender::Client, QByteArrayLiteral("?\0\0\0\x02MESS"));
    QVERIFY(decoder.carrying(Sender::Client));
    QCOMPARE(decoder.version(Sender::Client), Version::Unknown);
    const Decoded d = decoder.decode(
        Sender::Client, false, QByteArrayLiteral("AGE\ndestination:/a\nmessage-id:1\nsubscription:s\n\nhi\0"));
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].summary, str("MESSAGE /a from s 2 B \"hi\" (split across 3 messages)"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
}

QTEST_GUILESS_MAIN(tst_StompDecoder)
#include "tst_stompdecoder.moc"
