#include "teach/timelineview.h"

#include "log/capture.h"
#include "log/protocoldecoding.h"
#include "log/timelinemodel.h"
#include "messagerecorder.h"
#include "protocol/framewriter.h"

#include <QApplication>
#include <QHelpEvent>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>
#include <QToolTip>
#include <QtTest>

namespace {
constexpr qint64 kBase = 1'700'000'000'000'000;

// A relay's leg and the time it took to hand the frame on; none for the inspector's own connection.
struct Relayed {
    Leg leg = Leg::None;
    qint32 delayUs = WireEvent::NotRelayed;
};

void recordFrame(Capture &capture, Direction direction, quint8 opcode, QByteArrayView payload, qint64 t,
    Relayed relayed = {})
{
    // Masked when a client sent it: our own outgoing frames, a relay's application leg.
    const bool masked = relayed.leg == Leg::None ? direction == Direction::Outgoing : relayed.leg == Leg::App;
    char header[14];
    const int size = FrameWriter::writeHeader(header, true, 0, opcode, quint64(payload.size()), masked, 0x37fa213d);
    WireEvent e;
    e.timeUs = kBase + t;
    e.leg = relayed.leg;
    e.relayDelayUs = relayed.delayUs;
    e.direction = direction;
    e.kind = EventKind::Frame;
    e.header = QByteArrayView(header, size);
    FrameHeader::decode(e.header, e.frame);
    e.payload = payload;
    capture.record(e);
}

void recordEvent(Capture &capture, EventKind kind, Direction direction, QByteArrayView payload, qint64 t,
    ReadyState state = ReadyState::Connecting, quint16 code = 0, bool clean = false, Leg leg = Leg::None)
{
    WireEvent e;
    e.timeUs = kBase + t;
    e.leg = leg;
    e.kind = kind;
    e.direction = direction;
    e.payload = payload;
    e.state = state;
    e.closeCode = code;
    e.wasClean = clean;
    if (kind == EventKind::Violation)
        e.violation = ViolationRule::ReservedOpcode;
    capture.record(e);
}

void recordHandshake(Capture &capture)
{
    recordEvent(capture, EventKind::HandshakeRequest, Direction::Outgoing,
        "GET /chat HTTP/1.1\r\nHost: example.org\r\n\r\n", 0);
    recordEvent(capture, EventKind::HandshakeResponse, Direction::Incoming,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", 1200);
    recordEvent(capture, EventKind::StateChange, Direction::Local, "OPEN", 1200, ReadyState::Open);
}

// Twelve events, one of each kind a session has (indices in the comments).
void recordSession(Capture &capture)
{
    recordHandshake(capture); // 0 request, 1 response, 2 OPEN
    recordFrame(capture, Direction::Outgoing, Opcode::Text, "hello", 5000); // 3
    recordFrame(capture, Direction::Incoming, Opcode::Text, "hello", 5300); // 4
    recordFrame(capture, Direction::Outgoing, Opcode::Ping, "p1", 8000); // 5
    recordFrame(capture, Direction::Incoming, Opcode::Pong, "p1", 8420); // 6
    recordEvent(capture, EventKind::Violation, Direction::Incoming, "reserved opcode 0x3", 9000, ReadyState::Open,
        1002); // 7
    recordFrame(capture, Direction::Outgoing, Opcode::Close, FrameWriter::closePayload(1000, "done"), 12000); // 8
    recordEvent(capture, EventKind::StateChange, Direction::Local, "CLOSING", 12000, ReadyState::Closing); // 9
    recordFrame(capture, Direction::Incoming, Opcode::Close, FrameWriter::closePayload(1000, "done"), 12230); // 10
    recordEvent(capture, EventKind::StateChange, Direction::Local, "CLOSED", 12300, ReadyState::Closed, 1000,
        true); // 11
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

// How many pixels of a column (x) between y1 and y2 differ clearly from the background.
int inkInColumn(const QImage &image, int x, int y1, int y2, const QColor &background)
{
    int ink = 0;
    for (int y = qMax(0, y1); y <= qMin(image.height() - 1, y2); ++y) {
        const QColor c = image.pixelColor(x, y);
        if (qAbs(c.red() - background.red()) + qAbs(c.green() - background.green()) + qAbs(c.blue() - background.blue())
            > 60)
            ++ink;
    }
    return ink;
}
} // namespace

class tst_TimelineView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void lanesAndLabels_data();
    void lanesAndLabels();
    void clickEmitsEventClicked_data();
    void clickEmitsEventClicked();
    void clickOnNothing();
    void pingPongBracket();
    void decodedMessagesAndTheirAnswers();
    void crossingPingsGetTwoColumns();
    void unpairedControlFrames();
    void tooltipNamesTheFrame();
    void burstsAtCoarseZoom();
    void doubleClickExpandsBurst();
    void zoomControls();
    void zoomKeepsSelectionInPlace();
    void followMode();
    void selectEventScrollsAndHighlights();
    void largeCaptureDrawsOnlyVisibleRows_data();
    void largeCaptureDrawsOnlyVisibleRows();
    void clearEmptiesTheView();
    void relayGetsThreeLanes();
    void screenshots_data();
    void screenshots();

private:
    void show();

    Capture *m_capture = nullptr;
    TimelineModel *m_model = nullptr;
    TimelineView *m_view = nullptr;
};

void tst_TimelineView::init()
{
    m_capture = new Capture;
    m_model = new TimelineModel;
    m_model->setCapture(m_capture);
    m_view = new TimelineView;
    m_view->setModel(m_model);
    m_view->resize(900, 720);
}

void tst_TimelineView::cleanup()
{
    delete m_view;
    delete m_model;
    delete m_capture;
    m_view = nullptr;
    m_model = nullptr;
    m_capture = nullptr;
}

void tst_TimelineView::show()
{
    m_model->flushPending();
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void tst_TimelineView::lanesAndLabels_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("arrow"); // spans the lanes

    QTest::addRow("request") << 0 << QStringLiteral("GET /chat HTTP/1.1, 41 B") << true;
    QTest::addRow("response") << 1 << QStringLiteral("HTTP/1.1 101 Switching Protocols, 56 B, +1.20 ms") << true;
    QTest::addRow("open") << 2 << QStringLiteral("OPEN") << false;
    QTest::addRow("text out") << 3 << QStringLiteral("text, 5 B, +3.80 ms") << true;
    QTest::addRow("text in") << 4 << QStringLiteral("text, 5 B, +300 µs") << true;
    QTest::addRow("ping") << 5 << QStringLiteral("ping, 2 B, +2.70 ms") << true;
    QTest::addRow("pong") << 6 << QStringLiteral("pong, 2 B, +420 µs") << true;
    QTest::addRow("violation") << 7
                               << QStringLiteral("reserved-opcode (RFC 6455 §5.2) → 1002 Protocol Error: reserved "
                                                 "opcode 0x3")
                               << false;
    QTest::addRow("first close") << 8
                                 << QStringLiteral("close 1000 Normal Closure \"done\", client closed first, +3.00 ms")
                                 << true;
    QTest::addRow("closing") << 9 << QStringLiteral("CLOSING") << false;
    QTest::addRow("reply close") << 10 << QStringLiteral("close 1000 Normal Closure \"done\", +230 µs") << true;
    QTest::addRow("closed") << 11 << QStringLiteral("CLOSED, 1000 Normal Closure, clean, client closed first") << false;
}

void tst_TimelineView::lanesAndLabels()
{
    QFETCH(int, index);
    QFETCH(QString, label);
    QFETCH(bool, arrow);

    recordSession(*m_capture);
    show();
    QCOMPARE(m_view->level(), int(TimelineModel::EveryEventLevel));
    QCOMPARE(m_view->visibleRowCount(), qsizetype(12));
    QCOMPARE(m_view->labelFor(index), label);

    const int client = m_view->clientLaneX();
    const int server = m_view->serverLaneX();
    QVERIFY(client > 0);
    QVERIFY(server - client >= 240);
    QVERIFY(server < m_view->viewport()->width());
    const QRect rect = m_view->rectFor(index);
    QVERIFY(m_view->viewport()->rect().contains(rect));
    if (arrow) {
        QCOMPARE(rect.left(), client);
        QCOMPARE(rect.right(), server);
    } else {
        QVERIFY(rect.left() >= client - 8);
        QVERIFY(rect.right() <= server + 8);
    }

    // The two lifelines are drawn from top to bottom.
    const QImage image = m_view->viewport()->grab().toImage();
    const QColor base = m_view->palette().color(QPalette::Base);
    const int h = image.height();
    QVERIFY(inkInColumn(image, client * image.width() / m_view->viewport()->width(), 0, h - 1, base) > h / 2);
    QVERIFY(inkInColumn(image, server * image.width() / m_view->viewport()->width(), 0, h - 1, base) > h / 2);
}

void tst_TimelineView::clickEmitsEventClicked_data()
{
    QTest::addColumn<int>("index");
    for (int i : { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11 })
        QTest::addRow("event %d", i) << i;
}

void tst_TimelineView::clickEmitsEventClicked()
{
    QFETCH(int, index);
    recordSession(*m_capture);
    show();
    QSignalSpy clicked(m_view, &TimelineView::eventClicked);
    const QRect rect = m_view->rectFor(index);
    QVERIFY(!rect.isEmpty());
    QCOMPARE(m_view->itemAt(rect.center()), qsizetype(index));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().first().value<qsizetype>(), qsizetype(index));
    QCOMPARE(m_view->selectedEvent(), qsizetype(index));
}

void tst_TimelineView::clickOnNothing()
{
    recordSession(*m_capture);
    show();
    QSignalSpy clicked(m_view, &TimelineView::eventClicked);
    const QPoint inTimeColumn(4, m_view->rectFor(3).center().y());
    QCOMPARE(m_view->itemAt(inTimeColumn), qsizetype(-1));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, inTimeColumn);
    const QPoint belowEverything(m_view->clientLaneX() + 50, m_view->viewport()->height() - 3);
    QCOMPARE(m_view->itemAt(belowEverything), qsizetype(-1));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, belowEverything);
    QCOMPARE(clicked.size(), 0);
    QCOMPARE(m_view->selectedEvent(), qsizetype(-1));
}

void tst_TimelineView::decodedMessagesAndTheirAnswers()
{
    // A Socket.IO emit with an ack: the arrows say what the messages mean, and the emit and its ack
    // are bracketed with the time between them, as a ping and its pong are.
    MessageRecorder r(*m_capture);
    r.handshake("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    const qsizetype ask = r.text(Direction::Outgoing, R"(421["ping with ack"])");
    const qsizetype plain = r.text(Direction::Incoming, R"(42["news",1])");
    const qsizetype answer = r.text(Direction::Incoming, R"(431["pong"])");
    ProtocolDecoding decoding;
    decoding.setCapture(m_capture);
    m_view->setDecoding(&decoding);
    QCOMPARE(m_view->labelFor(ask), QString()); // not shown yet
    show();
    decoding.flushPending();
    QTRY_VERIFY(!m_view->labelFor(ask).isEmpty());
    QCOMPARE(m_view->labelFor(ask), QStringLiteral("Socket.IO event \"ping with ack\" [] ack 1 \u00b7 20 B"));
    QCOMPARE(m_view->labelFor(plain), QStringLiteral("Socket.IO event \"news\" [1] \u00b7 12 B"));
    QCOMPARE(m_view->pairLabelFor(ask), QStringLiteral("ack / 1 \u00b7 2.00 ms"));
    QCOMPARE(m_view->pairLabelFor(answer), QStringLiteral("ack / 1 \u00b7 2.00 ms"));
    QCOMPARE(m_view->pairLabelFor(plain), QString());
    QCOMPARE(m_view->visibleBracketCount(), qsizetype(1));
    // No decoding: the frames' own labels, no bracket.
    m_view->setDecoding(nullptr);
    QTRY_VERIFY2(m_view->labelFor(ask).startsWith(QStringLiteral("text, 20 B")), qPrintable(m_view->labelFor(ask)));
    QCOMPARE(m_view->visibleBracketCount(), qsizetype(0));
}

void tst_TimelineView::pingPongBracket()
{
    recordSession(*m_capture);
    show();
    QCOMPARE(m_view->visibleBracketCount(), qsizetype(2));
    QCOMPARE(m_view->pairLabelFor(5), QStringLiteral("RTT 420 µs"));
    QCOMPARE(m_view->pairLabelFor(6), QStringLiteral("RTT 420 µs"));
    QCOMPARE(m_view->pairLabelFor(8), QStringLiteral("closing 230 µs"));
    QCOMPARE(m_view->pairLabelFor(10), QStringLiteral("closing 230 µs"));
    QCOMPARE(m_view->pairLabelFor(3), QString());

    // The bracket sits right of the server lane and spans from the ping's arrow to the pong's.
    const QRect bracket = m_view->pairRectFor(5);
    QVERIFY(bracket.left() > m_view->serverLaneX());
    QVERIFY(bracket.top() >= m_view->rectFor(5).top());
    QVERIFY(bracket.bottom() <= m_view->rectFor(6).bottom());
    QVERIFY(m_view->viewport()->rect().contains(bracket));
    const QImage image = m_view->viewport()->grab().toImage();
    const qreal scale = qreal(image.width()) / m_view->viewport()->width();
    const int x = int((m_view->serverLaneX() + 14) * scale);
    QVERIFY(inkInColumn(image, x, int(bracket.top() * scale), int(bracket.bottom() * scale),
                m_view->palette().color(QPalette::Base))
        > 0);
}

void tst_TimelineView::crossingPingsGetTwoColumns()
{
    recordHandshake(*m_capture);
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Ping, "A", 2000); // 3
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Ping, "B", 2100); // 4
    recordFrame(*m_capture, Direction::Incoming, Opcode::Pong, "B", 2250); // 5
    recordFrame(*m_capture, Direction::Incoming, Opcode::Pong, "A", 2400); // 6
    show();
    QCOMPARE(m_view->visibleBracketCount(), qsizetype(2));
    QCOMPARE(m_view->pairLabelFor(3), QStringLiteral("RTT 400 µs"));
    QCOMPARE(m_view->pairLabelFor(4), QStringLiteral("RTT 150 µs"));
    QCOMPARE(m_view->pairLabelFor(6), QStringLiteral("RTT 400 µs"));

    // Where both brackets run (between ping B and pong B) two vertical lines stand side by side.
    const QImage image = m_view->viewport()->grab().toImage();
    const qreal scale = qreal(image.width()) / m_view->viewport()->width();
    const int y1 = int(m_view->rectFor(4).bottom() * scale);
    const int y2 = int(m_view->rectFor(5).top() * scale);
    const QColor base = m_view->palette().color(QPalette::Base);
    const int inner = int((m_view->serverLaneX() + 14) * scale);
    const int outer = int((m_view->serverLaneX() + 14 + 9) * scale);
    QVERIFY(y2 > y1);
    // Rows are striped: compare with the stripe colour too by requiring ink over the whole span.
    QVERIFY(inkInColumn(image, inner, y1, y2, base) >= (y2 - y1) / 2);
    QVERIFY(inkInColumn(image, outer, y1, y2, base) >= (y2 - y1) / 2);
}

void tst_TimelineView::unpairedControlFrames()
{
    recordHandshake(*m_capture);
    recordFrame(*m_capture, Direction::Incoming, Opcode::Pong, "hb", 3000); // 3
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Ping, "x", 4000); // 4
    show();
    QCOMPARE(m_view->labelFor(3), QStringLiteral("pong, 2 B, +1.80 ms · unsolicited pong"));
    QCOMPARE(m_view->labelFor(4), QStringLiteral("ping, 1 B, +1.00 ms · no pong yet"));
    QCOMPARE(m_view->visibleBracketCount(), qsizetype(0));
}

void tst_TimelineView::tooltipNamesTheFrame()
{
    recordSession(*m_capture);
    show();
    const QRect rect = m_view->rectFor(4);
    QHelpEvent event(QEvent::ToolTip, rect.center(), m_view->viewport()->mapToGlobal(rect.center()));
    QApplication::sendEvent(m_view->viewport(), &event);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(QStringLiteral("#5 server → client")), qPrintable(QToolTip::text()));
    QVERIFY(QToolTip::text().contains(QStringLiteral("hello")));
    QToolTip::hideText();
}

void tst_TimelineView::burstsAtCoarseZoom()
{
    recordHandshake(*m_capture);
    const QByteArray payload(64, 'x');
    // Inside one bucket of 1024 µs: [20480, 21504).
    for (int i = 0; i < 37; ++i)
        recordFrame(*m_capture, Direction::Outgoing, Opcode::Text, payload, 20'480 + i * 20); // 3..39
    for (int i = 0; i < 37; ++i)
        recordFrame(*m_capture, Direction::Incoming, Opcode::Text, payload, 20'490 + i * 20); // 40..76
    show();
    m_view->setLevel(10); // 1 ms rows: both 0.72 ms bursts share one row
    QCOMPARE(m_view->visibleRowCount(), qsizetype(4));
    QCOMPARE(m_view->visibleShapeCount(), qsizetype(5));
    QCOMPARE(m_view->labelFor(3), QStringLiteral("37 text frames, 2.3 KiB, 720 µs"));
    QCOMPARE(m_view->labelFor(39), QStringLiteral("37 text frames, 2.3 KiB, 720 µs"));
    QCOMPARE(m_view->labelFor(40), QStringLiteral("37 text frames, 2.3 KiB, 720 µs"));
    // The two directions are two shapes: the outgoing burst above the incoming one.
    QVERIFY(m_view->rectFor(3).bottom() < m_view->rectFor(40).top());
    QCOMPARE(m_view->itemAt(m_view->rectFor(40).center()), qsizetype(40));
    QCOMPARE(m_view->itemAt(m_view->rectFor(20).center()), qsizetype(3));
}

void tst_TimelineView::doubleClickExpandsBurst()
{
    recordHandshake(*m_capture);
    for (int i = 0; i < 100; ++i)
        recordFrame(*m_capture, Direction::Outgoing, Opcode::Binary, "abcd", 10'000 + i * 40); // 4 ms burst
    show();
    m_view->setLevel(14);
    QCOMPARE(m_view->visibleRowCount(), qsizetype(4));
    QSignalSpy level(m_view, &TimelineView::levelChanged);
    QTest::mouseDClick(m_view->viewport(), Qt::LeftButton, {}, m_view->rectFor(3).center());
    QCOMPARE(level.size(), 1);
    QCOMPARE(m_view->level(), 9); // 512 µs rows, a quarter of the burst's 3.96 ms at most
    QCOMPARE(m_view->visibleRowCount(), qsizetype(3 + 9)); // buckets 19 to 27 of 512 µs
    QVERIFY(!m_view->rectFor(3).isEmpty());
}

void tst_TimelineView::zoomControls()
{
    recordSession(*m_capture);
    show();
    QSignalSpy level(m_view, &TimelineView::levelChanged);
    auto *zoomIn = m_view->findChild<QToolButton *>(QStringLiteral("zoomIn"));
    auto *zoomOut = m_view->findChild<QToolButton *>(QStringLiteral("zoomOut"));
    QVERIFY(zoomIn && zoomOut);
    QCOMPARE(m_view->zoomText(), QStringLiteral("1 row per event"));
    QVERIFY(!zoomIn->isEnabled()); // already one row per event
    QVERIFY(zoomOut->isEnabled());

    m_view->setLevel(10);
    QCOMPARE(m_view->zoomText(), QStringLiteral("1 row = 1.02 ms"));
    QTest::mouseClick(zoomOut, Qt::LeftButton);
    QCOMPARE(m_view->level(), 11);
    QTest::mouseClick(zoomIn, Qt::LeftButton);
    QTest::mouseClick(zoomIn, Qt::LeftButton);
    QCOMPARE(m_view->level(), 9);

    // Ctrl+wheel: one notch a level; a plain wheel scrolls instead.
    const QPoint at = m_view->viewport()->rect().center();
    QWheelEvent up(at, m_view->viewport()->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton, Qt::ControlModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &up);
    QCOMPARE(m_view->level(), 8);
    QWheelEvent half(at, m_view->viewport()->mapToGlobal(at), {}, QPoint(0, -60), Qt::NoButton, Qt::ControlModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &half);
    QCOMPARE(m_view->level(), 8);
    QApplication::sendEvent(m_view->viewport(), &half);
    QCOMPARE(m_view->level(), 9);
    QWheelEvent plain(at, m_view->viewport()->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &plain);
    QCOMPARE(m_view->level(), 9);

    QTest::keyClick(m_view, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(m_view->level(), 10);
    QTest::keyClick(m_view, Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(m_view->level(), 9);

    m_view->setLevel(-7);
    QCOMPARE(m_view->level(), int(TimelineModel::EveryEventLevel));
    QVERIFY(!zoomIn->isEnabled());
    m_view->setLevel(1000);
    QCOMPARE(m_view->level(), int(TimelineModel::MaxLevel));
    QVERIFY(!zoomOut->isEnabled());
    QVERIFY(zoomIn->isEnabled());
    QCOMPARE(level.size(), 10);
}

void tst_TimelineView::zoomKeepsSelectionInPlace()
{
    recordHandshake(*m_capture);
    for (int i = 0; i < 5000; ++i)
        recordFrame(*m_capture, i % 2 ? Direction::Incoming : Direction::Outgoing, Opcode::Text, "x", 10'000 + i * 10);
    show();
    m_view->selectEvent(2503);
    QVERIFY(!m_view->isFollowing());
    const int before = m_view->rectFor(2503).center().y();
    QVERIFY(before > 0);
    m_view->setLevel(6); // 64 µs rows: the event is now inside a burst
    QCOMPARE(m_view->itemAt(m_view->rectFor(2503).center()) <= 2503, true);
    QVERIFY(qAbs(m_view->rectFor(2503).center().y() - before) < m_view->rowHeight());
    m_view->setLevel(TimelineModel::EveryEventLevel);
    QVERIFY(qAbs(m_view->rectFor(2503).center().y() - before) < m_view->rowHeight());
}

void tst_TimelineView::followMode()
{
    recordHandshake(*m_capture);
    show();
    QSignalSpy following(m_view, &TimelineView::followingChanged);
    QScrollBar *bar = m_view->verticalScrollBar();
    QVERIFY(m_view->isFollowing());
    for (int i = 0; i < 200; ++i)
        recordFrame(*m_capture, Direction::Incoming, Opcode::Text, "tick", 2000 + i * 1000);
    m_model->flushPending();
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(!m_view->rectFor(202).isEmpty()); // the newest row is on screen

    // The user scrolls up: new events no longer move the view.
    bar->setValue(0);
    QVERIFY(!m_view->isFollowing());
    QCOMPARE(following.size(), 1);
    for (int i = 0; i < 50; ++i)
        recordFrame(*m_capture, Direction::Incoming, Opcode::Text, "tick", 300'000 + i * 1000);
    m_model->flushPending();
    QCOMPARE(bar->value(), 0);
    QVERIFY(!m_view->rectFor(0).isEmpty());

    // End (or scrolling back to the bottom) resumes.
    QTest::keyClick(m_view, Qt::Key_End);
    QVERIFY(m_view->isFollowing());
    QCOMPARE(bar->value(), bar->maximum());
    bar->setValue(bar->maximum() / 2);
    QVERIFY(!m_view->isFollowing());
    bar->setValue(bar->maximum());
    QVERIFY(m_view->isFollowing());
    auto *followButton = m_view->findChild<QToolButton *>(QStringLiteral("follow"));
    QVERIFY(followButton->isChecked());
    QTest::mouseClick(followButton, Qt::LeftButton);
    QVERIFY(!m_view->isFollowing());
}

void tst_TimelineView::selectEventScrollsAndHighlights()
{
    recordHandshake(*m_capture);
    for (int i = 0; i < 1000; ++i)
        recordFrame(*m_capture, Direction::Outgoing, Opcode::Text, "abc", 2000 + i * 1000);
    show();
    QVERIFY(m_view->rectFor(500).isEmpty()); // following: the end is on screen, not the middle
    m_view->selectEvent(500);
    QCOMPARE(m_view->selectedEvent(), qsizetype(500));
    const QRect rect = m_view->rectFor(500);
    QVERIFY(m_view->viewport()->rect().contains(rect));
    QVERIFY(!m_view->isFollowing());

    // The highlight changes the pixels behind the arrow, and nowhere else is selected.
    const QImage selected = m_view->viewport()->grab().toImage();
    m_view->selectEvent(-1);
    QCOMPARE(m_view->selectedEvent(), qsizetype(-1));
    const QImage plain = m_view->viewport()->grab().toImage();
    const qreal scale = qreal(selected.width()) / m_view->viewport()->width();
    const QPoint corner((rect.left() - 3) * scale, (rect.top() + 1) * scale);
    QVERIFY(selected.pixelColor(corner) != plain.pixelColor(corner));
    const QPoint elsewhere((rect.left() - 3) * scale, (rect.bottom() + m_view->rowHeight()) * scale);
    QCOMPARE(selected.pixelColor(elsewhere), plain.pixelColor(elsewhere));
}

void tst_TimelineView::largeCaptureDrawsOnlyVisibleRows_data()
{
    QTest::addColumn<int>("level");
    for (int level : { -1, 0, 4, 10, 17, 30 })
        QTest::addRow("level %d", level) << level;
}

void tst_TimelineView::largeCaptureDrawsOnlyVisibleRows()
{
    QFETCH(int, level);
    recordHandshake(*m_capture);
    const QByteArray payload(16, 'x');
    for (int i = 0; i < 200'000; ++i)
        recordFrame(*m_capture, i % 2 ? Direction::Incoming : Direction::Outgoing, i % 50 ? Opcode::Text : Opcode::Ping,
            payload, 2000 + i * 3);
    show();
    m_view->setLevel(level);
    const qsizetype rowsOnScreen = m_view->viewport()->height() / m_view->rowHeight() + 2;
    const auto check = [&] {
        QVERIFY(m_view->visibleRowCount() <= rowsOnScreen);
        QVERIFY(m_view->visibleShapeCount() <= 2 * m_view->visibleRowCount());
        QVERIFY(m_view->visibleBracketCount() <= m_view->visibleShapeCount());
        QVERIFY(!m_view->grab().isNull());
    };
    check();
    // Following: the newest frame is on screen.
    QVERIFY(!m_view->rectFor(m_capture->count() - 1).isEmpty());
    m_view->selectEvent(100'003);
    check();
    QVERIFY(m_view->viewport()->rect().contains(m_view->rectFor(100'003)));
    m_view->verticalScrollBar()->setValue(0);
    check();
    QVERIFY(!m_view->rectFor(0).isEmpty());
    if (level < 0)
        QCOMPARE(m_model->rowCount(level), qsizetype(200'003));
}

void tst_TimelineView::clearEmptiesTheView()
{
    recordSession(*m_capture);
    show();
    m_view->selectEvent(4);
    m_capture->clear();
    QCOMPARE(m_view->visibleRowCount(), qsizetype(0));
    QCOMPARE(m_view->selectedEvent(), qsizetype(-1));
    QCOMPARE(m_view->rectFor(4), QRect());
    QVERIFY(!m_view->grab().isNull());
}

void tst_TimelineView::screenshots_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("level");
    QTest::addColumn<QString>("file");
    QTest::addRow("light") << false << -1 << QStringLiteral("/tmp/timeline.png");
    QTest::addRow("dark") << true << -1 << QStringLiteral("/tmp/timeline-dark.png");
    QTest::addRow("bursts, light") << false << 12 << QStringLiteral("/tmp/timeline-bursts.png");
    QTest::addRow("bursts, dark") << true << 12 << QStringLiteral("/tmp/timeline-bursts-dark.png");
}

void tst_TimelineView::screenshots()
{
    QFETCH(bool, dark);
    QFETCH(int, level);
    QFETCH(QString, file);

    recordHandshake(*m_capture);
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Text, "{\"op\":\"subscribe\"}", 4000);
    recordFrame(*m_capture, Direction::Incoming, Opcode::Text, "{\"ok\":true}", 4350);
    const QByteArray tick(48, 't');
    const int burst = level < 0 ? 6 : 37;
    for (int i = 0; i < burst; ++i)
        recordFrame(*m_capture, Direction::Incoming, Opcode::Text, tick, 9000 + i * 21);
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Ping, "A", 1'500'000);
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Ping, "B", 1'500'100);
    recordFrame(*m_capture, Direction::Incoming, Opcode::Pong, "B", 1'500'340);
    recordFrame(*m_capture, Direction::Incoming, Opcode::Pong, "A", 1'500'420);
    recordFrame(*m_capture, Direction::Incoming, Opcode::Pong, "hb", 1'600'000);
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Binary, QByteArray(3000, '\1'), 1'700'000);
    recordEvent(*m_capture, EventKind::Violation, Direction::Incoming,
        "RSV1 set on a text frame without a negotiated extension", 1'700'900, ReadyState::Open, 1002);
    recordFrame(*m_capture, Direction::Incoming, Opcode::Close, FrameWriter::closePayload(1001, "restart"), 2'500'000);
    recordEvent(*m_capture, EventKind::StateChange, Direction::Local, "CLOSING (server sent close: 1001 Going Away)",
        2'500'000, ReadyState::Closing);
    recordFrame(*m_capture, Direction::Outgoing, Opcode::Close, FrameWriter::closePayload(1001, {}), 2'500'060);
    recordEvent(
        *m_capture, EventKind::StateChange, Direction::Local, "CLOSED", 2'500'400, ReadyState::Closed, 1001, true);
    if (dark)
        m_view->setPalette(darkPalette());
    m_view->resize(820, level < 0 ? 1240 : 560);
    show();
    m_view->setLevel(level);
    m_view->verticalScrollBar()->setValue(0);
    m_view->selectEvent(4);
    const QImage image = m_view->grab().toImage();
    QVERIFY(image.save(file));
    // Labels are drawn in the palette's text colour on its base, whatever the palette.
    const QColor text = m_view->palette().color(QPalette::Text);
    const QRect label = m_view->rectFor(3);
    const qreal scale = qreal(image.width()) / m_view->width();
    const QPoint origin = m_view->viewport()->mapTo(m_view, QPoint(0, 0));
    int textPixels = 0;
    for (int y = label.top(); y <= label.bottom(); ++y) {
        for (int x = label.left(); x <= label.right(); ++x) {
            const QColor c = image.pixelColor(int((x + origin.x()) * scale), int((y + origin.y()) * scale));
            if (qAbs(c.lightness() - text.lightness()) < 40)
                ++textPixels;
        }
    }
    QVERIFY(textPixels > 20);
}

// A relayed connection: the inspector's lane between the application and the server. Each leg's
// handshake stays between the inspector and that side; frames go all the way through, labelled with
// the time the relay took to hand them on.
void tst_TimelineView::relayGetsThreeLanes()
{
    Capture &c = *m_capture;
    const auto connecting = ReadyState::Connecting;
    recordEvent(c, EventKind::HandshakeRequest, Direction::Incoming, "GET / HTTP/1.1\r\n\r\n", 0, connecting, 0, false,
        Leg::App); // 0
    recordEvent(c, EventKind::HandshakeRequest, Direction::Outgoing, "GET / HTTP/1.1\r\n\r\n", 150, connecting, 0,
        false, Leg::Server); // 1
    recordEvent(c, EventKind::HandshakeResponse, Direction::Incoming, "HTTP/1.1 101 OK\r\n\r\n", 900, connecting, 0,
        false, Leg::Server); // 2
    recordEvent(c, EventKind::HandshakeResponse, Direction::Outgoing, "HTTP/1.1 101 OK\r\n\r\n", 905, connecting, 0,
        false, Leg::App); // 3
    recordFrame(c, Direction::Incoming, Opcode::Text, "up", 5000, { Leg::App, 42 }); // 4
    recordFrame(c, Direction::Incoming, Opcode::Text, "down", 6000, { Leg::Server, WireEvent::RelayHeld }); // 5
    show();
    QVERIFY(m_model->isRelayed());
    const int cx = m_view->clientLaneX(), ix = m_view->inspectorLaneX(), sx = m_view->serverLaneX();
    QVERIFY(cx < ix && ix < sx);

    // The application's request: application to inspector; as sent on: inspector to server.
    QVERIFY(m_view->rectFor(0).left() >= cx && m_view->rectFor(0).right() <= ix + 1);
    QVERIFY(m_view->rectFor(1).left() >= ix && m_view->rectFor(1).right() <= sx + 1);
    QVERIFY(m_view->rectFor(2).left() >= ix);
    QVERIFY(m_view->rectFor(3).right() <= ix + 1);
    // Frames cross all three lanes.
    QCOMPARE(m_view->rectFor(4).left(), cx);
    QCOMPARE(m_view->rectFor(4).right(), sx);
    QVERIFY2(m_view->labelFor(4).endsWith(QStringLiteral(" \u00b7 relayed in 42 \u00b5s")), qPrintable(m_view->labelFor(4)));
    QVERIFY2(m_view->labelFor(5).endsWith(QStringLiteral(" \u00b7 held by the relay")), qPrintable(m_view->labelFor(5)));

    // The inspector's lane is drawn, and the frame's dot sits on it.
    const QImage image = m_view->viewport()->grab().toImage();
    const QColor background = m_view->palette().color(QPalette::Base);
    QVERIFY(inkInColumn(image, ix, 0, image.height() - 1, background) > image.height() / 2);

    // The tool tip speaks of the application.
    const QRect rect = m_view->rectFor(4);
    QHelpEvent event(QEvent::ToolTip, rect.center(), m_view->viewport()->mapToGlobal(rect.center()));
    QApplication::sendEvent(m_view->viewport(), &event);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(QStringLiteral("#5 application \u2192 server")), qPrintable(QToolTip::text()));
    QToolTip::hideText();
}

QTEST_MAIN(tst_TimelineView)
#include "tst_timelineview.moc"
