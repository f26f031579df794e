#include "log/capture.h"
#include "log/timelinemodel.h"
#include "protocol/framewriter.h"

#include <QSignalSpy>
#include <QTest>

#include <bit>

namespace {
constexpr qint64 kBase = 1'700'000'000'000'000; // microseconds since the epoch

void recordFrame(
    Capture &capture, Direction direction, quint8 opcode, QByteArrayView payload, qint64 timeUs, bool fin = true)
{
    char header[14];
    const bool mask = direction == Direction::Outgoing;
    const int size = FrameWriter::writeHeader(header, fin, 0, opcode, quint64(payload.size()), mask, 0x37fa213d);
    WireEvent e;
    e.timeUs = timeUs;
    e.direction = direction;
    e.kind = EventKind::Frame;
    e.header = QByteArrayView(header, size);
    FrameHeader::decode(e.header, e.frame);
    e.payload = payload;
    capture.record(e);
}

void recordLocal(Capture &capture, EventKind kind, Direction direction, QByteArrayView payload, qint64 timeUs)
{
    WireEvent e;
    e.timeUs = timeUs;
    e.kind = kind;
    e.direction = direction;
    e.payload = payload;
    capture.record(e);
}

void recordState(Capture &capture, ReadyState state, qint64 timeUs, quint16 code = 0, bool clean = false)
{
    WireEvent e;
    e.timeUs = timeUs;
    e.kind = EventKind::StateChange;
    e.state = state;
    e.closeCode = code;
    e.wasClean = clean;
    const QByteArray text = readyStateName(state).toUtf8();
    e.payload = text;
    capture.record(e);
}

// A session as a script, one event per word: "dir:kind:arg:time" with dir o (out, client), i (in,
// server) or l (local), time in µs after kBase. Kinds: text, bin, cont (no FIN), last (continuation
// with FIN), first (text without FIN), ping, pong, close ("1000/reason", "" for an empty payload),
// req, resp, open, closing, closed ("1000/clean" or "1006/dirty"), violation ("1002"), error, tls.
void play(Capture &capture, const QString &script)
{
    const QStringList words = script.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        const QStringList f = word.split(QLatin1Char(':'));
        QVERIFY2(f.size() == 4, qPrintable(word));
        const Direction dir = f[0] == QLatin1String("o") ? Direction::Outgoing
            : f[0] == QLatin1String("i")                 ? Direction::Incoming
                                                         : Direction::Local;
        const QString &kind = f[1];
        const QByteArray arg = f[2].toUtf8();
        const qint64 t = kBase + f[3].toLongLong();
        if (kind == QLatin1String("text")) {
            recordFrame(capture, dir, Opcode::Text, arg, t);
        } else if (kind == QLatin1String("bin")) {
            recordFrame(capture, dir, Opcode::Binary, arg, t);
        } else if (kind == QLatin1String("first")) {
            recordFrame(capture, dir, Opcode::Text, arg, t, false);
        } else if (kind == QLatin1String("cont")) {
            recordFrame(capture, dir, Opcode::Continuation, arg, t, false);
        } else if (kind == QLatin1String("last")) {
            recordFrame(capture, dir, Opcode::Continuation, arg, t, true);
        } else if (kind == QLatin1String("ping")) {
            recordFrame(capture, dir, Opcode::Ping, arg, t);
        } else if (kind == QLatin1String("pong")) {
            recordFrame(capture, dir, Opcode::Pong, arg, t);
        } else if (kind == QLatin1String("res3")) {
            recordFrame(capture, dir, 0x3, arg, t);
        } else if (kind == QLatin1String("close")) {
            QByteArray payload;
            if (!arg.isEmpty()) {
                const qsizetype slash = arg.indexOf('/');
                const quint16 code = quint16(arg.left(slash < 0 ? arg.size() : slash).toUInt());
                payload = FrameWriter::closePayload(code, slash < 0 ? QByteArray() : arg.mid(slash + 1));
            }
            recordFrame(capture, dir, Opcode::Close, payload, t);
        } else if (kind == QLatin1String("req")) {
            recordLocal(capture, EventKind::HandshakeRequest, Direction::Outgoing,
                "GET /chat HTTP/1.1\r\nHost: example.org\r\n\r\n", t);
        } else if (kind == QLatin1String("resp")) {
            const QByteArray status
                = arg.isEmpty() ? QByteArray("101 Switching Protocols") : QByteArray(arg).replace('_', ' ');
            recordLocal(capture, EventKind::HandshakeResponse, Direction::Incoming,
                "HTTP/1.1 " + status + "\r\nUpgrade: websocket\r\n\r\n", t);
        } else if (kind == QLatin1String("open")) {
            recordState(capture, ReadyState::Open, t);
        } else if (kind == QLatin1String("closing")) {
            recordState(capture, ReadyState::Closing, t);
        } else if (kind == QLatin1String("closed")) {
            const QList<QByteArray> parts = arg.split('/');
            recordState(capture, ReadyState::Closed, t, quint16(parts.value(0).toUInt()), parts.value(1) == "clean");
        } else if (kind == QLatin1String("violation")) {
            WireEvent e;
            e.timeUs = t;
            e.kind = EventKind::Violation;
            e.direction = Direction::Incoming;
            e.violation = ViolationRule::ReservedOpcode;
            e.closeCode = quint16(arg.toUInt());
            e.payload = "reserved opcode 0x3";
            capture.record(e);
        } else if (kind == QLatin1String("error")) {
            recordLocal(capture, EventKind::Error, Direction::Local, arg, t);
        } else if (kind == QLatin1String("tls")) {
            recordLocal(capture, EventKind::TlsInfo, Direction::Local, "TLSv1.3 TLS_AES_128_GCM_SHA256\nchain", t);
        } else {
            QFAIL(qPrintable(QStringLiteral("unknown kind in ") + word));
        }
    }
}

QString describe(const PingPong &p, qsizetype index)
{
    switch (p.status) {
    case PingPong::Status::NotControl:
        return QStringLiteral("-");
    case PingPong::Status::Answered:
        return QStringLiteral("answered:%1:%2").arg(p.ping == index ? p.pong : p.ping).arg(p.rttUs);
    case PingPong::Status::Unanswered:
        return QStringLiteral("unanswered");
    case PingPong::Status::Superseded:
        return QStringLiteral("superseded");
    case PingPong::Status::Unsolicited:
        return QStringLiteral("unsolicited");
    }
    return QString();
}

// The row rule, written out directly from the definition: an event starts a row when it is the
// first, has a row of its own, follows one that has, or falls into another bucket of 2^level µs
// (times taken as the running maximum) than the event before it.
std::vector<bool> bruteForceStarts(const Capture &capture, int level)
{
    std::vector<bool> starts(size_t(capture.count()));
    qint64 t0 = 0;
    qint64 prev = 0;
    bool prevOwn = true;
    for (qsizetype i = 0; i < capture.count(); ++i) {
        const WireEvent e = capture.event(i);
        const bool own = e.kind != EventKind::Frame || e.frame.opcode == Opcode::Close;
        if (i == 0)
            t0 = prev = e.timeUs;
        const qint64 t = qMax(prev, e.timeUs);
        const bool differs = level < 0 || ((prev - t0) >> level) != ((t - t0) >> level);
        starts[size_t(i)] = i == 0 || own || prevOwn || differs;
        prev = t;
        prevOwn = own;
    }
    return starts;
}

// Frames every `spacing` µs, all outgoing text of 10 bytes, or alternating out/in.
void recordFlood(Capture &capture, qsizetype count, qint64 spacing, bool alternate)
{
    const QByteArray payload(10, 'x');
    for (qsizetype i = 0; i < count; ++i) {
        const Direction d = alternate && (i % 2) ? Direction::Incoming : Direction::Outgoing;
        recordFrame(capture, d, Opcode::Text, payload, kBase + i * spacing);
    }
}
} // namespace

class tst_TimelineModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void relayDrawnAsTravelled();
    void pingPongPairing_data();
    void pingPongPairing();
    void pingPongLabels_data();
    void pingPongLabels();
    void closingSummary_data();
    void closingSummary();
    void handshakeSummary_data();
    void handshakeSummary();
    void formatDuration_data();
    void formatDuration();
    void frameLabels_data();
    void frameLabels();
    void rowLabels_data();
    void rowLabels();
    void importantEventsKeepTheirRows();
    void burstGrouping_data();
    void burstGrouping();
    void burstAcrossBlocks();
    void visibleRangeIsBounded();
    void rowsMatchBruteForce_data();
    void rowsMatchBruteForce();
    void incrementalGrowth();
    void backlogInSlices();
    void clearResets();
};

// A relay records each frame once, incoming on the leg it arrived on; the timeline draws the
// application's frames going out toward the server and the server's coming in, so a ping from the
// application pairs with the server's pong.
void tst_TimelineModel::relayDrawnAsTravelled()
{
    Capture capture;
    auto relayed = [&capture](Leg leg, quint8 opcode, QByteArrayView payload, qint64 timeUs) {
        char header[14];
        const int size = FrameWriter::writeHeader(header, true, 0, opcode, quint64(payload.size()), leg == Leg::App, 1);
        WireEvent e;
        e.timeUs = timeUs;
        e.direction = Direction::Incoming;
        e.leg = leg;
        e.kind = EventKind::Frame;
        e.header = QByteArrayView(header, size);
        FrameHeader::decode(e.header, e.frame);
        e.payload = payload;
        capture.record(e);
    };
    relayed(Leg::App, Opcode::Ping, "p", 1'000'000);
    relayed(Leg::Server, Opcode::Pong, "p", 1'000'700);
    relayed(Leg::App, Opcode::Text, "up", 1'002'000);
    TimelineModel model;
    model.setCapture(&capture);
    model.flushPending();
    QVERIFY(model.isRelayed());
    QCOMPARE(model.eventAt(0).direction, Direction::Outgoing);
    QCOMPARE(model.eventAt(1).direction, Direction::Incoming);
    QCOMPARE(capture.event(0).direction, Direction::Incoming); // the capture itself is unchanged
    const PingPong pair = model.pingPong(0);
    QCOMPARE(pair.status, PingPong::Status::Answered);
    QCOMPARE(pair.pong, qsizetype(1));
    QCOMPARE(pair.rttUs, qint64(700));
    const TimelineItem text = model.item(TimelineModel::EveryEventLevel, 2);
    QCOMPARE(text.lane(Direction::Outgoing).count, qsizetype(1));
    QVERIFY(text.lane(Direction::Incoming).isEmpty());
    capture.clear();
    model.flushPending();
    QVERIFY(!model.isRelayed());
}

void tst_TimelineModel::pingPongPairing_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("expected"); // per event: "answered:<partner>:<rtt>", "unanswered", ...

    QTest::addRow("ping A, ping B, pong B, pong A")
        << QStringLiteral("o:ping:A:0 o:ping:B:100 i:pong:B:250 i:pong:A:400")
        << QStringList { QStringLiteral("answered:3:400"), QStringLiteral("answered:2:150"),
               QStringLiteral("answered:1:150"), QStringLiteral("answered:0:400") };
    QTest::addRow("equal payloads pair in order")
        << QStringLiteral("o:ping::0 o:ping::10 i:pong::30 i:pong::45")
        << QStringList { QStringLiteral("answered:2:30"), QStringLiteral("answered:3:35"),
               QStringLiteral("answered:0:30"), QStringLiteral("answered:1:35") };
    QTest::addRow("unsolicited pongs both ways") << QStringLiteral(
        "i:pong:hb:0 o:pong:hb:10") << QStringList { QStringLiteral("unsolicited"), QStringLiteral("unsolicited") };
    QTest::addRow("a ping never answered")
        << QStringLiteral("o:ping:z:0 o:text:hi:10 i:text:hi:20 l:closed:1006/dirty:30")
        << QStringList { QStringLiteral("unanswered"), QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("-") };
    QTest::addRow("only the most recent ping answered")
        << QStringLiteral("o:ping:A:0 o:ping:B:10 i:pong:B:30")
        << QStringList { QStringLiteral("superseded"), QStringLiteral("answered:2:20"),
               QStringLiteral("answered:1:20") };
    QTest::addRow("own pong answers no own ping") << QStringLiteral(
        "o:ping:a:0 o:pong:a:5") << QStringList { QStringLiteral("unanswered"), QStringLiteral("unsolicited") };
    QTest::addRow("server ping, client pong") << QStringLiteral(
        "i:ping:s:0 o:pong:s:70") << QStringList { QStringLiteral("answered:1:70"), QStringLiteral("answered:0:70") };
    QTest::addRow("payload must match") << QStringLiteral("o:ping:a:0 i:pong:b:9")
                                        << QStringList { QStringLiteral("unanswered"), QStringLiteral("unsolicited") };
    QTest::addRow("pong before its ping") << QStringLiteral(
        "i:pong:a:0 o:ping:a:5") << QStringList { QStringLiteral("unsolicited"), QStringLiteral("unanswered") };
    QTest::addRow("crossing pings") << QStringLiteral("o:ping:x:0 i:ping:x:1 o:pong:x:2 i:pong:x:3")
                                    << QStringList { QStringLiteral("answered:3:3"), QStringLiteral("answered:2:1"),
                                           QStringLiteral("answered:1:1"), QStringLiteral("answered:0:3") };
    QTest::addRow("a pong taken is not taken twice")
        << QStringLiteral("o:ping:p:0 i:pong:p:10 i:pong:p:20")
        << QStringList { QStringLiteral("answered:1:10"), QStringLiteral("answered:0:10"),
               QStringLiteral("unsolicited") };
}

void tst_TimelineModel::pingPongPairing()
{
    QFETCH(QString, script);
    QFETCH(QStringList, expected);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, script);
    model.flushPending();
    QCOMPARE(model.eventCount(), expected.size());
    QStringList actual;
    for (qsizetype i = 0; i < expected.size(); ++i)
        actual << describe(model.pingPong(i), i);
    QCOMPARE(actual, expected);
}

void tst_TimelineModel::pingPongLabels_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("label");

    QTest::addRow("rtt in µs") << QStringLiteral("o:ping:a:0 i:pong:a:412") << 0 << QStringLiteral("RTT 412 µs");
    QTest::addRow("rtt in ms") << QStringLiteral("o:ping:a:0 i:pong:a:1234") << 1 << QStringLiteral("RTT 1.23 ms");
    QTest::addRow("rtt in s") << QStringLiteral("o:ping:a:0 i:pong:a:2500000") << 1 << QStringLiteral("RTT 2.50 s");
    QTest::addRow("no pong yet") << QStringLiteral("o:ping:a:0") << 0 << QStringLiteral("no pong yet");
    QTest::addRow("never answered") << QStringLiteral("o:ping:a:0 l:closed:1006/dirty:9") << 0
                                    << QStringLiteral("never answered");
    QTest::addRow("superseded") << QStringLiteral("o:ping:a:0 o:ping:b:1 i:pong:b:2") << 0
                                << QStringLiteral("no pong (a later ping was answered)");
    QTest::addRow("unsolicited") << QStringLiteral("i:pong:a:0") << 0 << QStringLiteral("unsolicited pong");
    QTest::addRow("not a control frame") << QStringLiteral("o:text:a:0") << 0 << QString();
}

void tst_TimelineModel::pingPongLabels()
{
    QFETCH(QString, script);
    QFETCH(int, index);
    QFETCH(QString, label);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, script);
    model.flushPending();
    QCOMPARE(TimelineModel::pingPongLabel(model.pingPong(index), model.isClosed()), label);
}

void tst_TimelineModel::closingSummary_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("initiator");
    QTest::addColumn<int>("firstClose");
    QTest::addColumn<int>("reply");
    QTest::addColumn<int>("finalCode");
    QTest::addColumn<bool>("clean");
    QTest::addColumn<QString>("text");

    const QString open = QStringLiteral("o:req::0 i:resp::900 l:open::900 o:text:hi:1000 i:text:hi:1100 ");
    QTest::addRow("client closed first")
        << open
            + QStringLiteral("o:close:1000/done:2000 l:closing::2000 i:close:1000/done:2230 "
                             "l:closed:1000/clean:2300")
        << int(ClosingSummary::Initiator::Client) << 5 << 7 << 1000 << true
        << QStringLiteral("client closed first: → 1000 Normal Closure \"done\", ← 1000 Normal Closure \"done\"; "
                          "clean, 230 µs");
    QTest::addRow("server closed first")
        << open + QStringLiteral("i:close:1001/bye:5000 l:closing::5000 o:close:1001:5050 l:closed:1001/clean:6000")
        << int(ClosingSummary::Initiator::Server) << 5 << 7 << 1001 << true
        << QStringLiteral("server closed first: ← 1001 Going Away \"bye\", → 1001 Going Away; clean, 50 µs");
    QTest::addRow("a bidi override in the reason is escaped")
        << open + QStringLiteral("i:close:1001/a\u202eb:5000 l:closing::5000 o:close:1001:5050 l:closed:1001/clean:6000")
        << int(ClosingSummary::Initiator::Server) << 5 << 7 << 1001 << true
        << QStringLiteral("server closed first: ← 1001 Going Away \"a\\u202eb\", → 1001 Going Away; clean, 50 µs");
    QTest::addRow("1006 without a closing handshake")
        << open + QStringLiteral("l:closed:1006/dirty:9000") << int(ClosingSummary::Initiator::None) << -1 << -1 << 1006
        << false << QStringLiteral("no closing handshake; closed 1006 Abnormal Closure, not clean");
    QTest::addRow("close sent, no reply")
        << open + QStringLiteral("o:close:1000:2000 l:closing::2000 l:closed:1006/dirty:7002000")
        << int(ClosingSummary::Initiator::Client) << 5 << -1 << 1006 << false
        << QStringLiteral("client closed first: → 1000 Normal Closure, no reply; closed 1006 Abnormal Closure, "
                          "not clean");
    QTest::addRow("empty close frames") << open + QStringLiteral("o:close::2000 i:close::2010 l:closed:1005/clean:2020")
                                        << int(ClosingSummary::Initiator::Client) << 5 << 6 << 1005 << true
                                        << QStringLiteral(
                                               "client closed first: → no status code, ← no status code; clean, 10 µs");
    QTest::addRow("still closing") << open + QStringLiteral("i:close:4000:2000")
                                   << int(ClosingSummary::Initiator::Server) << 5 << -1 << 0 << false
                                   << QStringLiteral("server closed first: ← 4000 Private use, no reply");
    QTest::addRow("open") << open << int(ClosingSummary::Initiator::None) << -1 << -1 << 0 << false
                          << QStringLiteral("no close frame yet");
    QTest::addRow("a second close the same way is no reply")
        << open + QStringLiteral("o:close:1000:2000 o:close:1000:2001 i:close:1000:2100 l:closed:1000/clean:2200")
        << int(ClosingSummary::Initiator::Client) << 5 << 7 << 1000 << true
        << QStringLiteral("client closed first: → 1000 Normal Closure, ← 1000 Normal Closure; clean, 100 µs");
}

void tst_TimelineModel::closingSummary()
{
    QFETCH(QString, script);
    QFETCH(int, initiator);
    QFETCH(int, firstClose);
    QFETCH(int, reply);
    QFETCH(int, finalCode);
    QFETCH(bool, clean);
    QFETCH(QString, text);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, script);
    model.flushPending();
    const ClosingSummary summary = model.closingSummary();
    QCOMPARE(int(summary.initiator), initiator);
    QCOMPARE(summary.firstCloseIndex, qsizetype(firstClose));
    QCOMPARE(summary.replyIndex, qsizetype(reply));
    QCOMPARE(int(summary.finalCode), finalCode);
    QCOMPARE(summary.wasClean, clean);
    QCOMPARE(summary.text(), text);
}

void tst_TimelineModel::handshakeSummary_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("statusLine");
    QTest::addColumn<qint64>("durationUs");

    QTest::addRow("101") << QStringLiteral("o:req::0 i:resp::1200 l:open::1200") << 101
                         << QStringLiteral("HTTP/1.1 101 Switching Protocols") << qint64(1200);
    QTest::addRow("404") << QStringLiteral("o:req::0 i:resp:404_Not_Found:35000 l:closed:1006/dirty:35001") << 404
                         << QStringLiteral("HTTP/1.1 404 Not Found") << qint64(35000);
    QTest::addRow("no response") << QStringLiteral("o:req::0 l:error:refused:10") << 0 << QString() << qint64(-1);
}

void tst_TimelineModel::handshakeSummary()
{
    QFETCH(QString, script);
    QFETCH(int, status);
    QFETCH(QString, statusLine);
    QFETCH(qint64, durationUs);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, script);
    model.flushPending();
    const HandshakeSummary hs = model.handshake();
    QCOMPARE(hs.requestIndex, qsizetype(0));
    QCOMPARE(hs.requestLine, QStringLiteral("GET /chat HTTP/1.1"));
    QCOMPARE(hs.status, status);
    QCOMPARE(hs.statusLine, statusLine);
    QCOMPARE(hs.durationUs, durationUs);
    QCOMPARE(hs.responseIndex, status ? qsizetype(1) : qsizetype(-1));
    if (status) {
        const TimelineItem response = model.item(TimelineModel::EveryEventLevel, 1);
        QCOMPARE(response.kind, TimelineItem::Kind::HandshakeResponse);
        QCOMPARE(response.httpStatus, status);
        QCOMPARE(response.direction, Direction::Incoming);
    }
}

void tst_TimelineModel::formatDuration_data()
{
    QTest::addColumn<qint64>("us");
    QTest::addColumn<QString>("text");
    QTest::addRow("0") << qint64(0) << QStringLiteral("0 µs");
    QTest::addRow("negative") << qint64(-5) << QStringLiteral("0 µs");
    QTest::addRow("999 µs") << qint64(999) << QStringLiteral("999 µs");
    QTest::addRow("1 ms") << qint64(1000) << QStringLiteral("1.00 ms");
    QTest::addRow("1.23 ms") << qint64(1234) << QStringLiteral("1.23 ms");
    QTest::addRow("12.3 ms") << qint64(12345) << QStringLiteral("12.3 ms");
    QTest::addRow("123 ms") << qint64(123456) << QStringLiteral("123 ms");
    QTest::addRow("1.23 s") << qint64(1234567) << QStringLiteral("1.23 s");
    QTest::addRow("12.3 s") << qint64(12345678) << QStringLiteral("12.3 s");
    QTest::addRow("minutes") << qint64(123'000'000) << QStringLiteral("2 min 3 s");
    QTest::addRow("hours") << qint64(3723'000'000) << QStringLiteral("1 h 2 min");
}

void tst_TimelineModel::formatDuration()
{
    QFETCH(qint64, us);
    QFETCH(QString, text);
    QCOMPARE(TimelineModel::formatDuration(us), text);
}

void tst_TimelineModel::frameLabels_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("label");

    const int every = TimelineModel::EveryEventLevel;
    const int out = int(Direction::Outgoing);
    const int in = int(Direction::Incoming);
    QTest::addRow("first frame has no +time")
        << QStringLiteral("o:text:hello:0") << every << 0 << out << QStringLiteral("text, 5 B");
    QTest::addRow("echo") << QStringLiteral("o:text:hello:0 i:text:hello:310") << every << 1 << in
                          << QStringLiteral("text, 5 B, +310 µs");
    QTest::addRow("first fragment") << QStringLiteral("o:text:x:0 o:first:abc:10") << every << 1 << out
                                    << QStringLiteral("text, 3 B, first fragment, +10 µs");
    QTest::addRow("middle fragment") << QStringLiteral("o:text:x:0 o:cont:abcd:2000") << every << 1 << out
                                     << QStringLiteral("continuation, 4 B, fragment, +2.00 ms");
    QTest::addRow("last fragment") << QStringLiteral("o:text:x:0 i:last:ab:10") << every << 1 << in
                                   << QStringLiteral("continuation, 2 B, last fragment, +10 µs");
    QTest::addRow("binary") << QStringLiteral("i:bin:abcdefgh:0") << every << 0 << in << QStringLiteral("binary, 8 B");
    QTest::addRow("reserved opcode") << QStringLiteral("i:res3::0") << every << 0 << in
                                     << QStringLiteral("reserved-3, 0 B");
    QTest::addRow("burst of one type") << QStringLiteral(
        "o:text:aaaa:0 o:text:aaaa:100 o:text:aaaa:300 o:text:aaaa:800")
                                       << 10 << 0 << out << QStringLiteral("4 text frames, 16 B, 800 µs");
    QTest::addRow("mixed burst") << QStringLiteral("o:text:aaaa:0 o:ping:p:10 o:text:aaaa:20 o:bin:bb:1500") << 11 << 0
                                 << out << QStringLiteral("4 frames (2 text, 1 binary, 1 ping), 11 B, 1.50 ms");
    QTest::addRow("one each way in a row, outgoing")
        << QStringLiteral("o:text:hello:0 i:text:hello:300") << 10 << 0 << out << QStringLiteral("text, 5 B");
    QTest::addRow("one each way in a row, incoming")
        << QStringLiteral("o:text:hello:0 i:text:hello:300") << 10 << 0 << in << QStringLiteral("text, 5 B, +300 µs");
}

void tst_TimelineModel::frameLabels()
{
    QFETCH(QString, script);
    QFETCH(int, level);
    QFETCH(int, row);
    QFETCH(int, direction);
    QFETCH(QString, label);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, script);
    model.flushPending();
    const TimelineItem item = model.item(level, row);
    QCOMPARE(item.kind, TimelineItem::Kind::Frames);
    QCOMPARE(TimelineModel::laneLabel(item.lane(Direction(direction))), label);
}

void tst_TimelineModel::rowLabels_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("labels"); // one per row at EveryEventLevel

    QTest::addRow("a whole session") << QStringLiteral(
        "o:req::0 i:resp::900 l:open::900 o:text:hi:1000 o:close:1000/done:2000 l:closing::2000 "
        "i:close:1000/done:2200 l:closed:1000/clean:2300")
                                     << QStringList { QStringLiteral("GET /chat HTTP/1.1, 41 B"),
                                            QStringLiteral("HTTP/1.1 101 Switching Protocols, 56 B"),
                                            QStringLiteral("OPEN"), QStringLiteral("text, 2 B, +100 µs"),
                                            QStringLiteral("close 1000 Normal Closure \"done\""),
                                            QStringLiteral("CLOSING"),
                                            QStringLiteral("close 1000 Normal Closure \"done\""),
                                            QStringLiteral("CLOSED, 1000 Normal Closure, clean, client closed first") };
    QTest::addRow("violation, error, tls")
        << QStringLiteral("l:tls::0 i:violation:1002:5 l:error:boom\x01:6 l:closed:1006/dirty:7")
        << QStringList { QStringLiteral("TLS: TLSv1.3 TLS_AES_128_GCM_SHA256"),
               QStringLiteral("reserved-opcode (RFC 6455 §5.2) → 1002 Protocol Error: reserved opcode 0x3"),
               QStringLiteral("error: boom\\x01"),
               QStringLiteral("CLOSED, 1006 Abnormal Closure, not clean, no closing handshake") };
}

void tst_TimelineModel::rowLabels()
{
    QFETCH(QString, script);
    QFETCH(QStringList, labels);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, script);
    model.flushPending();
    QStringList actual;
    for (const TimelineItem &item : model.items(TimelineModel::EveryEventLevel, 0, 100))
        actual << model.itemLabel(item);
    QCOMPARE(actual, labels);
}

void tst_TimelineModel::importantEventsKeepTheirRows()
{
    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture, QStringLiteral("o:req::0 i:resp::900 l:open::900"));
    recordFlood(capture, 3000, 1, true);
    play(capture, QStringLiteral("i:violation:1002:5000"));
    recordFlood(capture, 2000, 1, false);
    play(capture, QStringLiteral("o:close:1000:9000 l:closing::9000 i:close:1000:9100 l:closed:1000/clean:9200"));
    model.flushPending();

    // Even a bucket of 2^40 µs keeps each important event in a row of its own.
    const QList<TimelineItem> rows = model.items(TimelineModel::MaxLevel, 0, 100);
    QList<TimelineItem::Kind> kinds;
    for (const TimelineItem &item : rows)
        kinds << item.kind;
    using K = TimelineItem::Kind;
    const QList<K> expected { K::HandshakeRequest, K::HandshakeResponse, K::State, K::Frames, K::Violation, K::Frames,
        K::CloseFrame, K::State, K::CloseFrame, K::State };
    QCOMPARE(kinds, expected);
    QCOMPARE(rows.at(3).first, qsizetype(3));
    QCOMPARE(rows.at(3).last, qsizetype(3002));
    QCOMPARE(rows.at(3).lane(Direction::Outgoing).count, qsizetype(1500));
    QCOMPARE(rows.at(3).lane(Direction::Incoming).count, qsizetype(1500));
    QCOMPARE(rows.at(5).lane(Direction::Outgoing).count, qsizetype(2000));
    QCOMPARE(rows.at(5).lane(Direction::Incoming).count, qsizetype(0));
    QCOMPARE(rows.at(5).direction, Direction::Outgoing);
    QCOMPARE(rows.at(9).state, ReadyState::Closed);
    QCOMPARE(model.rowCount(TimelineModel::MaxLevel), qsizetype(10));
}

void tst_TimelineModel::burstGrouping_data()
{
    QTest::addColumn<qint64>("spacing");
    QTest::addColumn<bool>("alternate");
    QTest::addColumn<int>("level");
    QTest::addColumn<qsizetype>("rows");
    QTest::addColumn<qsizetype>("firstRowOut");
    QTest::addColumn<qsizetype>("firstRowIn");
    QTest::addColumn<qsizetype>("lastRowFrames");

    // 10,000 frames of 10 bytes.
    QTest::addRow("every event") << qint64(1) << false << -1 << qsizetype(10000) << qsizetype(1) << qsizetype(0)
                                 << qsizetype(1);
    QTest::addRow("1 µs buckets") << qint64(1) << false << 0 << qsizetype(10000) << qsizetype(1) << qsizetype(0)
                                  << qsizetype(1);
    QTest::addRow("8 µs buckets") << qint64(1) << false << 3 << qsizetype(1250) << qsizetype(8) << qsizetype(0)
                                  << qsizetype(8);
    QTest::addRow("1 ms buckets") << qint64(1) << false << 10 << qsizetype(10) << qsizetype(1024) << qsizetype(0)
                                  << qsizetype(784);
    QTest::addRow("1 ms buckets, both ways")
        << qint64(1) << true << 10 << qsizetype(10) << qsizetype(512) << qsizetype(512) << qsizetype(784);
    QTest::addRow("3 µs apart, 1 ms buckets") << qint64(3) << false << 10 << qsizetype(30) << qsizetype(342)
                                              << qsizetype(0) << qsizetype(10000 - 29 * 1024 / 3 - 1);
    QTest::addRow("all in one bucket") << qint64(1) << true << 14 << qsizetype(1) << qsizetype(5000) << qsizetype(5000)
                                       << qsizetype(10000);
    QTest::addRow("same microsecond, every event")
        << qint64(0) << false << -1 << qsizetype(10000) << qsizetype(1) << qsizetype(0) << qsizetype(1);
    QTest::addRow("same microsecond, finest bucket")
        << qint64(0) << false << 0 << qsizetype(1) << qsizetype(10000) << qsizetype(0) << qsizetype(10000);
}

void tst_TimelineModel::burstGrouping()
{
    QFETCH(qint64, spacing);
    QFETCH(bool, alternate);
    QFETCH(int, level);
    QFETCH(qsizetype, rows);
    QFETCH(qsizetype, firstRowOut);
    QFETCH(qsizetype, firstRowIn);
    QFETCH(qsizetype, lastRowFrames);

    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    recordFlood(capture, 10000, spacing, alternate);
    model.flushPending();

    QCOMPARE(model.rowCount(level), rows);
    const TimelineItem first = model.item(level, 0);
    QCOMPARE(first.lane(Direction::Outgoing).count, firstRowOut);
    QCOMPARE(first.lane(Direction::Incoming).count, firstRowIn);
    QCOMPARE(first.lane(Direction::Outgoing).bytes, quint64(firstRowOut) * 10);
    const TimelineItem last = model.item(level, rows - 1);
    QCOMPARE(last.eventCount(), lastRowFrames);
    QCOMPARE(last.last, qsizetype(9999));
    QCOMPARE(model.rowOfEvent(level, 9999), rows - 1);
    QCOMPARE(model.rowOfEvent(level, 0), qsizetype(0));

    // Every frame is in exactly one row, in order.
    qsizetype next = 0;
    for (const TimelineItem &item : model.items(level, 0, rows)) {
        QCOMPARE(item.first, next);
        QCOMPARE(item.lanes[0].count + item.lanes[1].count, item.eventCount());
        next = item.last + 1;
    }
    QCOMPARE(next, qsizetype(10000));
}

void tst_TimelineModel::burstAcrossBlocks()
{
    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    // 10 blocks and a half of one burst, then a lone frame 1 s later.
    recordFlood(capture, 10 * TimelineModel::BlockSize + 500, 1, true);
    recordFrame(capture, Direction::Incoming, Opcode::Binary, "later", kBase + 1'000'000);
    model.flushPending();

    QCOMPARE(model.rowCount(16), qsizetype(2)); // 65 ms buckets
    const TimelineItem burst = model.item(16, 0);
    QCOMPARE(burst.first, qsizetype(0));
    QCOMPARE(burst.last, qsizetype(10739));
    const TimelineLane &out = burst.lane(Direction::Outgoing);
    const TimelineLane &in = burst.lane(Direction::Incoming);
    QCOMPARE(out.count, qsizetype(5370));
    QCOMPARE(in.count, qsizetype(5370));
    QCOMPARE(out.first, qsizetype(0));
    QCOMPARE(out.last, qsizetype(10738));
    QCOMPARE(in.first, qsizetype(1));
    QCOMPARE(in.last, qsizetype(10739));
    QCOMPARE(in.bytes, quint64(53700));
    QCOMPARE(in.durationUs(), qint64(10738));
    QCOMPARE(TimelineModel::laneLabel(in), QStringLiteral("5370 text frames, 52.4 KiB, 10.7 ms"));
    const TimelineItem later = model.item(16, 1);
    QCOMPARE(later.first, qsizetype(10740));
    QCOMPARE(later.sincePreviousUs, qint64(1'000'000 - 10739));
    QCOMPARE(TimelineModel::laneLabel(later.lane(Direction::Incoming)), QStringLiteral("binary, 5 B, +989 ms"));
}

void tst_TimelineModel::visibleRangeIsBounded()
{
    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    recordFlood(capture, 10000, 1, false);
    model.flushPending();

    QCOMPARE(model.items(3, 100, 30).size(), 30);
    QCOMPARE(model.items(3, 100, 30).first().row, qsizetype(100));
    QCOMPARE(model.items(3, 100, 30).first().first, qsizetype(800));
    QCOMPARE(model.items(3, 1240, 30).size(), 10);
    QCOMPARE(model.items(3, 1250, 30).size(), 0);
    QCOMPARE(model.items(3, -5, 0).size(), 0);
    QCOMPARE(model.firstEventOfRow(3, 1249), qsizetype(9992));
    QCOMPARE(model.firstEventOfRow(3, 1250), qsizetype(-1));
    QCOMPARE(model.rowOfEvent(3, 10000), qsizetype(-1));
}

void tst_TimelineModel::rowsMatchBruteForce_data()
{
    QTest::addColumn<int>("level");
    for (int level : { -1, 0, 1, 4, 7, 10, 13, 17, 21, 30 })
        QTest::addRow("level %d", level) << level;
}

void tst_TimelineModel::rowsMatchBruteForce()
{
    QFETCH(int, level);

    // 20,000 events with gaps from 0 µs to seconds, both directions, some with rows of their own,
    // and a clock that sometimes steps back.
    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    quint32 seed = 12345;
    const auto next = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7fff;
    };
    const qint64 gaps[] = { 0, 1, 3, 50, 1000, 70000, 2'000'000 };
    qint64 t = kBase;
    for (int i = 0; i < 20000; ++i) {
        const quint32 r = next();
        t += gaps[r % 7];
        const qint64 stamp = r % 97 == 0 ? t - 40 : t;
        const Direction d = (r >> 3) & 1 ? Direction::Incoming : Direction::Outgoing;
        if (r % 211 == 0)
            recordLocal(capture, EventKind::Error, Direction::Local, "e", stamp);
        else if (r % 307 == 0)
            recordFrame(capture, d, Opcode::Close, {}, stamp);
        else
            recordFrame(capture, d, (r >> 5) % 5 == 0 ? Opcode::Ping : Opcode::Binary, "abc", stamp);
    }
    model.flushPending();

    const std::vector<bool> starts = bruteForceStarts(capture, level);
    std::vector<qsizetype> rowStarts;
    for (qsizetype i = 0; i < capture.count(); ++i) {
        if (starts[size_t(i)])
            rowStarts.push_back(i);
    }
    QCOMPARE(model.rowCount(level), qsizetype(rowStarts.size()));
    const QList<TimelineItem> items = model.items(level, 0, model.rowCount(level));
    QCOMPARE(items.size(), qsizetype(rowStarts.size()));
    for (qsizetype r = 0; r < items.size(); ++r) {
        const TimelineItem &item = items.at(r);
        QCOMPARE(item.row, r);
        QCOMPARE(item.first, rowStarts[size_t(r)]);
        const qsizetype end = r + 1 < items.size() ? rowStarts[size_t(r + 1)] : capture.count();
        QCOMPARE(item.last, end - 1);
        if (item.kind == TimelineItem::Kind::Frames)
            QCOMPARE(item.lanes[0].count + item.lanes[1].count, item.eventCount());
        else
            QCOMPARE(item.eventCount(), qsizetype(1));
    }
    // Looking a row or an event up on its own gives the same answers.
    for (qsizetype i = 0; i < capture.count(); i += 37) {
        const auto it = std::upper_bound(rowStarts.begin(), rowStarts.end(), i);
        QCOMPARE(model.rowOfEvent(level, i), qsizetype(it - rowStarts.begin()) - 1);
    }
    for (qsizetype r = 0; r < qsizetype(rowStarts.size()); r += 13)
        QCOMPARE(model.firstEventOfRow(level, r), rowStarts[size_t(r)]);
}

void tst_TimelineModel::incrementalGrowth()
{
    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    QSignalSpy appended(&model, &TimelineModel::appended);

    play(capture, QStringLiteral("o:req::0 i:resp::900 l:open::900 o:ping:keep:1000"));
    recordFlood(capture, 4996, 1, true); // starts at kBase again: the clock steps back
    QCOMPARE(model.eventCount(), qsizetype(0)); // nothing until the batch tick
    QVERIFY(appended.wait(1000));
    QCOMPARE(appended.size(), 1);
    QCOMPARE(appended.first().at(0).value<qsizetype>(), qsizetype(0));
    QCOMPARE(appended.first().at(1).value<qsizetype>(), qsizetype(4999));
    QCOMPARE(model.eventCount(), qsizetype(5000));
    const int level = 14; // 16 ms buckets: the whole flood is one row after the OPEN row
    QCOMPARE(model.rowCount(level), qsizetype(4));
    QCOMPARE(model.item(level, 3).lane(Direction::Outgoing).count, qsizetype(2499));
    QCOMPARE(model.pingPong(3).status, PingPong::Status::Unanswered);

    // More frames in the same bucket make the last row grow; the pong pairs across batches.
    appended.clear();
    play(capture, QStringLiteral("i:pong:keep:3000 o:text:abc:3001"));
    QVERIFY(appended.wait(1000));
    QCOMPARE(appended.size(), 1);
    QCOMPARE(appended.first().at(0).value<qsizetype>(), qsizetype(5000));
    QCOMPARE(model.rowCount(level), qsizetype(4));
    QCOMPARE(model.item(level, 3).lane(Direction::Outgoing).count, qsizetype(2500));
    QCOMPARE(model.item(level, 3).lane(Direction::Incoming).count, qsizetype(2499));
    QCOMPARE(model.pingPong(3).status, PingPong::Status::Answered);
    QCOMPARE(model.pingPong(3).pong, qsizetype(5000));
    QCOMPARE(model.pingPong(3).rttUs, qint64(2000));

    // A frame in a later bucket starts a new row; counts stay right across block boundaries.
    play(capture, QStringLiteral("i:text:late:100000"));
    model.flushPending();
    QCOMPARE(model.rowCount(level), qsizetype(5));
    QCOMPARE(model.rowOfEvent(level, 5002), qsizetype(4));
    const qsizetype before = model.rowCount(TimelineModel::EveryEventLevel);
    recordFlood(capture, 3000, 0, false);
    model.flushPending();
    QCOMPARE(model.rowCount(TimelineModel::EveryEventLevel), before + 3000);
    const std::vector<bool> starts = bruteForceStarts(capture, level);
    QCOMPARE(model.rowCount(level), qsizetype(std::count(starts.begin(), starts.end(), true)));
}

void tst_TimelineModel::backlogInSlices()
{
    // A capture that already holds many events is taken in over several turns of the event loop.
    Capture capture;
    recordFlood(capture, 300000, 1, true);
    TimelineModel model;
    QSignalSpy appended(&model, &TimelineModel::appended);
    QSignalSpy reset(&model, &TimelineModel::reset);
    model.setCapture(&capture);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.eventCount(), qsizetype(0));
    QTRY_COMPARE_WITH_TIMEOUT(model.eventCount(), qsizetype(300000), 30000);
    qsizetype expectedFirst = 0;
    for (const QList<QVariant> &args : std::as_const(appended)) {
        QCOMPARE(args.at(0).value<qsizetype>(), expectedFirst);
        expectedFirst = args.at(1).value<qsizetype>() + 1;
    }
    QCOMPARE(expectedFirst, qsizetype(300000));
    QCOMPARE(model.rowCount(10), qsizetype((300000 + 1023) / 1024));
}

void tst_TimelineModel::clearResets()
{
    Capture capture;
    TimelineModel model;
    model.setCapture(&capture);
    play(capture,
        QStringLiteral("o:req::0 i:resp::900 o:ping:a:1000 i:pong:a:1100 o:close:1000:2000 "
                       "l:closed:1006/dirty:3000"));
    model.flushPending();
    QCOMPARE(model.rowCount(TimelineModel::EveryEventLevel), qsizetype(6));
    QVERIFY(model.isClosed());

    QSignalSpy reset(&model, &TimelineModel::reset);
    capture.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.eventCount(), qsizetype(0));
    QCOMPARE(model.rowCount(TimelineModel::EveryEventLevel), qsizetype(0));
    QCOMPARE(model.items(0, 0, 10).size(), 0);
    QVERIFY(!model.isClosed());
    QCOMPARE(model.closingSummary().firstCloseIndex, qsizetype(-1));
    QCOMPARE(model.handshake().requestIndex, qsizetype(-1));

    // A new session in the same capture starts from scratch, its own start time included.
    play(capture, QStringLiteral("i:pong:a:5000000 o:text:x:5000100"));
    model.flushPending();
    QCOMPARE(model.pingPong(0).status, PingPong::Status::Unsolicited);
    QCOMPARE(model.startTimeUs(), kBase + 5'000'000);
    QCOMPARE(model.rowCount(10), qsizetype(1));

    // Replacing the capture resets too.
    Capture other;
    model.setCapture(&other);
    QCOMPARE(reset.size(), 2);
    QCOMPARE(model.rowCount(0), qsizetype(0));
}

QTEST_GUILESS_MAIN(tst_TimelineModel)
#include "tst_timelinemodel.moc"
