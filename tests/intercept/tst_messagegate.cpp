// The gate a relay puts on one direction when rules may change messages, driven by a RelayLeg as
// the relay drives it: what it writes on, byte for byte, and what it records.

#include "intercept/messagegate.h"
#include "log/interceptnote.h"
#include "net/relayleg.h"
#include "protocol/frameparser.h"
#include "protocol/framewriter.h"

#include <QTest>

namespace {
QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, bool mask = false)
{
    FrameSpec spec;
    spec.opcode = opcode;
    spec.fin = fin;
    spec.mask = mask;
    spec.maskingKey = mask ? std::optional<quint32>(0x11223344) : std::nullopt;
    spec.payload = payload;
    return FrameWriter::encode(spec).bytes;
}

struct Recorded {
    QList<WireEvent> events;
    QList<QByteArray> payloads; // the events' payloads, kept
};

// A leg of the server's frames (to the application), gated by `rules`.
struct Harness {
    std::shared_ptr<const MessageRules> rules;
    QByteArray written;
    Recorded recorded;
    std::unique_ptr<MessageGate> gate;
    std::unique_ptr<RelayLeg> leg;

    Harness(const QByteArray &json, Leg from = Leg::Server)
    {
        QString error;
        const std::optional<MessageRules> parsed = MessageRules::fromJson(json, &error);
        if (!parsed)
            qFatal("rules: %s", qPrintable(error));
        rules = std::make_shared<const MessageRules>(*parsed);
        auto record = [this](WireEvent &e) {
            recorded.payloads << e.payload.toByteArray();
            recorded.events << e;
        };
        gate = std::make_unique<MessageGate>(
            from, rules, [this](QByteArrayView bytes) { written.append(bytes.data(), bytes.size()); }, record);
        leg = std::make_unique<RelayLeg>(
            from, from == Leg::App ? FrameParser::Role::Server : FrameParser::Role::Client, record);
        leg->setGate(gate.get());
    }
    QList<InterceptNote> notes() const
    {
        QList<InterceptNote> out;
        for (qsizetype i = 0; i < recorded.events.size(); ++i)
            if (recorded.events[i].kind == EventKind::Intercept)
                out << *InterceptNote::fromJson(recorded.payloads[i]);
        return out;
    }
    QList<QByteArray> outgoingPayloads() const
    {
        QList<QByteArray> out;
        for (qsizetype i = 0; i < recorded.events.size(); ++i)
            if (recorded.events[i].kind == EventKind::Frame && recorded.events[i].direction == Direction::Outgoing)
                out << recorded.payloads[i];
        return out;
    }
};

const QByteArray UpperHello = R"([{"match":"hello","replace":"HELLO"}])";
} // namespace

class tst_MessageGate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unchangedPassesByteExact_data();
    void unchangedPassesByteExact();
    void changedBecomesOneFrame_data();
    void changedBecomesOneFrame();
    void violationStepsAside();
    void incompleteMessageIsReported();
    void holdForwardEditDrop();
    void holdingControlFrames();
    void stopHoldingForwardsWhatWaits();
    void injectBetweenMessages();
    void heldAtTheEndIsUndelivered();
    void holdEachFrame();
    void closeWaitsBehindHeldMessages();
};

void tst_MessageGate::unchangedPassesByteExact_data()
{
    QTest::addColumn<int>("chunk"); // bytes per read; 0: all at once
    QTest::addRow("one read") << 0;
    QTest::addRow("a byte per read") << 1;
    QTest::addRow("5 bytes per read") << 5;
}

void tst_MessageGate::unchangedPassesByteExact()
{
    QFETCH(int, chunk);
    Harness h(UpperHello);
    const QByteArray first = frame(Opcode::Text, "abc", false);
    const QByteArray ping = frame(Opcode::Ping, "p");
    const QByteArray last = frame(Opcode::Continuation, "def");
    const QByteArray binary = frame(Opcode::Binary, QByteArray(300, 'x'));
    const QByteArray input = first + ping + last + binary;
    for (qsizetype i = 0; i < input.size(); i += chunk ? chunk : input.size())
        h.leg->observe(QByteArrayView(input).sliced(i, qMin<qsizetype>(chunk ? chunk : input.size(), input.size() - i)), 1);
    // The ping between the fragments goes on at once; the message once whole, as it came.
    QCOMPARE(h.written, ping + first + last + binary);
    QVERIFY(h.notes().isEmpty());
    QVERIFY(h.outgoingPayloads().isEmpty());
}

void tst_MessageGate::changedBecomesOneFrame_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<bool>("masked");
    QTest::addRow("from the server: unmasked") << int(Leg::Server) << false;
    QTest::addRow("from the application: masked") << int(Leg::App) << true;
}

void tst_MessageGate::changedBecomesOneFrame()
{
    QFETCH(int, from);
    QFETCH(bool, masked);
    Harness h(UpperHello, Leg(from));
    const bool appMasks = Leg(from) == Leg::App;
    h.leg->observe(frame(Opcode::Text, "say hel", false, appMasks) + frame(Opcode::Continuation, "lo", true, appMasks), 1);

    FrameHeader header;
    QVERIFY(FrameHeader::decode(h.written, header));
    QVERIFY(header.fin);
    QCOMPARE(header.opcode, quint8(Opcode::Text));
    QCOMPARE(header.masked, masked);
    QCOMPARE(qsizetype(header.declaredLength), qsizetype(9));
    QByteArray payload = h.written.sliced(header.headerSize);
    if (masked)
        applyMask(payload.data(), payload.size(), header.maskingKey);
    QCOMPARE(payload, QByteArray("say HELLO"));

    QCOMPARE(h.outgoingPayloads(), QList<QByteArray> { "say HELLO" });
    const QList<InterceptNote> notes = h.notes();
    QCOMPARE(notes.size(), 1);
    QCOMPARE(notes.first().action, InterceptNote::Action::Edited);
    QCOMPARE(notes.first().message, quint32(1));
    QCOMPARE(notes.first().rules, QList<int> { 1 });
    QVERIFY2(notes.first().detail.contains(QLatin1String("rule 1")), qPrintable(notes.first().detail));
}

// A rule of RFC 6455 broken: from the offending frame on, bytes go as they came, rules or not.
void tst_MessageGate::violationStepsAside()
{
    Harness h(UpperHello);
    const QByteArray before = frame(Opcode::Text, "hello");
    const QByteArray started = frame(Opcode::Text, "hel", false);
    const QByteArray bad = QByteArray::fromHex("8300"); // reserved opcode 3
    const QByteArray after = frame(Opcode::Text, "hello again");
    h.leg->observe(before + started + bad, 1);
    h.leg->observe(after, 2);
    QCOMPARE(h.written, frame(Opcode::Text, "HELLO") + started + bad + after);
    const QList<InterceptNote> notes = h.notes();
    QCOMPARE(notes.size(), 2);
    QCOMPARE(notes[1].action, InterceptNote::Action::Forwarded);
    QVERIFY2(notes[1].detail.contains(QLatin1String("reserved-opcode")), qPrintable(notes[1].detail));
    QVERIFY(h.gate->isPassingThrough());
}

void tst_MessageGate::incompleteMessageIsReported()
{
    Harness h(UpperHello);
    h.leg->observe(frame(Opcode::Text, "hel", false) + frame(Opcode::Continuation, "l", false), 1);
    QCOMPARE(h.written, QByteArray());
    h.gate->finish();
    const QList<InterceptNote> notes = h.notes();
    QCOMPARE(notes.size(), 1);
    QCOMPARE(notes.first().action, InterceptNote::Action::Undelivered);
    QVERIFY2(notes.first().detail.contains(QLatin1String("2 of its frames")), qPrintable(notes.first().detail));
}

// Intercept on: each message waits for its decision, listed with its payload; each decision goes
// on the wire exactly as shown, in the order the decisions are made.
void tst_MessageGate::holdForwardEditDrop()
{
    Harness h(R"([{"match":"cat","replace":"dog"}])", Leg::App);
    h.gate->setHolding(true);
    const QByteArray one = frame(Opcode::Text, "one", true, true);
    h.leg->observe(one + frame(Opcode::Text, "two cat", true, true) + frame(Opcode::Binary, "3", true, true), 1);
    QCOMPARE(h.written, QByteArray());
    QCOMPARE(h.gate->heldCount(), 3);
    QList<InterceptNote> held;
    for (const InterceptNote &n : h.notes())
        if (n.action == InterceptNote::Action::Held)
            held << n;
    QCOMPARE(held.size(), 3);
    QCOMPARE(held[0].hold, quint32(1));
    QCOMPARE(held[0].payload, QByteArray("one"));
    QCOMPARE(held[1].payload, QByteArray("two dog")); // the rules applied before holding
    QCOMPARE(held[1].rules, QList<int> { 1 });
    QCOMPARE(held[2].opcode, quint8(Opcode::Binary));

    QVERIFY(h.gate->drop(2));
    QVERIFY(!h.gate->drop(2)); // decided once
    QVERIFY(h.gate->forward(3, QByteArray("three")));
    QVERIFY(h.gate->forward(1));
    QCOMPARE(h.gate->heldCount(), 0);
    // Message 3 edited by hand: a new masked frame; message 1 as it came, byte for byte.
    FrameHeader header;
    QVERIFY(FrameHeader::decode(h.written, header));
    QVERIFY(header.masked);
    QCOMPARE(header.opcode, quint8(Opcode::Binary));
    QByteArray payload = h.written.sliced(header.headerSize, qsizetype(header.declaredLength));
    applyMask(payload.data(), payload.size(), header.maskingKey);
    QCOMPARE(payload, QByteArray("three"));
    QCOMPARE(h.written.sliced(header.headerSize + 5), one);
    QCOMPARE(h.outgoingPayloads(), QList<QByteArray> { "three" });

    QStringList actions;
    for (const InterceptNote &n : h.notes())
        actions << QString::fromLatin1(InterceptNote::actionKey(n.action)) + QString::number(n.hold);
    QCOMPARE(actions,
        (QStringList { QStringLiteral("held1"), QStringLiteral("edited0"), QStringLiteral("held2"),
            QStringLiteral("held3"), QStringLiteral("dropped2"), QStringLiteral("edited3"), QStringLiteral("forwarded1") }));
}

void tst_MessageGate::holdingControlFrames()
{
    Harness h(QByteArray("[]"));
    const QByteArray ping = frame(Opcode::Ping, "p");
    h.gate->setHolding(true, false);
    h.leg->observe(ping, 1);
    QCOMPARE(h.written, ping); // control frames pass unless asked
    h.written.clear();
    h.gate->setHolding(true, true);
    h.leg->observe(ping, 2);
    QCOMPARE(h.written, QByteArray());
    QCOMPARE(h.gate->heldCount(), 1);
    QVERIFY(h.gate->forward(1));
    QCOMPARE(h.written, ping);
}

void tst_MessageGate::stopHoldingForwardsWhatWaits()
{
    Harness h(QByteArray("[]"));
    h.gate->setHolding(true);
    const QByteArray a = frame(Opcode::Text, "a"), b = frame(Opcode::Text, "b");
    h.leg->observe(a + b, 1);
    QCOMPARE(h.written, QByteArray());
    h.gate->setHolding(false);
    QCOMPARE(h.written, a + b);
    const QByteArray c = frame(Opcode::Text, "c");
    h.leg->observe(c, 2);
    QCOMPARE(h.written, a + b + c);
}

// An injected message never cuts a message in two: one being collected waits its turn.
void tst_MessageGate::injectBetweenMessages()
{
    Harness h(QByteArray("[]"));
    const QByteArray start = frame(Opcode::Text, "ab", false), end = frame(Opcode::Continuation, "c");
    h.leg->observe(start, 1);
    FrameSpec injected;
    injected.opcode = Opcode::Text;
    injected.mask = false;
    injected.payload = "from the inspector";
    h.gate->inject(injected);
    h.leg->observe(end, 2);
    QCOMPARE(h.written, FrameWriter::encode(injected).bytes + start + end);
    QCOMPARE(h.outgoingPayloads(), QList<QByteArray> { "from the inspector" });
    QCOMPARE(h.notes().size(), 1);
    QCOMPARE(h.notes().first().action, InterceptNote::Action::Injected);
}

void tst_MessageGate::heldAtTheEndIsUndelivered()
{
    Harness h(QByteArray("[]"));
    h.gate->setHolding(true);
    h.leg->observe(frame(Opcode::Text, "waiting"), 1);
    h.gate->finish();
    const QList<InterceptNote> notes = h.notes();
    QCOMPARE(notes.size(), 2);
    QCOMPARE(notes[1].action, InterceptNote::Action::Undelivered);
    QCOMPARE(notes[1].payload, QByteArray("waiting"));
    QCOMPARE(h.written, QByteArray());
    QCOMPARE(h.gate->heldCount(), 0);
}

// Frame by frame: each fragment waits on its own; an edited one keeps its place in the message
// (a continuation stays a continuation, FIN as it was).
void tst_MessageGate::holdEachFrame()
{
    Harness h(UpperHello);
    h.gate->setHolding(true, false, true);
    const QByteArray first = frame(Opcode::Text, "hel", false), last = frame(Opcode::Continuation, "lo");
    h.leg->observe(first + last, 1);
    QCOMPARE(h.gate->heldCount(), 2);
    const QList<InterceptNote> notes = h.notes();
    QCOMPARE(notes.size(), 2);
    QCOMPARE(notes[0].fin, false);
    QCOMPARE(notes[1].opcode, quint8(Opcode::Continuation));
    QCOMPARE(notes[1].fin, true);
    QVERIFY(h.gate->forward(1));
    QVERIFY(h.gate->forward(2, QByteArray("LO!")));
    QCOMPARE(h.written, first + frame(Opcode::Continuation, "LO!"));
}

// Nothing may follow a close frame: one arriving while messages are held waits behind them.
void tst_MessageGate::closeWaitsBehindHeldMessages()
{
    Harness h(QByteArray("[]"));
    h.gate->setHolding(true);
    const QByteArray message = frame(Opcode::Text, "first"), close = frame(Opcode::Close, QByteArray::fromHex("03e8"));
    const QByteArray ping = frame(Opcode::Ping, "p");
    h.leg->observe(message + ping + close, 1);
    QCOMPARE(h.written, ping); // a ping still passes
    QCOMPARE(h.gate->heldCount(), 2);
    h.gate->forwardAll();
    QCOMPARE(h.written, ping + message + close);
}

QTEST_GUILESS_MAIN(tst_MessageGate)
#include "tst_messagegate.moc"
