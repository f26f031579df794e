// The message log pane: it follows new rows only while the user is at the bottom, Pause stops
// following without stopping capture, filters from the bar reach the proxy, selection reports the
// capture index, Clear empties the capture; the Decode button says what the messages are read as,
// changes it, and shows the Message column only when there is something in it.

#include "log/capture.h"
#include "log/messagelogfilter.h"
#include "log/messagelogmodel.h"
#include "log/protocoldecoding.h"
#include "messagerecorder.h"
#include "inspect/messagelogview.h"
#include "protocol/framewriter.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

namespace {
void recordText(Capture &capture, Direction direction, const QByteArray &text)
{
    FrameSpec spec;
    spec.mask = direction == Direction::Outgoing;
    spec.maskingKey = 0x01020304;
    spec.payload = text;
    const EncodedFrame encoded = FrameWriter::encode(spec);
    WireEvent e;
    e.timeUs = 1'700'000'000'000'000;
    e.direction = direction;
    e.kind = EventKind::Frame;
    e.header = encoded.header();
    FrameHeader::decode(e.header, e.frame);
    e.payload = text;
    capture.record(e);
}

void fill(Capture &capture, int count, const char *prefix = "message ")
{
    for (int i = 0; i < count; ++i)
        recordText(capture, i % 2 ? Direction::Incoming : Direction::Outgoing, prefix + QByteArray::number(i));
}
} // namespace

class tst_MessageLogView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void followsNewRowsAtTheBottom();
    void scrollingUpStopsFollowingUntilBackAtBottom();
    void pauseKeepsCapturing();
    void filterBarReachesTheProxy();
    void selectionReportsCaptureIndex();
    void clearEmptiesTheCapture();
    void badRegexIsExplained();
    void narrowLogKeepsThePreviewInSight();
    void decodeButtonFollowsTheProtocolFound();

private:
    std::unique_ptr<Capture> m_capture;
    std::unique_ptr<MessageLogModel> m_model;
    std::unique_ptr<MessageLogView> m_view;
    QScrollBar *scrollBar() const { return m_view->table()->verticalScrollBar(); }
};

void tst_MessageLogView::init()
{
    m_capture = std::make_unique<Capture>();
    m_model = std::make_unique<MessageLogModel>();
    m_model->setCapture(m_capture.get());
    m_view = std::make_unique<MessageLogView>();
    m_view->setLogModel(m_model.get());
    m_view->resize(800, 300);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void tst_MessageLogView::cleanup()
{
    m_view.reset();
    m_model.reset();
    m_capture.reset();
}

void tst_MessageLogView::followsNewRowsAtTheBottom()
{
    fill(*m_capture, 500);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 500);
    QTRY_VERIFY(scrollBar()->maximum() > 0);
    QTRY_COMPARE(scrollBar()->value(), scrollBar()->maximum());
    fill(*m_capture, 200, "more ");
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 700);
    QTRY_COMPARE(scrollBar()->value(), scrollBar()->maximum());
    QVERIFY(m_view->isFollowing());
}

void tst_MessageLogView::scrollingUpStopsFollowingUntilBackAtBottom()
{
    fill(*m_capture, 500);
    QTRY_VERIFY(scrollBar()->maximum() > 0);
    scrollBar()->setValue(10); // the user reads older rows
    QVERIFY(!m_view->isFollowing());
    fill(*m_capture, 300, "more ");
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 800);
    QCOMPARE(scrollBar()->value(), 10); // not pulled away
    scrollBar()->setValue(scrollBar()->maximum());
    QVERIFY(m_view->isFollowing());
    fill(*m_capture, 100, "again ");
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 900);
    QTRY_COMPARE(scrollBar()->value(), scrollBar()->maximum());
}

void tst_MessageLogView::pauseKeepsCapturing()
{
    fill(*m_capture, 300);
    QTRY_VERIFY(scrollBar()->maximum() > 0);
    m_view->setPaused(true);
    const int before = scrollBar()->value();
    fill(*m_capture, 300, "while paused ");
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 600); // still captured and shown
    QCOMPARE(scrollBar()->value(), before); // but not scrolled to
    m_view->setPaused(false);
    QTRY_COMPARE(scrollBar()->value(), scrollBar()->maximum());
}

void tst_MessageLogView::filterBarReachesTheProxy()
{
    fill(*m_capture, 10);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 10);
    auto *search = m_view->findChild<QLineEdit *>(QStringLiteral("logSearch"));
    QVERIFY(search);
    QTest::keyClicks(search, QStringLiteral("MESSAGE 7"));
    // Nothing re-filters while the typist is typing: the search runs once they pause.
    QCOMPARE(m_view->table()->model()->rowCount(), 10);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 1);
    search->clear();
    QTest::keyClick(search, Qt::Key_Return); // Enter searches at once
    QCOMPARE(m_view->table()->model()->rowCount(), 10);
    const auto boxes = m_view->findChildren<QCheckBox *>();
    QCheckBox *out = nullptr;
    for (QCheckBox *box : boxes)
        if (box->text().endsWith(QStringLiteral("Out")))
            out = box;
    QVERIFY(out);
    out->setChecked(false);
    QCOMPARE(m_view->table()->model()->rowCount(), 5); // only incoming
}

void tst_MessageLogView::selectionReportsCaptureIndex()
{
    fill(*m_capture, 10);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 10);
    m_view->filter()->setDirectionVisible(int(Direction::Outgoing), false);
    QSignalSpy selected(m_view.get(), &MessageLogView::eventSelected);
    const QModelIndex second = m_view->table()->model()->index(1, 0);
    QTest::mouseClick(m_view->table()->viewport(), Qt::LeftButton, {}, m_view->table()->visualRect(second).center());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().at(0).toLongLong(), 3); // the second incoming row is capture event 3
    QCOMPARE(m_view->selectedEvent(), 3);
    m_view->selectEvent(7);
    QCOMPARE(m_view->selectedEvent(), 7);
}

void tst_MessageLogView::clearEmptiesTheCapture()
{
    fill(*m_capture, 10);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 10);
    QToolButton *clear = nullptr;
    for (QToolButton *button : m_view->findChildren<QToolButton *>())
        if (button->text() == QStringLiteral("Clear"))
            clear = button;
    QVERIFY(clear);
    QSignalSpy cleared(m_view.get(), &MessageLogView::clearRequested);
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(m_capture->count(), 0);
    QCOMPARE(m_view->table()->model()->rowCount(), 0);
}

void tst_MessageLogView::badRegexIsExplained()
{
    fill(*m_capture, 4);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 4);
    const auto boxes = m_view->findChildren<QCheckBox *>();
    for (QCheckBox *box : boxes)
        if (box->text() == QStringLiteral("Regex"))
            box->setChecked(true);
    auto *search = m_view->findChild<QLineEdit *>(QStringLiteral("logSearch"));
    QTest::keyClicks(search, QStringLiteral("message [13"));
    QTRY_VERIFY(m_view->filter()->searchError().contains(QStringLiteral("invalid regular expression")));
    QCOMPARE(m_view->table()->model()->rowCount(), 4); // the last valid filter stays
    QTest::keyClicks(search, QStringLiteral("]"));
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 2);
}

// On a laptop the log is narrow: Delta and Flags give way so the preview stays visible; with room
// they come back. (The Frame and Diagram tabs show every flag.)
void tst_MessageLogView::narrowLogKeepsThePreviewInSight()
{
    fill(*m_capture, 4);
    QTRY_COMPARE(m_view->table()->model()->rowCount(), 4);
    QTableView *table = m_view->table();
    m_view->resize(560, 300);
    QTRY_VERIFY(table->isColumnHidden(MessageLogModel::DeltaColumn));
    QVERIFY(table->isColumnHidden(MessageLogModel::FlagsColumn));
    QVERIFY(!table->isColumnHidden(MessageLogModel::TimeColumn));
    const int previewX = table->columnViewportPosition(MessageLogModel::PreviewColumn);
    QVERIFY2(previewX + 100 <= table->viewport()->width(), qPrintable(QString::number(previewX)));
    m_view->resize(1400, 300);
    QTRY_VERIFY(!table->isColumnHidden(MessageLogModel::DeltaColumn));
    QVERIFY(!table->isColumnHidden(MessageLogModel::FlagsColumn));
}

void tst_MessageLogView::decodeButtonFollowsTheProtocolFound()
{
    auto *button = m_view->findChild<QToolButton *>(QStringLiteral("decodeButton"));
    QVERIFY(button);
    // No decoding attached (a log read from a file before one is): nothing to choose yet.
    QCOMPARE(button->text(), QStringLiteral("Decode: auto"));
    QVERIFY(!button->isEnabled());
    QVERIFY(m_view->table()->isColumnHidden(MessageLogModel::MessageColumn));
    const int narrowest = m_view->minimumSizeHint().width();

    MessageRecorder recorder(*m_capture);
    recorder.handshake("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    recorder.text(Direction::Outgoing, "42[\"chat message\",\"hi\"]");
    ProtocolDecoding decoding;
    decoding.setCapture(m_capture.get());
    m_model->setDecoding(&decoding);
    decoding.flushPending();
    QTRY_COMPARE(button->text(), QStringLiteral("Decode: Socket.IO"));
    QVERIFY(button->isEnabled());
    QVERIFY2(button->toolTip().contains(QStringLiteral("/socket.io/")), qPrintable(button->toolTip()));
    QVERIFY(!m_view->table()->isColumnHidden(MessageLogModel::MessageColumn));

    auto choose = [&](const QString &key) {
        const QList<QAction *> actions = button->menu()->actions();
        for (QAction *action : actions)
            if (action->data().toString() == key)
                return action->trigger(), true;
        return false;
    };
    QVERIFY(choose(QStringLiteral("none")));
    QCOMPARE(decoding.choice().protocol, Decode::Protocol::None);
    QCOMPARE(button->text(), QStringLiteral("Decode: none"));
    QVERIFY(m_view->table()->isColumnHidden(MessageLogModel::MessageColumn));

    // The longest name is cut short on the button, so that the window's minimum width does not grow
    // with it; the tool tip names it whole.
    QVERIFY(choose(Decode::protocolId(Decode::Protocol::GraphQlTransportWs)));
    QTRY_VERIFY2(button->text().endsWith(QChar(0x2026)), qPrintable(button->text())); // once decoded again
    QVERIFY2(button->toolTip().contains(QStringLiteral("graphql-transport-ws")), qPrintable(button->toolTip()));
    QVERIFY(!m_view->table()->isColumnHidden(MessageLogModel::MessageColumn));
    const int widest = m_view->minimumSizeHint().width();
    QVERIFY2(widest - narrowest <= button->fontMetrics().horizontalAdvance(QStringLiteral("Decode: JSON-RPC")),
        qPrintable(QStringLiteral("the log's minimum width grew from %1 to %2").arg(narrowest).arg(widest)));

    QVERIFY(choose(QStringLiteral("auto")));
    QTRY_COMPARE(button->text(), QStringLiteral("Decode: Socket.IO"));
    m_model->setDecoding(nullptr);
}

QTEST_MAIN(tst_MessageLogView)
#include "tst_messagelogview.moc"
