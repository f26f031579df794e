// Drives the real window, offscreen: connect to the embedded server with the Connect button, send
// text, binary and a ping through the composer, see the rows, select a frame and read the hex
// view's annotations and the handshake pane's accept check, close with a chosen code and see both
// close frames; two chat clients on the broadcast server; the layout is remembered.

#include "send/closecontrols.h"
#include "inspect/connectionbar.h"
#include "send/framecrafter.h"
#include "teach/framediagram.h"
#include "inspect/framehexview.h"
#include "teach/handshakewalkthroughview.h"
#include "teach/timelineview.h"
#include "inspect/handshakepane.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "inspect/messagelogview.h"
#include "net/connectionmanager.h"
#include "net/embeddedserver.h"
#include "net/relayserver.h"
#include "inspect/memorybudgetdialog.h"
#include "inspect/proxydialog.h"
#include "inspect/relaydialog.h"
#include "net/localcertificateauthority.h"
#include "inspect/payloadview.h"
#include "send/sendcomposer.h"
#include "probe/conformancepanel.h"
#include "probe/conformancerunner.h"
#include "captureevents.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

namespace {
template <typename T> T *child(QWidget *parent, const char *name)
{
    T *found = parent->findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qWarning("no child %s", name);
    return found;
}

// Rows of the log (through the view's filter) whose type and direction match.
// The connection's final state change: its close code and whether the close was clean.
WireEvent closedEvent(ClientSession *session)
{
    const QList<WireEvent> states = eventsOfKind(*session->capture(), EventKind::StateChange);
    return states.isEmpty() ? WireEvent() : states.last();
}

QList<qsizetype> rowsOf(MessageLogView *view, const QString &type, Direction direction)
{
    QList<qsizetype> out;
    QAbstractItemModel *model = view->table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(MessageLogModel::TypeNameRole).toString() == type
            && index.data(MessageLogModel::DirectionRole).toInt() == int(direction))
            out << index.data(MessageLogModel::EventIndexRole).toLongLong();
    }
    return out;
}
} // namespace

class tst_MainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void startsWithTheEmbeddedServer();
    void fullSession();
    void teachingViewsFollowTheSelection();
    void craftedFrameGoesOutAsBuilt();
    void twoChatClients();
    void layoutIsRemembered();
    void fragmentShowsItsWholeMessage();
    void relayThroughTheWindow();
    void relayWithInterceptAndRules();
    void qWebSocketConnectionIntercepted();
    void proxyThroughTheWindow();
    void memoryBudgetDropsWithNotice();
    void conformanceCaseOpensInThePanes();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_window = std::make_unique<MainWindow>(m_settings.get());
    QVERIFY(m_window->startEmbeddedServer(0));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_settings.reset();
    m_dir.reset();
}

void tst_MainWindow::startsWithTheEmbeddedServer()
{
    QVERIFY(m_window->server()->isListening());
    QCOMPARE(m_window->server()->serverAddress(), QHostAddress(QHostAddress::LocalHost));
    // The URL field points at it, so a new user only has to press Connect.
    QCOMPARE(m_window->connectionBar()->options().url, m_window->server()->url());
}

void tst_MainWindow::fullSession()
{
    MainWindow &w = *m_window;
    QAbstractItemModelTester proxyTester(w.logView()->table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    QTest::mouseClick(child<QPushButton>(w.connectionBar(), "connect"), Qt::LeftButton);
    QCOMPARE(w.connections()->count(), 1);
    ClientSession *session = w.currentSession();
    QVERIFY(session);
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QTRY_VERIFY(w.composer()->isSendEnabled());
    QTRY_COMPARE(child<QLabel>(w.connectionBar(), "state")->text(), QStringLiteral("OPEN"));

    // Text, binary (hex), and a ping with a payload, through the composer's own controls.
    w.composer()->setMode(ComposerMode::Text);
    auto *editor = child<QPlainTextEdit>(w.composer(), "editor");
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("Hello, server"));
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter sends
    QTRY_COMPARE(messagesIn(*session->capture()).size(), 1);
    w.composer()->setMode(ComposerMode::Hex);
    w.composer()->setInput(QStringLiteral("01 02 ff"));
    QTest::mouseClick(child<QPushButton>(w.composer(), "send"), Qt::LeftButton);
    QTRY_COMPARE(messagesIn(*session->capture()).size(), 2);
    QCOMPARE(messagesIn(*session->capture()).at(1), QByteArray::fromHex("0102ff"));
    QTest::keyClicks(child<QLineEdit>(w.composer(), "controlPayload"), QStringLiteral("are you there"));
    QTest::mouseClick(child<QPushButton>(w.composer(), "ping"), Qt::LeftButton);
    QTRY_COMPARE(framesIn(*session->capture(), Opcode::Pong), QList<QByteArray> { "are you there" });

    // The rows: handshake both ways, each frame both ways, control frames shown.
    session->log()->flushPending();
    MessageLogView *log = w.logView();
    QCOMPARE(rowsOf(log, QStringLiteral("handshake"), Direction::Outgoing).size(), 1);
    QCOMPARE(rowsOf(log, QStringLiteral("handshake"), Direction::Incoming).size(), 1);
    QCOMPARE(rowsOf(log, QStringLiteral("text"), Direction::Outgoing).size(), 1);
    QCOMPARE(rowsOf(log, QStringLiteral("text"), Direction::Incoming).size(), 1);
    QCOMPARE(rowsOf(log, QStringLiteral("binary"), Direction::Incoming).size(), 1);
    QCOMPARE(rowsOf(log, QStringLiteral("ping"), Direction::Outgoing).size(), 1);
    QCOMPARE(rowsOf(log, QStringLiteral("pong"), Direction::Incoming).size(), 1);

    // The handshake pane checks the accept value step by step: pass.
    QCOMPARE(w.handshakePane()->acceptComputation().passed(), true);
    QCOMPARE(w.handshakePane()->acceptComputation().expectedAccept(),
             Handshake::acceptFor(session->handshakeKey()));
    QVERIFY(child<QLabel>(w.handshakePane(), "verdict")->text().contains(QStringLiteral("PASS")));

    // Select our outgoing text frame: the hex view annotates its header fields.
    const qsizetype sentText = rowsOf(log, QStringLiteral("text"), Direction::Outgoing).first();
    log->selectEvent(sentText);
    QCOMPARE(log->selectedEvent(), sentText);
    QCOMPARE(w.detailTabs()->currentWidget(), w.hexView()->parentWidget());
    // The masked toggle shows the bytes as they crossed the wire.
    const QString unmaskedHex = w.hexView()->copyAsHex();
    w.detailTabs()->findChild<QCheckBox *>(QStringLiteral("showMasked"))->setChecked(true);
    QVERIFY(w.hexView()->showMasked());
    QVERIFY(w.hexView()->copyAsHex() != unmaskedHex);
    QCOMPARE(w.hexView()->copyAsHex().left(17), unmaskedHex.left(17)); // the header is the same
    w.detailTabs()->findChild<QCheckBox *>(QStringLiteral("showMasked"))->setChecked(false);
    const QString first = w.hexView()->toolTipForByte(0);
    QVERIFY2(first.contains(QStringLiteral("FIN")) && first.contains(QStringLiteral("opcode"), Qt::CaseInsensitive),
             qPrintable(first));
    QVERIFY2(w.hexView()->toolTipForByte(1).contains(QStringLiteral("MASK")), qPrintable(w.hexView()->toolTipForByte(1)));
    QVERIFY2(w.hexView()->toolTipForByte(2).contains(QStringLiteral("masking key"), Qt::CaseInsensitive),
             qPrintable(w.hexView()->toolTipForByte(2)));
    QVERIFY(w.hexView()->copyAsHex().startsWith(QStringLiteral("81 8d")));
    QSignalSpy fields(w.hexView(), &FrameHexView::fieldSelected);
    w.hexView()->selectField(FrameLayout::FieldId::MaskingKey);
    QCOMPARE(w.hexView()->copyAsHex().size(), QStringLiteral("aa bb cc dd").size()); // the 4 key bytes
    QCOMPARE(w.payloadView()->text(), QStringLiteral("Hello, server"));

    // Close with a chosen code and reason: both close frames appear, the close was clean.
    w.closeControls()->setCode(4001);
    w.closeControls()->setReason(QStringLiteral("done testing"));
    QTest::mouseClick(child<QPushButton>(w.closeControls(), "close"), Qt::LeftButton);
    QTRY_COMPARE(session->readyState(), ReadyState::Closed);
    QCOMPARE(closedEvent(session).closeCode, quint16(4001));
    QCOMPARE(closedEvent(session).wasClean, true);
    session->log()->flushPending();
    const auto ourClose = rowsOf(log, QStringLiteral("close"), Direction::Outgoing);
    const auto theirClose = rowsOf(log, QStringLiteral("close"), Direction::Incoming);
    QCOMPARE(ourClose.size(), 1);
    QCOMPARE(theirClose.size(), 1);
    QCOMPARE(session->log()->index(int(theirClose.first()), MessageLogModel::PreviewColumn).data().toString(),
             QStringLiteral("4001 Private use: done testing"));
    QTRY_COMPARE(child<QLabel>(w.connectionBar(), "state")->text(), QStringLiteral("CLOSED"));
    QVERIFY(!w.composer()->isSendEnabled());
    // The closed connection keeps its log.
    QCOMPARE(w.connections()->count(), 1);
    QVERIFY(session->log()->rowCount() > 10);
}

void tst_MainWindow::teachingViewsFollowTheSelection()
{
    MainWindow &w = *m_window;
    ClientSession *session = w.openConnection(w.connectionBar()->options());
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QVERIFY(session->sendText("Hello"));
    QVERIFY(session->ping("rtt"));
    QTRY_COMPARE(framesIn(*session->capture(), Opcode::Pong).size(), 1);
    session->log()->flushPending();
    session->timeline()->flushPending();

    // The diagram shows the selected frame's real bits: FIN set, opcode text, masked.
    const qsizetype sentText = rowsOf(w.logView(), QStringLiteral("text"), Direction::Outgoing).first();
    w.logView()->selectEvent(sentText);
    QCOMPARE(w.frameDiagram()->bitText(0), QStringLiteral("1")); // FIN
    QCOMPARE(w.frameDiagram()->bitText(8), QStringLiteral("1")); // MASK
    QVERIFY2(w.frameDiagram()->labelText(FrameLayout::FieldId::Opcode).contains(QStringLiteral("text")),
             qPrintable(w.frameDiagram()->labelText(FrameLayout::FieldId::Opcode)));

    // Clicking the pong's arrow in the timeline selects it in the log.
    w.detailTabs()->setCurrentWidget(w.timelineView());
    const qsizetype pong = rowsOf(w.logView(), QStringLiteral("pong"), Direction::Incoming).first();
    w.timelineView()->selectEvent(pong);
    QTRY_VERIFY(!w.timelineView()->rectFor(pong).isEmpty());
    QTest::mouseClick(w.timelineView()->viewport(), Qt::LeftButton, {}, w.timelineView()->rectFor(pong).center());
    QCOMPARE(w.logView()->selectedEvent(), pong);

    // The walk-through's Sec-WebSocket-Key step points at that very line of the request.
    w.detailTabs()->setCurrentWidget(w.walkthrough());
    const QList<WalkthroughStep> steps = w.walkthrough()->walkthrough().steps();
    int keyStep = -1;
    for (int i = 0; i < steps.size(); ++i)
        if (steps[i].kind == WalkthroughStep::Kind::RequestHeader && steps[i].headerName == QStringLiteral("Sec-WebSocket-Key"))
            keyStep = i;
    QVERIFY(keyStep >= 0);
    w.walkthrough()->setCurrentStep(keyStep);
    QCOMPARE(w.handshakePane()->highlightedText(false),
             QStringLiteral("Sec-WebSocket-Key: ") + QString::fromLatin1(session->handshakeKey()));
}

void tst_MainWindow::craftedFrameGoesOutAsBuilt()
{
    MainWindow &w = *m_window;
    ClientSession *session = w.openConnection(w.connectionBar()->options());
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QTRY_VERIFY(child<QPushButton>(w.crafter(), "sendFrame")->isEnabled());

    // RSV1 without an extension: our embedded server (Qt) must fail the connection with 1002.
    FrameSpec spec;
    spec.rsv = Rsv::Rsv1;
    spec.opcode = Opcode::Text;
    spec.maskingKey = 0x37fa213d;
    spec.payload = "Hello";
    w.crafter()->setSpec(spec);
    QTest::mouseClick(child<QPushButton>(w.crafter(), "sendFrame"), Qt::LeftButton);
    QTRY_COMPARE(session->readyState(), ReadyState::Closed);
    session->log()->flushPending();
    const qsizetype sent = rowsOf(w.logView(), QStringLiteral("text"), Direction::Outgoing).first();
    QCOMPARE(session->capture()->event(sent).header.toByteArray(), QByteArray::fromHex("c18537fa213d"));
    QCOMPARE(session->capture()->event(sent).payload.toByteArray(), QByteArray("Hello"));
    QCOMPARE(closedEvent(session).closeCode, quint16(1002));
}

void tst_MainWindow::twoChatClients()
{
    MainWindow &w = *m_window;
    w.server()->setMode(EmbeddedServer::Mode::Broadcast);
    ClientSession *alice = w.openConnection(w.connectionBar()->options());
    ClientSession *bob = w.openConnection(w.connectionBar()->options());
    QCOMPARE(w.connections()->count(), 2);
    QCOMPARE(w.currentSession(), bob);
    QTRY_COMPARE(alice->readyState(), ReadyState::Open);
    QTRY_COMPARE(bob->readyState(), ReadyState::Open);
    QTRY_COMPARE(w.server()->clients().size(), 2);

    w.composer()->setMode(ComposerMode::Text);
    w.composer()->setInput(QStringLiteral("hi alice, bob here"));
    w.composer()->send();
    QTRY_VERIFY(!messagesIn(*alice->capture()).isEmpty());
    QCOMPARE(messagesIn(*alice->capture()).first(), QByteArray("hi alice, bob here"));

    // Switching connections shows the other one's log.
    w.setCurrentSession(alice);
    QCOMPARE(w.logView()->logModel(), alice->log());
}

void tst_MainWindow::layoutIsRemembered()
{
    auto *sendDock = m_window->findChild<QDockWidget *>(QStringLiteral("sendDock"));
    QVERIFY(sendDock);
    sendDock->hide();
    m_window->close();
    QVERIFY(m_settings->contains(QStringLiteral("window/state")));
    MainWindow again(m_settings.get());
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QVERIFY(!again.findChild<QDockWidget *>(QStringLiteral("sendDock"))->isVisible());
}

// Selecting any frame of a fragmented message shows the whole message, found through the message id
// the engine gave it; a message with no final frame says so; the log's Clear keeps the handshake.
void tst_MainWindow::fragmentShowsItsWholeMessage()
{
    MainWindow &w = *m_window;
    ClientSession *session = w.openConnection(w.connectionBar()->options());
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QVERIFY(session->sendText("abcdefghij", 4));
    QTRY_COMPARE(messagesIn(*session->capture()).size(), 1);
    session->log()->flushPending();
    const QList<qsizetype> pieces = rowsOf(w.logView(), QStringLiteral("continuation"), Direction::Outgoing);
    QCOMPARE(pieces.size(), 2);
    w.logView()->selectEvent(pieces.last());
    QCOMPARE(w.payloadView()->text(), QStringLiteral("abcdefghij"));
    QVERIFY2(w.payloadView()->note().startsWith(QStringLiteral("A message of 3 frames, joined.")),
             qPrintable(w.payloadView()->note()));

    FrameSpec unfinished;
    unfinished.opcode = Opcode::Text;
    unfinished.fin = false;
    unfinished.payload = "half";
    QVERIFY(session->sendFrames({ unfinished }));
    QTRY_COMPARE(framesOf(*session->capture(), Direction::Outgoing).size(), 4);
    session->log()->flushPending();
    const QList<qsizetype> texts = rowsOf(w.logView(), QStringLiteral("text"), Direction::Outgoing);
    w.logView()->selectEvent(texts.last());
    QCOMPARE(w.payloadView()->text(), QStringLiteral("half"));
    QVERIFY2(w.payloadView()->note().startsWith(QStringLiteral("Unfinished message: 1 frame so far")),
             qPrintable(w.payloadView()->note()));

    const QString status = child<QLabel>(w.handshakePane(), "responseSummary")->text();
    QVERIFY(status.startsWith(QStringLiteral("HTTP/1.1 101")));
    session->capture()->clear();
    QCOMPARE(child<QLabel>(w.handshakePane(), "responseSummary")->text(), status);
    QVERIFY(w.payloadView()->text().isEmpty());
}

// Connection → New relay to the embedded server: a program's connection through it appears in
// the list as an app ⇄ server pair, is shown at once, marks each row's leg, and cannot be sent on.
void tst_MainWindow::relayThroughTheWindow()
{
    RelayDialog *dialog = m_window->relayDialog();
    dialog->setTarget(m_window->server()->url());
    dialog->setPort(0);
    // Another address asks first; declining starts nothing.
    dialog->setAddress(QStringLiteral("0.0.0.0"));
    int asked = 0;
    dialog->setExposureConfirmation([&asked](const QHostAddress &) { return ++asked, false; });
    dialog->show();
    child<QPushButton>(dialog, "relayStart")->click();
    QCOMPARE(asked, 1);
    QVERIFY(m_window->connections()->relays().isEmpty());
    QVERIFY(dialog->isVisible());
    // A URL the relay cannot use is named in the dialog, which stays open.
    dialog->setAddress(QStringLiteral("127.0.0.1"));
    dialog->setTarget(QUrl(QStringLiteral("http://example.org/")));
    child<QPushButton>(dialog, "relayStart")->click();
    QVERIFY2(dialog->errorText().startsWith(QStringLiteral("Server URL: unsupported scheme")), qPrintable(dialog->errorText()));
    dialog->setTarget(m_window->server()->url());
    child<QPushButton>(dialog, "relayStart")->click();
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(m_window->connections()->relays().size(), 1);
    RelayServer *relay = m_window->connections()->relays().first();
    QVERIFY(child<QLabel>(m_window.get(), "relayStatus")->text().startsWith(
        QStringLiteral("Relay %1 \u2192 %2").arg(relay->url().toString(), m_window->server()->url().toDisplayString())));

    ClientConnection app(99); // the program under inspection
    ConnectionOptions options;
    options.url = relay->url();
    QVERIFY(app.open(options));
    QTRY_COMPARE(app.readyState(), ReadyState::Open);
    QTRY_VERIFY(m_window->currentSession() && m_window->currentSession()->kind() == ClientSession::Kind::Relay);
    ClientSession *relayed = m_window->currentSession();
    QVERIFY(m_window->connections()->data(m_window->connections()->index(m_window->connections()->rowOf(relayed)))
                .toString()
                .contains(QStringLiteral("\u21c4")));
    QVERIFY(app.sendText("seen by the inspector"));
    QTRY_COMPARE(rowsOf(m_window->logView(), QStringLiteral("text"), Direction::Incoming).size(), 2); // both legs
    QAbstractItemModel *model = m_window->logView()->table()->model();
    QStringList legs;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data(MessageLogModel::TypeNameRole).toString() == QLatin1String("text"))
            legs << model->index(row, MessageLogModel::DirectionColumn).data().toString();
    QCOMPARE(legs, (QStringList { QStringLiteral("app \u2193"), QStringLiteral("server \u2193") }));
    QVERIFY(!m_window->findChild<SendComposer *>()->isSendEnabled());
    QVERIFY(!m_window->findChild<FrameCrafter *>()->isSendEnabled());

    // Disconnect drops both legs; the program sees its connection end, the log stays.
    m_window->connectionBar()->findChild<QPushButton *>(QStringLiteral("disconnect"))->click();
    QTRY_COMPARE(app.readyState(), ReadyState::Closed);
    QTRY_COMPARE(relayed->readyState(), ReadyState::Closed);
    QVERIFY(relayed->capture()->count() > 0);

    // A relayed connection still open when the window closes: the window goes first, quietly.
    ClientConnection second(100);
    QVERIFY(second.open(options));
    QTRY_COMPARE(second.readyState(), ReadyState::Open);
    QTRY_COMPARE(m_window->connections()->count(), 2);
    QTRY_COMPARE(m_window->connections()->session(1)->readyState(), ReadyState::Open);
    m_window.reset();
    QTRY_COMPARE(second.readyState(), ReadyState::Closed);
}

// A relay started with intercept and a rules file: the rules change what crosses, and the frame
// crafter injects a hand-made frame toward the side chosen, exactly as crafted.
void tst_MainWindow::relayWithInterceptAndRules()
{
    RelayDialog *dialog = m_window->relayDialog();
    dialog->setTarget(m_window->server()->url());
    dialog->setPort(0);
    dialog->setAddress(QStringLiteral("127.0.0.1"));
    child<QCheckBox>(dialog, "relayIntercept")->setChecked(true);
    dialog->setRulesFile(m_dir->filePath(QStringLiteral("missing.json")));
    dialog->show();
    child<QPushButton>(dialog, "relayStart")->click();
    QVERIFY2(dialog->errorText().startsWith(QStringLiteral("Rules file: cannot read ")), qPrintable(dialog->errorText()));
    const QString rulesPath = m_dir->filePath(QStringLiteral("rules.json"));
    QFile rules(rulesPath);
    QVERIFY(rules.open(QIODevice::WriteOnly));
    rules.write(R"([{"direction":"to-server","match":"quiet","replace":"LOUD"}])");
    rules.close();
    dialog->setRulesFile(rulesPath);
    child<QPushButton>(dialog, "relayStart")->click();
    QTRY_VERIFY(!dialog->isVisible());
    RelayServer *relay = m_window->connections()->relays().first();

    ClientConnection app(99);
    ConnectionOptions options;
    options.url = relay->url();
    QVERIFY(app.open(options));
    QTRY_COMPARE(app.readyState(), ReadyState::Open);
    QTRY_VERIFY(m_window->currentSession() && m_window->currentSession()->kind() == ClientSession::Kind::Relay);
    QTRY_COMPARE(m_window->currentSession()->readyState(), ReadyState::Open);
    QList<QByteArray> echoes;
    connect(&app, &ClientEngine::messageReceived, this, [&echoes](quint8, const QByteArray &payload) { echoes << payload; });
    QVERIFY(app.sendText("a quiet word"));
    QTRY_COMPARE(echoes, QList<QByteArray> { "a LOUD word" });

    auto *crafter = m_window->findChild<FrameCrafter *>();
    QTRY_VERIFY(crafter->isInjectMode() && crafter->isSendEnabled());
    auto *toward = child<QComboBox>(crafter, "injectToward");
    toward->setCurrentIndex(toward->findData(int(Leg::App)));
    FrameSpec spec;
    spec.opcode = Opcode::Text;
    spec.mask = false;
    spec.payload = "crafted";
    crafter->setSpec(spec);
    child<QPushButton>(crafter, "sendFrame")->click();
    QTRY_COMPARE(echoes, (QList<QByteArray> { "a LOUD word", "crafted" }));
}

// A connection on Qt's QWebSocket, opened from the window: its relay inside the process takes
// intercept commands, and the crafter, which QWebSocket itself cannot serve, injects through it.
void tst_MainWindow::qWebSocketConnectionIntercepted()
{
    ConnectionOptions options = m_window->connectionBar()->options();
    options.url = m_window->server()->url();
    options.engine = ConnectionOptions::Engine::Qt;
    ClientSession *session = m_window->openConnection(options);
    QVERIFY(session->canIntercept());
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    auto *crafter = m_window->findChild<FrameCrafter *>();
    QTRY_VERIFY(crafter->isInjectMode() && crafter->isSendEnabled());
    auto *toward = child<QComboBox>(crafter, "injectToward");
    toward->setCurrentIndex(toward->findData(int(Leg::Server)));
    FrameSpec spec;
    spec.opcode = Opcode::Text;
    spec.payload = "crafted past QWebSocket";
    crafter->setSpec(spec);
    child<QPushButton>(crafter, "sendFrame")->click();
    // The embedded server echoes it to QWebSocket.
    QTRY_COMPARE(messagesIn(*session->capture()), QList<QByteArray> { "crafted past QWebSocket" });
}

void tst_MainWindow::proxyThroughTheWindow()
{
    ConnectionManager *connections = m_window->connections();
    connections->setCertificateAuthorityDirectory(m_dir->filePath(QStringLiteral("ca")));
    ProxyDialog *dialog = m_window->proxyDialog();
    QString error;
    const std::shared_ptr<LocalCertificateAuthority> authority = connections->certificateAuthority(&error);
    QVERIFY2(authority, qPrintable(error));
    // The dialog shows what clients must trust, and exports it.
    const QString fingerprint = authority->sha256Fingerprint(); // shown in two lines of 16 bytes
    QCOMPARE(child<QLabel>(dialog, "proxyAuthority")->text().split(u'\n').mid(2),
        (QStringList { fingerprint.left(47), fingerprint.mid(48) }));
    dialog->show();
    auto *authorityLabel = child<QLabel>(dialog, "proxyAuthority");
    QTRY_VERIFY2(authorityLabel->height() >= authorityLabel->sizeHint().height(),
        qPrintable(QStringLiteral("%1 < %2").arg(authorityLabel->height()).arg(authorityLabel->sizeHint().height())));
    const QString exported = m_dir->filePath(QStringLiteral("exported.pem"));
    dialog->setSavePathChooser([exported] { return exported; });
    dialog->show();
    child<QPushButton>(dialog, "proxyExport")->click();
    QCOMPARE(dialog->exportResultText(), QStringLiteral("Wrote %1.").arg(QDir::toNativeSeparators(exported)));
    QFile pem(exported);
    QVERIFY(pem.open(QIODevice::ReadOnly));
    QCOMPARE(pem.readAll(), authority->certificatePem());
    // A pattern the proxy cannot use is named; the dialog stays open.
    dialog->setPort(0);
    dialog->setNoIntercept(QStringLiteral("*.bank.example, a/b"));
    child<QPushButton>(dialog, "proxyStart")->click();
    QVERIFY2(dialog->errorText().startsWith(QStringLiteral("Never look into: \"a/b\" is not a host name pattern")),
        qPrintable(dialog->errorText()));
    QVERIFY(connections->proxies().isEmpty());
    dialog->setNoIntercept(QStringLiteral("*.bank.example"));
    child<QPushButton>(dialog, "proxyStart")->click();
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(connections->proxies().size(), 1);
    ProxyServer *proxy = connections->proxies().first();
    QVERIFY(proxy->intercepts());
    QCOMPARE(proxy->options().noIntercept, QStringList { QStringLiteral("*.bank.example") });
    auto *status = child<QLabel>(m_window.get(), "relayStatus");
    QCOMPARE(status->text(), QStringLiteral("Proxy %1: 0 WebSocket connection(s), 0 passed on").arg(proxy->url().toString()));

    // A program's ws:// connection through CONNECT becomes a session with both legs.
    const quint16 serverPort = m_window->server()->serverPort();
    QTcpSocket app;
    QByteArray received;
    connect(&app, &QTcpSocket::readyRead, this, [&] { received += app.readAll(); });
    app.connectToHost(QHostAddress::LocalHost, proxy->port());
    app.write("CONNECT 127.0.0.1:" + QByteArray::number(serverPort) + " HTTP/1.1\r\n\r\n");
    QTRY_VERIFY(received.endsWith("\r\n\r\n"));
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    received.clear();
    app.write("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(received.contains("\r\n\r\n"));
    QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());
    app.write(QByteArray::fromHex("818500000000") + "hello");
    QTRY_VERIFY(m_window->currentSession() && m_window->currentSession()->kind() == ClientSession::Kind::Relay);
    QTRY_COMPARE(rowsOf(m_window->logView(), QStringLiteral("text"), Direction::Incoming).size(), 2); // both legs
    QTRY_COMPARE(status->text(), QStringLiteral("Proxy %1: 1 WebSocket connection(s), 0 passed on").arg(proxy->url().toString()));

    // A client the proxy refuses is counted, and why is in the status line's tool tip.
    QTcpSocket stray;
    stray.connectToHost(QHostAddress::LocalHost, proxy->port());
    stray.write("GET /not-absolute HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY(status->text().endsWith(QLatin1String(", 1 refused")));
    QVERIFY2(status->toolTip().contains(QLatin1String("a proxy takes absolute URLs")), qPrintable(status->toolTip()));

    connections->stopRelays();
    QVERIFY(connections->proxies().isEmpty());
    QTRY_COMPARE(m_window->currentSession()->readyState(), ReadyState::Closed);
    QVERIFY(status->isHidden());
}

// Over the memory budget with "drop" chosen: the oldest payloads go, the status bar counts them,
// the log marks their rows; the choice is kept in the settings.
void tst_MainWindow::memoryBudgetDropsWithNotice()
{
    CaptureMemory *memory = m_window->connections()->captureMemory();
    QCOMPARE(memory->budget(), CaptureMemory::DefaultBudgetBytes); // nothing set: the default
    // The shared chunk of small events (4 MiB) and room for two 2 MiB payloads.
    m_window->setMemoryBudget(8 << 20, CaptureMemory::OverBudget::DropOldest);
    QCOMPARE(m_settings->value(QStringLiteral("capture/memoryBudgetMiB")).toInt(), 8);
    QCOMPARE(m_settings->value(QStringLiteral("capture/overBudget")).toString(), QStringLiteral("drop"));

    QTest::mouseClick(child<QPushButton>(m_window->connectionBar(), "connect"), Qt::LeftButton);
    ClientSession *session = m_window->currentSession();
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    // Counted in the capture: a dropped payload leaves its frame's event in place.
    const auto echoes = [session] { return framesIn(*session->capture(), Opcode::Binary).size(); };
    const QByteArray big(2 << 20, 'x'); // each in a chunk of its own, sent and echoed: 8 chunks
    for (int i = 0; i < 4; ++i)
        QVERIFY(session->sendBinary(big, 0, ClientSession::Compression::Uncompressed));
    QTRY_COMPARE_WITH_TIMEOUT(echoes(), 4, 20'000);
    auto *status = child<QLabel>(m_window.get(), "memoryStatus");
    QTRY_VERIFY(status->isVisible());
    QVERIFY2(status->text().contains(QLatin1String("payloads dropped")), qPrintable(status->text()));
    QVERIFY(memory->residentBytes() <= 8u << 20);
    // The log appends in batches: everything captured so far, in rows, before reading them.
    session->log()->flushPending();
    QAbstractItemModel *model = m_window->logView()->table()->model();
    QList<int> sent, echoed; // rows of the binary frames sent and received, in order
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(MessageLogModel::TypeNameRole).toString() == QLatin1String("binary"))
            (index.data(MessageLogModel::DirectionRole).toInt() == int(Direction::Outgoing) ? sent : echoed) << row;
    }
    QCOMPARE(sent.size(), 4);
    QCOMPARE(echoed.size(), 4);
    QCOMPARE(model->index(sent.first(), MessageLogModel::PreviewColumn).data().toString(),
        QStringLiteral("(payload dropped to stay within the memory budget)"));
    QCOMPARE(model->index(sent.first(), MessageLogModel::LengthColumn).data().toULongLong(), quint64(big.size()));
    // The newest stayed (sent first, echoed last: the echoes are the newest).
    const QString newest = model->index(echoed.last(), MessageLogModel::PreviewColumn).data().toString();
    QVERIFY2(newest.contains(QLatin1String("78 78 78")), qPrintable(newest));

    // The newest echo is on show; four more push it out of memory: the payload pane says so at
    // once rather than showing zeros.
    m_window->logView()->selectEvent(m_window->currentSession()->capture()->count() - 2);
    QVERIFY(!m_window->payloadView()->note().contains(QLatin1String("dropped")));
    for (int i = 0; i < 4; ++i)
        QVERIFY(session->sendBinary(big, 0, ClientSession::Compression::Uncompressed));
    QTRY_COMPARE_WITH_TIMEOUT(echoes(), 8, 20'000);
    QTRY_VERIFY2(m_window->payloadView()->note().contains(QLatin1String("dropped to stay within")),
        qPrintable(m_window->payloadView()->note()));

    MemoryBudgetDialog dialog(memory);
    QVERIFY2(dialog.figuresText().contains(QLatin1String("payloads dropped")), qPrintable(dialog.figuresText()));

    // A window opened with these settings starts with them.
    m_window.reset();
    MainWindow again(m_settings.get());
    QCOMPARE(again.connections()->captureMemory()->budget(), quint64(8 << 20));
    QCOMPARE(again.connections()->captureMemory()->overBudget(), CaptureMemory::OverBudget::DropOldest);
}


void tst_MainWindow::conformanceCaseOpensInThePanes()
{
    // A case of the full suite against the embedded server, opened: its wire log becomes a
    // read-only session of its own, shown in the log like any connection's.
    ConformancePanel *panel = m_window->conformancePanel();
    panel->setUrl(m_window->server()->url());
    panel->findChild<QLineEdit *>(QStringLiteral("casePatterns"))->setText(QStringLiteral("2.3"));
    QSignalSpy finished(m_window->findChild<ConformanceRunner *>(), &ConformanceRunner::finished);
    QVERIFY(panel->start());
    QVERIFY(finished.wait(30'000));
    const int sessionsBefore = m_window->connections()->rowCount();
    emit panel->tree()->activated(panel->tree()->model()->index(0, 0, panel->tree()->model()->index(0, 0)));
    QCOMPARE(m_window->connections()->rowCount(), sessionsBefore + 1);
    ClientSession *opened = m_window->currentSession();
    QVERIFY(opened && opened->isFromFile());
    QVERIFY2(opened->title().contains(QStringLiteral("Case 2.3 (ws://127.0.0.1:")), qPrintable(opened->title()));
    QVERIFY(!opened->title().contains(QStringLiteral("(file)")));
    // The ping the case sent and the pong the server answered, in the window's own log.
    QTRY_COMPARE(rowsOf(m_window->logView(), QStringLiteral("ping"), Direction::Outgoing).size(), 1);
    QCOMPARE(rowsOf(m_window->logView(), QStringLiteral("pong"), Direction::Incoming).size(), 1);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
