// A recorded connection read as a conversation to replay: who the client was (the inspector's own
// connection, a relay's application, a client of the embedded server), whole messages out of
// fragments, times after OPEN, the subprotocols offered, one connection among several, and what
// cannot be replayed.

#include "eventfixtures.h"
#include "log/capture.h"
#include "script/replayscript.h"

#include <QTest>

namespace {

// Records events of one connection and leg with times in ms after a start.
struct Recorder {
    Capture &capture;
    quint32 connection = 1;
    Leg leg = Leg::None;

    void event(EventKind kind, Direction direction, qint64 ms, const QByteArray &payload, ReadyState state = ReadyState::Connecting)
    {
        WireEvent e = simpleEvent(kind, direction, payload);
        e.connectionId = connection;
        e.leg = leg;
        e.timeUs = fixedTime() + ms * 1000;
        e.state = state;
        capture.record(e);
    }
    void frame(Direction direction, qint64 ms, quint8 opcode, const QByteArray &payload, bool fin = true, bool dropped = false)
    {
        FrameSpec spec;
        spec.opcode = opcode;
        spec.fin = fin;
        spec.mask = false;
        spec.payload = payload;
        const EncodedFrame encoded = FrameWriter::encode(spec);
        WireEvent e = frameEvent(direction, encoded.header(), payload);
        e.connectionId = connection;
        e.leg = leg;
        e.timeUs = fixedTime() + ms * 1000;
        e.payloadDropped = dropped;
        capture.record(e);
    }
};

QStringList texts(const QList<MessageDiff::Message> &messages)
{
    QStringList list;
    for (const MessageDiff::Message &m : messages)
        list << (m.opcode == Opcode::Binary ? QStringLiteral("bin:") + QString::fromLatin1(m.payload.toHex()) : QString::fromUtf8(m.payload));
    return list;
}

} // namespace

class tst_ReplayScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ownConnection();
    void relayLegs();
    void clientOfTheEmbeddedServer();
    void pickedAmongSeveral();
    void cannotBeReplayed();
};

void tst_ReplayScript::ownConnection()
{
    Capture capture;
    Recorder r { capture };
    r.event(EventKind::HandshakeRequest, Direction::Outgoing, 0,
            "GET /chat?room=1 HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Protocol: v2.chat, v1.chat\r\n\r\n");
    r.event(EventKind::StateChange, Direction::Local, 5, "OPEN", ReadyState::Open);
    r.frame(Direction::Outgoing, 10, Opcode::Text, "hel", false);
    r.frame(Direction::Incoming, 11, Opcode::Ping, "p"); // control frames between fragments are not messages
    r.frame(Direction::Outgoing, 12, Opcode::Continuation, "lo");
    r.frame(Direction::Incoming, 20, Opcode::Text, "hello back");
    r.frame(Direction::Outgoing, 1005, Opcode::Binary, "\x01\x02");
    r.frame(Direction::Incoming, 1010, Opcode::Binary, "\x03");
    QString error;
    const auto script = ReplayScript::fromCapture(capture, 0, &error);
    QVERIFY2(script, qPrintable(error));
    QCOMPARE(script->connectionId, 1u);
    QCOMPARE(script->path, QStringLiteral("/chat?room=1"));
    QCOMPARE(script->subprotocols, QStringList({ QStringLiteral("v2.chat"), QStringLiteral("v1.chat") }));
    QCOMPARE(script->sends.size(), 2);
    QCOMPARE(script->sends[0].message.payload, QByteArray("hello")); // sent at its final frame
    QCOMPARE(script->sends[0].afterOpenUs, 7'000);
    QCOMPARE(script->sends[1].message.opcode, quint8(Opcode::Binary));
    QCOMPARE(script->sends[1].afterOpenUs, 1'000'000);
    QCOMPARE(texts(script->answers), QStringList({ QStringLiteral("hello back"), QStringLiteral("bin:03") }));
}

void tst_ReplayScript::relayLegs()
{
    Capture capture;
    Recorder app { capture, 1, Leg::App };
    Recorder server { capture, 1, Leg::Server };
    app.event(EventKind::HandshakeRequest, Direction::Incoming, 0, "GET / HTTP/1.1\r\nHost: relay\r\n\r\n");
    server.event(EventKind::HandshakeRequest, Direction::Outgoing, 1, "GET / HTTP/1.1\r\nHost: server\r\n\r\n");
    app.event(EventKind::StateChange, Direction::Local, 3, "OPEN", ReadyState::Open);
    app.frame(Direction::Incoming, 10, Opcode::Text, "from the app");
    server.frame(Direction::Incoming, 12, Opcode::Text, "from the server");
    // What the relay wrote itself: an edit of the app's message on its way, an injection toward
    // the app. Not the peers' words: not replayed, not expected.
    server.frame(Direction::Outgoing, 11, Opcode::Text, "FROM THE APP (edited)");
    app.frame(Direction::Outgoing, 21, Opcode::Text, "injected toward the app");
    QString error;
    const auto script = ReplayScript::fromCapture(capture, 1, &error);
    QVERIFY2(script, qPrintable(error));
    QList<MessageDiff::Message> sent;
    for (const ReplayScript::Send &s : script->sends)
        sent << s.message;
    QCOMPARE(texts(sent), QStringList({ QStringLiteral("from the app") }));
    QCOMPARE(texts(script->answers), QStringList({ QStringLiteral("from the server") }));
    QCOMPARE(script->sends[0].afterOpenUs, 7'000);
}

void tst_ReplayScript::clientOfTheEmbeddedServer()
{
    Capture capture;
    Recorder r { capture };
    r.event(EventKind::HandshakeRequest, Direction::Incoming, 0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    r.frame(Direction::Incoming, 10, Opcode::Text, "client says");
    r.frame(Direction::Outgoing, 11, Opcode::Text, "server says");
    const auto script = ReplayScript::fromCapture(capture, 0, nullptr);
    QVERIFY(script);
    QCOMPARE(script->sends.size(), 1);
    QCOMPARE(script->sends[0].message.payload, QByteArray("client says"));
    QCOMPARE(script->sends[0].afterOpenUs, 10'000); // no OPEN recorded: from the first event
    QCOMPARE(texts(script->answers), QStringList({ QStringLiteral("server says") }));
}

void tst_ReplayScript::pickedAmongSeveral()
{
    Capture capture;
    Recorder one { capture, 1 }, two { capture, 2 };
    one.event(EventKind::HandshakeRequest, Direction::Outgoing, 0, "GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
    two.event(EventKind::HandshakeRequest, Direction::Outgoing, 0, "GET /two HTTP/1.1\r\nHost: h\r\n\r\n");
    one.frame(Direction::Outgoing, 1, Opcode::Text, "one:", false);
    two.frame(Direction::Outgoing, 2, Opcode::Text, "two");
    one.frame(Direction::Outgoing, 3, Opcode::Continuation, "end");
    const auto first = ReplayScript::fromCapture(capture, 0, nullptr);
    QVERIFY(first);
    QCOMPARE(first->path, QStringLiteral("/one"));
    QCOMPARE(first->sends.size(), 1);
    QCOMPARE(first->sends[0].message.payload, QByteArray("one:end")); // the other connection's frame is not in it
    const auto second = ReplayScript::fromCapture(capture, 2, nullptr);
    QVERIFY(second);
    QCOMPARE(second->path, QStringLiteral("/two"));
    QCOMPARE(second->sends.size(), 1);
    QCOMPARE(second->sends[0].message.payload, QByteArray("two"));
}

void tst_ReplayScript::cannotBeReplayed()
{
    Capture capture;
    QString error;
    QVERIFY(!ReplayScript::fromCapture(capture, 0, &error));
    QCOMPARE(error, QStringLiteral("the capture holds no connection"));
    Recorder r { capture };
    r.frame(Direction::Outgoing, 1, Opcode::Text, "kept");
    r.frame(Direction::Outgoing, 2, Opcode::Text, "", true, true);
    QVERIFY(!ReplayScript::fromCapture(capture, 3, &error));
    QCOMPARE(error, QStringLiteral("the capture holds no connection #3"));
    QVERIFY(!ReplayScript::fromCapture(capture, 1, &error));
    QVERIFY2(error.contains(QLatin1String("payload was dropped")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ReplayScript)
#include "tst_replayscript.moc"
