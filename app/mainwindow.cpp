#include "mainwindow.h"

#include "send/closecontrols.h"
#include "send/interceptpane.h"
#include "send/fragmentbuilder.h"
#include "send/framecrafter.h"
#include "teach/framediagram.h"
#include "teach/handshakewalkthroughview.h"
#include "teach/learnpanel.h"
#include "probe/probereportmodel.h"
#include "probe/proberunner.h"
#include "probe/conformancepanel.h"
#include "probe/conformanceresultsmodel.h"
#include "probe/conformancerunner.h"
#include "probe/probepanel.h"
#include "teach/glossary.h"
#include "probe/probepresets.h"
#include "teach/timelineview.h"
#include "inspect/connectionbar.h"
#include "inspect/framehexview.h"
#include "inspect/handshakepane.h"
#include "log/payloadpreview.h"
#include "log/messagelogmodel.h"
#include "log/serverclientsmodel.h"
#include "log/serverlogmodel.h"
#include "log/capturefiles.h"
#include "log/sessionfile.h"
#include "inspect/messagelogview.h"
#include "net/connectionmanager.h"
#include "net/embeddedserver.h"
#include "inspect/payloadview.h"
#include "inspect/memorybudgetdialog.h"
#include "inspect/proxydialog.h"
#include "inspect/relaydialog.h"
#include "inspect/replaydialog.h"
#include "net/localcertificateauthority.h"
#include "text/displaytext.h"
#include "net/relayserver.h"
#include "send/sendcomposer.h"
#include "server/serverpanel.h"
#include "common/panescrollarea.h"
#include "windowlayoutpolicy.h"

#include <QApplication>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QToolButton>
#include <QCloseEvent>
#include <QCursor>
#include <QDialog>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

MainWindow::MainWindow(QSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_connections(new ConnectionManager(this))
    , m_server(m_connections->embeddedServer())
{
    setWindowTitle(tr("WebSocket Inspector"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/wsinspector.svg")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    buildPanes();
    buildMenus();
    restoreLayout();
    restoreMemoryBudget();
    updateControls();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanes()
{
    // Top: how to connect, and the state of the current connection.
    m_connectionBar = new ConnectionBar(m_settings, this);
    connect(m_connectionBar, &ConnectionBar::connectRequested, this,
            [this](const ConnectionOptions &options) { openConnection(options); });
    connect(m_connectionBar, &ConnectionBar::disconnectRequested, this, [this] {
        if (m_current)
            m_current->disconnectFromPeer();
    });

    // Left: every connection opened, closed ones included until removed.
    auto *listPanel = new QWidget(this);
    listPanel->setMinimumWidth(150);
    auto *listLayout = new QVBoxLayout(listPanel);
    listLayout->setContentsMargins(0, 0, 0, 0);
    auto *listTitle = new QLabel(tr("Connections"), listPanel);
    listTitle->setStyleSheet(QStringLiteral("font-weight: bold;"));
    m_connectionList = new QListView(listPanel);
    m_connectionList->setModel(m_connections);
    m_connectionList->setObjectName(QStringLiteral("connectionList"));
    m_connectionList->setToolTip(tr("Each connection keeps its own log until you remove it"));
    auto *remove = new QPushButton(tr("Remove"), listPanel);
    remove->setToolTip(tr("Close this connection if needed and forget its log"));
    connect(remove, &QPushButton::clicked, this, &MainWindow::removeCurrentSession);
    listLayout->addWidget(listTitle);
    listLayout->addWidget(m_connectionList, 1);
    listLayout->addWidget(remove);
    connect(m_connections, &ConnectionManager::sessionAdded, this, [this](ClientSession *session) {
        connect(session, &ClientSession::changed, this, [this, session] {
            if (session == m_current) {
                updateControls();
                if (!m_handshakeShown)
                    refreshHandshake();
            }
        });
        // A program's first connection through a relay is what the user is waiting to see; so is
        // the connection that reconnects the one shown (its options carry why it was opened).
        const bool shownOneEnded = !m_current || m_current->readyState() == ReadyState::Closed;
        if (session->kind() == ClientSession::Kind::Relay && shownOneEnded)
            setCurrentSession(session);
        else if (session->kind() == ClientSession::Kind::Client && !session->options().openingNote.isEmpty() && shownOneEnded)
            setCurrentSession(session);
    });
    connect(m_connections, &ConnectionManager::relaysChanged, this, &MainWindow::updateStatus);
    connect(m_connectionList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { setCurrentSession(m_connections->session(current.row())); });

    // Centre: the log above the details of the selected row.
    m_logView = new MessageLogView(this);
    connect(m_logView, &MessageLogView::eventSelected, this, &MainWindow::showEventDetails);
    m_handshakePane = new HandshakePane(this);
    m_hexView = new FrameHexView(this);
    m_payloadView = new PayloadView(this);
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setDocumentMode(true);
    m_walkthrough = new HandshakeWalkthroughView(this);
    m_diagram = new FrameDiagram(this);
    m_timeline = new TimelineView(this);
    // The handshake pane is tall (request, response, accept steps): on a short screen it scrolls
    // inside its tab rather than squeezing the log above it.
    m_detailTabs->addTab(new PaneScrollArea(m_handshakePane), tr("Handshake"));
    m_detailTabs->addTab(m_walkthrough, tr("Walk-through"));
    m_detailTabs->addTab(framePage(), tr("Frame"));
    m_detailTabs->addTab(m_diagram, tr("Diagram"));
    m_detailTabs->addTab(m_payloadView, tr("Payload"));
    m_detailTabs->addTab(m_timeline, tr("Timeline"));
    m_detailTabs->setTabToolTip(WalkthroughTab, tr("The opening handshake step by step, from this connection's bytes"));
    m_detailTabs->setTabToolTip(DiagramTab, tr("The RFC 6455 §5.2 frame layout with this frame's bits"));
    m_detailTabs->setTabToolTip(TimelineTab, tr("Client and server lanes: every frame as an arrow, pings paired with pongs"));

    m_logSplitter = new QSplitter(Qt::Vertical, this);
    m_logSplitter->addWidget(m_logView);
    m_logSplitter->addWidget(m_detailTabs);
    m_logSplitter->setStretchFactor(0, 3);
    m_logSplitter->setStretchFactor(1, 2);
    m_logSplitter->setChildrenCollapsible(false);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->addWidget(listPanel);
    m_mainSplitter->addWidget(m_logSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 6, 6, 0);
    centralLayout->addWidget(m_connectionBar);
    centralLayout->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    // Right: sending, closing, and the embedded server, as docks the user can move.
    m_composer = new SendComposer(m_settings, this);
    const auto compression = [](bool uncompressed) {
        return uncompressed ? ClientSession::Compression::Uncompressed : ClientSession::Compression::AsNegotiated;
    };
    connect(m_composer, &SendComposer::sendTextRequested, this,
            [this, compression](const QByteArray &text, qsizetype fragmentSize, bool uncompressed) {
                if (m_current)
                    m_current->sendText(text, fragmentSize, compression(uncompressed));
            });
    connect(m_composer, &SendComposer::sendBinaryRequested, this,
            [this, compression](const QByteArray &data, qsizetype fragmentSize, bool uncompressed) {
                if (m_current)
                    m_current->sendBinary(data, fragmentSize, compression(uncompressed));
            });
    // In Socket.IO mode the session emits on its namespace with an ack id; elsewhere the event goes
    // out as the packet Socket.IO would write for the main namespace, without an ack id.
    connect(m_composer, &SendComposer::socketIoEmitRequested, this, [this](const QByteArray &array, bool ack) {
        if (!m_current)
            return;
        if (m_current->socketIo()) {
            m_current->emitSocketIo(array, ack);
            return;
        }
        m_current->sendText("42" + array);
        if (ack)
            statusBar()->showMessage(tr("Sent as 42[…] without an ack id: acks are counted in Socket.IO mode only "
                                        "(tick Socket.IO by the URL)."),
                                     8000);
    });
    connect(m_composer, &SendComposer::pingRequested, this, [this](const QByteArray &payload) {
        if (m_current)
            m_current->ping(payload);
    });
    connect(m_composer, &SendComposer::pongRequested, this, [this](const QByteArray &payload) {
        if (m_current)
            m_current->pong(payload);
    });
    m_crafter = new FrameCrafter(this);
    m_fragments = new FragmentBuilder(this);
    m_sendTabs = new QTabWidget(this);
    m_sendTabs->setDocumentMode(true);
    m_sendTabs->addTab(new PaneScrollArea(m_composer), tr("Message"));
    m_sendTabs->addTab(m_crafter, tr("Craft frame"));
    m_sendTabs->addTab(new PaneScrollArea(m_fragments), tr("Fragments"));
    m_sendTabs->setTabToolTip(1, tr("Build any frame bit by bit, invalid ones included, and see what it breaks"));
    addRightDock(tr("Send"), "sendDock", m_sendTabs);

    m_closeControls = new CloseControls(this);
    connect(m_closeControls, &CloseControls::closeRequested, this, [this](quint16 code, const QByteArray &reason) {
        if (m_current)
            m_current->close(code, reason);
    });
    addRightDock(tr("Close"), "closeDock", m_closeControls);

    m_intercept = new InterceptPane(this);
    addRightDock(tr("Intercept"), "interceptDock", m_intercept);

    auto *serverClients = new ServerClientsModel(this);
    serverClients->setServer(m_server);
    auto *serverLog = new ServerLogModel(this);
    serverLog->setServer(m_server);
    m_serverPanel = new ServerPanel(m_server, serverClients, serverLog, this);
    connect(m_serverPanel, &ServerPanel::connectRequested, this, [this](const QUrl &url) { connectTo(url); });
    addRightDock(tr("Embedded server"), "serverDock", new PaneScrollArea(m_serverPanel));

    // Where the docks go depends on the screen: restoreLayout() and arrangeDocks() place them.
    buildTeachingAndTesting();

    m_relayStatus = new QLabel(this);
    m_relayStatus->setTextFormat(Qt::PlainText);
    m_relayStatus->setObjectName(QStringLiteral("relayStatus"));
    statusBar()->addPermanentWidget(m_relayStatus);
    // Shown once payloads have left memory: how many went to disk, and how many were dropped.
    m_memoryStatus = new QLabel(this);
    m_memoryStatus->setTextFormat(Qt::PlainText);
    m_memoryStatus->setObjectName(QStringLiteral("memoryStatus"));
    m_memoryStatus->hide();
    statusBar()->addPermanentWidget(m_memoryStatus);
    CaptureMemory *memory = m_connections->captureMemory();
    connect(memory, &CaptureMemory::changed, this, [this, memory] {
        // The frame on show may just have lost its payload: show it as dropped, not as zeros.
        if (m_current && m_shownEvent >= 0 && m_shownEvent < m_current->capture()->count()
            && m_current->capture()->droppedPayloads() > 0 && m_current->capture()->message(m_shownEvent).dropped)
            showEventDetails(m_shownEvent);
        const QString figures = MemoryBudgetDialog::figures(*memory);
        m_memoryStatus->setText(figures.isEmpty() ? QString() : tr("Capture memory: %1").arg(figures));
        m_memoryStatus->setVisible(!figures.isEmpty());
    });
    connect(memory, &CaptureMemory::problem, this, [this](const QString &error) {
        statusBar()->showMessage(tr("Memory budget: %1").arg(error), 15'000);
        m_memoryStatus->setToolTip(error);
    });
    m_serverStatus = new QLabel(this);
    m_serverStatus->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_serverStatus);
    connect(m_server, &EmbeddedServer::clientConnected, this, &MainWindow::updateStatus);
    connect(m_server, &EmbeddedServer::clientDisconnected, this, &MainWindow::updateStatus);
}

QWidget *MainWindow::framePage()
{
    // The hex view with its two everyday actions in sight: the wire's masked bytes, and copying.
    auto *page = new QWidget(this);
    auto *masked = new QCheckBox(tr("Show payload masked, as on the wire"), page);
    masked->setObjectName(QStringLiteral("showMasked"));
    masked->setToolTip(tr("Client frames are XORed with the 4-byte masking key on the wire (RFC 6455 §5.3)"));
    connect(masked, &QCheckBox::toggled, m_hexView, &FrameHexView::setShowMasked);
    connect(m_hexView, &FrameHexView::showMaskedChanged, masked, &QCheckBox::setChecked);
    auto *copy = new QToolButton(page);
    copy->setText(tr("Copy as"));
    copy->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(copy);
    const std::pair<const char *, FrameHexView::CopyFormat> formats[] = {
        { QT_TRANSLATE_NOOP("MainWindow", "Hex"), FrameHexView::CopyFormat::Hex },
        { QT_TRANSLATE_NOOP("MainWindow", "Base64"), FrameHexView::CopyFormat::Base64 },
        { QT_TRANSLATE_NOOP("MainWindow", "C array"), FrameHexView::CopyFormat::CArray },
        { QT_TRANSLATE_NOOP("MainWindow", "Text"), FrameHexView::CopyFormat::Text } };
    for (const auto &[name, format] : formats)
        menu->addAction(tr(name), this, [this, format = format] { m_hexView->copy(format); });
    copy->setMenu(menu);
    copy->setToolTip(tr("Copy the selected bytes, or the whole frame"));
    auto *hint = new QLabel(tr("Hover a byte for its field; click to select a field"), page);
    hint->setEnabled(false);
    auto *bar = new QHBoxLayout;
    bar->addWidget(masked);
    bar->addStretch(1);
    bar->addWidget(hint);
    bar->addWidget(copy);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_hexView, 1);
    return page;
}

void MainWindow::buildTeachingAndTesting()
{
    // Hand-made frames go out as they are, valid or not: that is what they are for.
    m_crafter->setPresets(ProbePresets::all());
    connect(m_crafter, &FrameCrafter::sendFrameRequested, this, [this](const FrameSpec &spec, bool compressPayload) {
        if (m_current && m_crafter->isInjectMode())
            m_current->inject(m_crafter->injectToward(), spec);
        else if (m_current)
            m_current->sendFrames({ spec }, compressPayload);
    });
    connect(m_crafter, &FrameCrafter::sendPresetRequested, this, &MainWindow::sendFrames);
    connect(m_fragments, &FragmentBuilder::sendFrameRequested, this, [this](const FrameSpec &spec) { sendFrames({ spec }); });

    // The teaching views point at each other: timeline <-> log, diagram <-> hex view, walk-through
    // -> handshake bytes, anything -> the explanation of its topic.
    connect(m_timeline, &TimelineView::eventClicked, this, [this](qsizetype index) { m_logView->selectEvent(index); });
    connect(m_diagram, &FrameDiagram::fieldClicked, this, [this](FrameLayout::FieldId id) {
        m_hexView->selectField(id);
        showTopic(Glossary::topicForField(id));
    });
    connect(m_hexView, &FrameHexView::fieldSelected, m_diagram, &FrameDiagram::setSelectedField);
    connect(m_walkthrough, &HandshakeWalkthroughView::highlightRequested, this,
            [this](bool inResponse, qsizetype offset, qsizetype length) {
                m_handshakePane->highlightBytes(inResponse, offset, length);
            });
    connect(m_walkthrough, &HandshakeWalkthroughView::topicRequested, this, &MainWindow::showTopic);

    // Conformance: the full catalogue (servers and clients) and the quick probes, as tabs.
    m_conformanceRunner = new ConformanceRunner(this);
    m_conformanceResults = new ConformanceResultsModel(this);
    m_conformancePanel = new ConformancePanel(m_conformanceRunner, m_conformanceResults, this);
    connect(m_conformancePanel, &ConformancePanel::caseLogRequested, this, &MainWindow::showConformanceLog);
    m_probeRunner = new ProbeRunner(this);
    m_probeReport = new ProbeReportModel(this);
    m_probePanel = new ProbePanel(m_probeRunner, m_probeReport, this);
    connect(m_probePanel, &ProbePanel::probeLogRequested, this, &MainWindow::showProbeLog);
    m_conformanceTabs = new QTabWidget(this);
    m_conformanceTabs->setDocumentMode(true);
    m_conformanceTabs->addTab(m_conformancePanel, tr("Full suite"));
    m_conformanceTabs->addTab(m_probePanel, tr("Quick probes"));
    QDockWidget *conformanceDock = addRightDock(tr("Conformance"), "conformanceDock", m_conformanceTabs);

    m_learn = new LearnPanel(this);
    m_learnDock = addRightDock(tr("Learn"), "learnDock", m_learn);
    // A protocol note's live example takes the log to that message.
    connect(m_learn, &LearnPanel::eventRequested, this, [this](qsizetype index) { m_logView->selectEvent(index); });
    // The tests target whatever the URL field says when the user looks at them.
    connect(conformanceDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible)
            return;
        m_conformancePanel->setUrl(m_connectionBar->options().url);
        m_probePanel->setUrl(m_connectionBar->options().url);
    });
}

void MainWindow::sendFrames(const QList<FrameSpec> &frames)
{
    if (m_current && m_current->canIntercept()) {
        // A preset on a relay with intercept: its frames go toward the side the crafter names.
        for (const FrameSpec &frame : frames)
            m_current->inject(m_crafter->injectToward(), frame);
    } else if (m_current) {
        m_current->sendFrames(frames);
    }
}

void MainWindow::showTopic(const QString &topic)
{
    if (topic.isEmpty() || !m_learn->setTopic(topic))
        return;
    m_learnDock->show();
    m_learnDock->raise();
}

void MainWindow::showProbeLog(int index)
{
    Capture *capture = m_probeRunner->capture(index);
    if (!capture)
        return;
    // The probe's own wire log, in the same log pane the connections use.
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Probe %1: wire log").arg(m_probeRunner->presets().value(index).title));
    auto *model = new MessageLogModel(dialog);
    model->setCapture(capture);
    auto *view = new MessageLogView(dialog);
    view->setLogModel(model);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(view);
    dialog->resize(900, 420);
    // A new run deletes the captures: the dialog must not outlive them.
    connect(m_probeRunner, &ProbeRunner::probeStarted, dialog, &QDialog::close);
    dialog->show();
}

void MainWindow::showConformanceLog(int caseIndex, const QString &title)
{
    const Capture *capture = m_conformancePanel->capture(caseIndex);
    if (!capture)
        return;
    // A copy in the connection list: the log, handshake, hex and timeline panes show it as they
    // show any connection, and it stays when the next run replaces the case's own log.
    setCurrentSession(m_connections->openCopy(*capture, title));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newConnection = file->addAction(tr("&New Connection"), this, [this] {
        m_connectionBar->setFocus();
    });
    newConnection->setShortcut(QKeySequence::New);
    file->addAction(tr("&Open Capture..."), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a capture"), QString(),
            (CaptureFiles::readFilters() << tr("All files (*)")).join(QStringLiteral(";;")));
        if (!path.isEmpty())
            openSessionFile(path);
    });
    file->addAction(tr("&Save Session As..."), QKeySequence::SaveAs, this, [this] {
        if (!m_current)
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save session"),
                                                          QStringLiteral("session.jsonl"),
                                                          CaptureFiles::writeFilters().first());
        if (!path.isEmpty())
            saveSessionFile(path);
    });
    file->addAction(tr("&Export As..."), this, [this] {
        if (!m_current)
            return;
        const QStringList filters = CaptureFiles::writeFilters();
        QString chosen = filters.value(1);
        QString path = QFileDialog::getSaveFileName(this, tr("Export the capture"), QStringLiteral("session.har"),
                                                    filters.join(QStringLiteral(";;")), &chosen);
        if (path.isEmpty())
            return;
        // A name typed without an extension takes the chosen filter's.
        if (QFileInfo(path).suffix().isEmpty()) {
            const CaptureFiles::Format formats[] = { CaptureFiles::Format::Session, CaptureFiles::Format::Har, CaptureFiles::Format::Pcapng };
            path += QLatin1Char('.') + CaptureFiles::extension(formats[std::max<qsizetype>(0, filters.indexOf(chosen))]);
        }
        saveSessionFile(path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    // Through the bar, as its Connect button: the URL checked, the settings of More… applied.
    connection->addAction(tr("&Connect"), QKeySequence(Qt::Key_F5), m_connectionBar, &ConnectionBar::requestConnect);
    connection->addAction(tr("&Disconnect (1000)"), QKeySequence(Qt::SHIFT | Qt::Key_F5), this, [this] {
        if (m_current)
            m_current->disconnectFromPeer();
    });
    connection->addAction(tr("&Ping"), QKeySequence(Qt::CTRL | Qt::Key_P), this, [this] {
        if (m_current)
            m_current->ping();
    });
    connection->addSeparator();
    connection->addAction(tr("Re&play Session\u2026"), this, [this] {
        ReplayDialog *dialog = replayDialog();
        dialog->setTarget(m_connectionBar->options().url);
        dialog->show();
        dialog->raise();
    });
    connection->addAction(tr("New &Relay\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this, [this] {
        RelayDialog *dialog = relayDialog();
        if (m_connectionBar->options().url.isValid() && !dialog->isVisible())
            dialog->setTarget(m_connectionBar->options().url);
        dialog->showError(QString());
        dialog->open();
    });
    connection->addAction(tr("Start &Proxy…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y), this, [this] {
        ProxyDialog *dialog = proxyDialog();
        dialog->showError(QString());
        dialog->open();
    });
    QAction *stopRelays
        = connection->addAction(tr("&Stop Relays and Proxy"), this, [this] { m_connections->stopRelays(); });
    stopRelays->setEnabled(false);
    connect(m_connections, &ConnectionManager::relaysChanged, stopRelays, [this, stopRelays] {
        stopRelays->setEnabled(!m_connections->relays().isEmpty() || !m_connections->proxies().isEmpty());
    });
    connection->addSeparator();
    connection->addAction(tr("&Remove Connection"), QKeySequence(Qt::CTRL | Qt::Key_W), this,
                          &MainWindow::removeCurrentSession);

    QMenu *log = menuBar()->addMenu(tr("&Log"));
    log->addAction(tr("&Find"), QKeySequence::Find, this, [this] {
        m_logView->focusSearch();
    });
    log->addAction(tr("&Pause / Resume"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this,
                   [this] { m_logView->setPaused(!m_logView->isPaused()); });
    log->addAction(tr("&Clear"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        if (m_current)
            m_current->capture()->clear();
    });
    log->addAction(tr("&Memory Budget\u2026"), this, [this] {
        auto *dialog = new MemoryBudgetDialog(m_connections->captureMemory(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setBudget(m_connections->captureMemory()->budget(), m_connections->captureMemory()->overBudget());
        connect(dialog, &MemoryBudgetDialog::applyRequested, this, &MainWindow::setMemoryBudget);
        dialog->open();
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : std::as_const(m_rightDocks))
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QAction *resetLayout = view->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
    resetLayout->setObjectName(QStringLiteral("resetLayout"));
    resetLayout->setToolTip(tr("Show every dock again, arranged for this screen"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About WebSocket Inspector"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

bool MainWindow::startEmbeddedServer(quint16 port)
{
    bool ok = m_server->start(QHostAddress::LocalHost, port);
    if (!ok && port != 0)
        ok = m_server->start(QHostAddress::LocalHost, 0); // the preferred port is taken: any will do
    if (ok) {
        ConnectionOptions options = m_connectionBar->options();
        options.url = m_server->url();
        m_connectionBar->setOptions(options);
    }
    m_serverPanel->refresh();
    updateStatus();
    return ok;
}

ClientSession *MainWindow::connectTo(const QUrl &url)
{
    ConnectionOptions options = m_connectionBar->options();
    options.url = url;
    QString problem;
    if (!m_connectionBar->applyExtras(options, &problem)) {
        QMessageBox::warning(this, tr("Connect"), problem);
        return nullptr;
    }
    return openConnection(options);
}

ClientSession *MainWindow::openConnection(const ConnectionOptions &options)
{
    ConnectionOptions opened = options;
    // QWebSocket is a third party here, with pongs and close replies of its own: its relay holds
    // messages for the Intercept dock whenever asked.
    opened.interceptable = options.engine == ConnectionOptions::Engine::Qt;
    ClientSession *session = m_connections->open(opened);
    setCurrentSession(session);
    return session;
}

RelayServer *MainWindow::startRelay(const RelayOptions &options, const QHostAddress &address, quint16 port, QString *error)
{
    RelayServer *relay = m_connections->startRelay(options, address, port, error);
    if (relay)
        statusBar()->showMessage(tr("Relaying %1 -> %2: point your program at %1")
                                     .arg(relay->url().toString(), options.to.toDisplayString()),
            10'000);
    return relay;
}

ReplayDialog *MainWindow::replayDialog()
{
    if (m_replayDialog)
        return m_replayDialog;
    m_replayDialog = new ReplayDialog(this);
    connect(m_replayDialog, &ReplayDialog::replayRequested, this, [this](const QUrl &url, const QStringList &subprotocols) {
        // The bar's settings (engine, compression, the proxy and TLS of More…), to the replay's URL,
        // offering what the recorded client offered unless the bar names subprotocols.
        ConnectionOptions options = m_connectionBar->options();
        options.url = url;
        options.socketIo.reset();
        if (options.subprotocols.isEmpty())
            options.subprotocols = subprotocols;
        QString problem;
        if (!m_connectionBar->applyExtras(options, &problem)) {
            QMessageBox::warning(m_replayDialog, tr("Replay"), problem);
            return;
        }
        options.reconnect.reset(); // a replay is one conversation
        m_replayDialog->follow(openConnection(options));
    });
    return m_replayDialog;
}

RelayDialog *MainWindow::relayDialog()
{
    if (m_relayDialog)
        return m_relayDialog;
    m_relayDialog = new RelayDialog(this);
    connect(m_relayDialog, &RelayDialog::startRequested, this, [this](const RelayDialog::Request &request) {
        QString error;
        if (startRelay(request.options, request.address, request.port, &error))
            m_relayDialog->accept();
        else
            m_relayDialog->showError(error);
    });
    return m_relayDialog;
}

ProxyServer *MainWindow::startProxy(const ProxyOptions &options, const QHostAddress &address, quint16 port, QString *error)
{
    QString warning;
    ProxyServer *proxy = m_connections->startProxy(options, address, port, error, &warning);
    if (proxy)
        statusBar()->showMessage(warning.isEmpty()
                ? tr("Proxy on %1: set it as the HTTP and HTTPS proxy of your browser or program")
                      .arg(proxy->url().toString())
                : tr("Proxy on %1. %2").arg(proxy->url().toString(), warning),
            10'000);
    return proxy;
}

ProxyDialog *MainWindow::proxyDialog()
{
    if (!m_proxyDialog) {
        m_proxyDialog = new ProxyDialog(this);
        connect(m_proxyDialog, &ProxyDialog::startRequested, this, [this](const ProxyDialog::Request &request) {
            QString error;
            if (startProxy(request.options, request.address, request.port, &error))
                m_proxyDialog->accept();
            else
                m_proxyDialog->showError(error);
        });
        connect(m_proxyDialog, &ProxyDialog::exportRequested, this, [this](const QString &path) {
            QString error;
            const std::shared_ptr<LocalCertificateAuthority> authority = m_connections->certificateAuthority(&error);
            if (authority && authority->exportCertificate(path, &error))
                m_proxyDialog->showExportResult(tr("Wrote %1.").arg(QDir::toNativeSeparators(path)));
            else
                m_proxyDialog->showExportResult(error);
        });
    }
    // Opened (made on first use) when the dialog is, so the user sees what clients must trust.
    QString error;
    const std::shared_ptr<LocalCertificateAuthority> authority = m_connections->certificateAuthority(&error);
    m_proxyDialog->setAuthority(m_connections->certificateAuthorityDirectory(),
        authority ? authority->sha256Fingerprint() : QString(), authority ? QString() : error);
    return m_proxyDialog;
}

bool MainWindow::openSessionFile(const QString &path)
{
    QStringList errors;
    ClientSession *session = m_connections->openFile(path, &errors);
    if (!errors.isEmpty()) {
        QMessageBox box(QMessageBox::Warning, tr("Open a capture"),
                        session ? tr("Some parts of %1 could not be read; everything else was kept.").arg(path)
                                : tr("%1 could not be read.").arg(path),
                        QMessageBox::Ok, this);
        box.setDetailedText(errors.join(QLatin1Char('\n')));
        box.exec();
    }
    if (!session)
        return false;
    setCurrentSession(session);
    return true;
}

bool MainWindow::saveSessionFile(const QString &path)
{
    if (!m_current)
        return false;
    SessionHeader header;
    header.url = m_current->options().url.toString();
    QString error;
    if (!CaptureFiles::save(path, *m_current->capture(), header, &error)) {
        QMessageBox::warning(this, tr("Save session"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %L1 events to %2").arg(m_current->capture()->count()).arg(path), 5000);
    return true;
}

void MainWindow::setCurrentSession(ClientSession *session)
{
    if (m_current == session)
        return;
    if (m_current) {
        disconnect(m_current->capture(), &Capture::aboutToClear, this, &MainWindow::clearDetails);
        disconnect(m_current->decoding(), nullptr, this, nullptr);
    }
    m_current = session;
    m_handshakeShown = false;
    clearDetails();
    m_logView->setLogModel(session ? session->log() : nullptr);
    m_timeline->setModel(session ? session->timeline() : nullptr);
    m_timeline->setDecoding(session ? session->decoding() : nullptr);
    m_connectionBar->setSession(session);
    m_intercept->setSession(session);
    m_composer->setProtocolHint(session ? session->decoding()->activeProtocol() : Decode::Protocol::None);
    if (m_learn)
        m_learn->setDecoding(session ? session->decoding() : nullptr);
    if (session) {
        connect(session->capture(), &Capture::aboutToClear, this, &MainWindow::clearDetails);
        // The protocol was found or chosen after the message was shown: show what it means now.
        connect(session->decoding(), &ProtocolDecoding::reset, this, [this] {
            showDecoded(m_shownEvent);
            m_composer->setProtocolHint(m_current->decoding()->activeProtocol());
        });
        m_composer->setMaxFileBytes(qint64(session->options().limits.maxMessageSize));
        const int row = m_connections->rowOf(session);
        const QModelIndex index = m_connections->index(row);
        if (m_connectionList->currentIndex() != index)
            m_connectionList->setCurrentIndex(index);
        if (session->kind() == ClientSession::Kind::Client) // a relay's or a file's would wipe the user's fields
            m_connectionBar->setOptions(session->options());
    }
    refreshHandshake();
    updateControls();
}

void MainWindow::removeCurrentSession()
{
    if (!m_current)
        return;
    const int row = m_connections->rowOf(m_current);
    ClientSession *next = m_connections->session(row + 1) ? m_connections->session(row + 1) : m_connections->session(row - 1);
    setCurrentSession(next);
    m_connections->remove(row);
}

void MainWindow::clearDetails()
{
    m_shownEvent = -1;
    // The views may point into the capture's memory: drop them before it goes. The handshake is
    // the session's and stays.
    m_hexView->clear();
    m_diagram->clear();
    m_payloadView->clear();
}

void MainWindow::refreshHandshake()
{
    if (!m_current) {
        m_handshakePane->clear();
        m_walkthrough->clear();
        return;
    }
    const QByteArray request = m_current->handshakeRequest();
    const QByteArray response = m_current->handshakeResponse();
    const RelayHandshake::Handshakes &relayed = m_current->relayHandshakes();
    if (!relayed.appRequest.isEmpty() || !relayed.serverRequest.isEmpty())
        m_handshakePane->setRelayHandshakes(relayed);
    else
        m_handshakePane->setHandshake(request, response);
    m_walkthrough->setHandshake(request, response,
                                m_current->isSecure() ? HandshakeWalkthrough::Transport::Tls
                                                      : HandshakeWalkthrough::Transport::Tcp);
    m_handshakeShown = !response.isEmpty() || m_current->readyState() == ReadyState::Closed;
}

void MainWindow::showEventDetails(qsizetype index)
{
    m_shownEvent = index;
    if (!m_current || index < 0 || index >= m_current->capture()->count()) {
        m_hexView->clear();
        m_diagram->clear();
        m_payloadView->clear();
        return;
    }
    const Capture *capture = m_current->capture();
    const WireEvent e = capture->event(index);
    switch (e.kind) {
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        refreshHandshake();
        m_detailTabs->setCurrentIndex(HandshakeTab);
        return;
    case EventKind::Frame:
    case EventKind::Violation:
        break;
    default:
        m_hexView->clear();
        m_payloadView->setPayload(Opcode::Text, e.payload.toByteArray());
        return;
    }
    if (e.header.isEmpty()) { // a violation of the handshake: text only
        m_hexView->clear();
        m_payloadView->setPayload(Opcode::Text, e.payload.toByteArray());
        m_detailTabs->setCurrentWidget(m_payloadView);
        return;
    }
    // The capture keeps these bytes for its lifetime: show them without copying (64 MiB frames).
    const QByteArray header = QByteArray::fromRawData(e.header.data(), e.header.size());
    const QByteArray payload = e.kind == EventKind::Frame ? QByteArray::fromRawData(e.payload.data(), e.payload.size())
                                                          : QByteArray();
    m_hexView->setFrame(header, payload, e.compressed);
    m_diagram->setFrame(header, payload, e.compressed);
    m_timeline->selectEvent(index);

    // A fragment shows the whole message it belongs to; the capture knows which from the parse.
    if (e.kind == EventKind::Frame) {
        const Capture::Message message = capture->message(index);
        PayloadPreview::MessageShape shape;
        shape.frames = message.frames;
        shape.complete = message.complete;
        shape.compressed = message.compressed;
        shape.inflated = message.inflated;
        shape.wireBytes = message.inflated ? message.wire.size() : message.payload.size();
        shape.inflatedBytes = message.payload.size();
        m_payloadView->setPayload(message.opcode, message.payload,
            message.dropped ? tr("The payload was dropped to stay within the capture's memory budget "
                                 "(Log \u2192 Memory Budget).")
                            : PayloadPreview::messageNote(shape));
        showDecoded(index);
    } else {
        m_payloadView->setPayload(e.frame.opcode, QByteArray());
    }
    if (m_detailTabs->currentIndex() == HandshakeTab)
        m_detailTabs->setCurrentIndex(FrameTab);
}

void MainWindow::showDecoded(qsizetype index)
{
    if (!m_current || index < 0 || index >= m_current->capture()->count())
        return;
    ProtocolDecoding *decoding = m_current->decoding();
    decoding->catchUp(index);
    m_payloadView->setDecoded(decoding->decodedAt(index), decoding->pairingText(index));
}

void MainWindow::updateControls()
{
    // A relayed connection is the application's and the server's: the inspector only watches it.
    const bool canSend = m_current && m_current->canSend();
    const ReadyState state = canSend ? m_current->readyState() : ReadyState::Closed;
    const bool open = state == ReadyState::Open;
    m_composer->setSendEnabled(open);
    m_composer->setCompressionAgreed(open && m_current->compressionAgreed());
    m_closeControls->setCloseEnabled(open);
    // Hand-made frames may go out in any state with a live socket (data after close is a probe).
    const bool connected = state != ReadyState::Closed && state != ReadyState::Connecting;
    // A relay with intercept takes hand-made frames too, injected toward the side the user picks.
    const bool inject = m_current && m_current->canIntercept() && m_current->readyState() == ReadyState::Open;
    m_crafter->setInjectMode(m_current && m_current->canIntercept());
    const bool craft = (connected && m_current->canCraftFrames()) || inject;
    const QString why = craft ? QString()
        : m_current && m_current->kind() == ClientSession::Kind::Relay
        ? tr("Cannot send: a relayed connection belongs to the application and its server (a relay started with "
             "Allow intercept takes injected frames).")
        : connected ? tr("Cannot send: Qt's QWebSocket sends no hand-made frames; connect with the inspector engine.")
                    : tr("Cannot send: not connected.");
    m_crafter->setSendEnabled(craft, why);
    m_crafter->setCompressionAgreed(craft && m_current->compressionAgreed());
    m_fragments->setSendEnabled(craft && !inject, inject ? tr("Fragments go on your own connections.") : why);
}

void MainWindow::updateStatus()
{
    const QList<RelayServer *> relays = m_connections->relays();
    QStringList relayTexts;
    for (const RelayServer *relay : relays)
        relayTexts << tr("Relay %1 \u2192 %2 (%n connection(s))", nullptr, relay->runningCount())
                          .arg(relay->url().toString(), relay->options().to.toDisplayString());
    QStringList recent;
    for (const ProxyServer *proxy : m_connections->proxies()) {
        relayTexts << tr("Proxy %1: %n WebSocket connection(s)", nullptr, proxy->relayedCount()).arg(proxy->url().toString())
                + tr(", %n passed on", nullptr, proxy->passedOnCount())
                + (proxy->refusedCount() ? tr(", %n refused", nullptr, proxy->refusedCount()) : QString());
        recent += proxy->recentActivity();
    }
    m_relayStatus->setText(relayTexts.join(QStringLiteral("; ")));
    // What the proxy did besides WebSocket connections, newest last: the refusals above all (a
    // client that does not trust the certificate authority).
    m_relayStatus->setToolTip(recent.isEmpty() ? QString() : DisplayText::toolTip(recent.mid(recent.size() - 20).join(u'\n')));
    m_relayStatus->setVisible(!relayTexts.isEmpty());

    if (!m_server->isListening()) {
        m_serverStatus->setText(tr("Embedded server stopped"));
        return;
    }
    m_serverStatus->setText(tr("Embedded server: %1 (%2), %3 client(s)")
                                .arg(m_server->url().toString(),
                                     m_server->mode() == EmbeddedServer::Mode::Echo ? tr("echo") : tr("broadcast"))
                                .arg(m_server->clients().size()));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About WebSocket Inspector"),
                       tr("<h3>WebSocket Inspector %1</h3>"
                          "<p>Inspect WebSocket connections at the wire level, send test frames "
                          "(invalid ones included), and learn the opening handshake and framing "
                          "from live bytes.</p>"
                          "<p>Runs its own RFC 6455 engine; the embedded server uses Qt WebSockets. "
                          "Built with Qt %2.</p>")
                           .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::setMemoryBudget(quint64 bytes, CaptureMemory::OverBudget policy)
{
    CaptureMemory *memory = m_connections->captureMemory();
    memory->setOverBudget(policy);
    memory->setBudget(bytes);
    if (m_settings) {
        m_settings->setValue(QStringLiteral("capture/memoryBudgetMiB"), qulonglong(bytes >> 20));
        m_settings->setValue(QStringLiteral("capture/overBudget"),
            policy == CaptureMemory::OverBudget::DropOldest ? QStringLiteral("drop") : QStringLiteral("spill"));
    }
}

void MainWindow::restoreMemoryBudget()
{
    const QVariant budget = m_settings ? m_settings->value(QStringLiteral("capture/memoryBudgetMiB")) : QVariant();
    const QString policy = m_settings ? m_settings->value(QStringLiteral("capture/overBudget")).toString() : QString();
    CaptureMemory *memory = m_connections->captureMemory();
    memory->setOverBudget(
        policy == QLatin1String("drop") ? CaptureMemory::OverBudget::DropOldest : CaptureMemory::OverBudget::SpillToDisk);
    memory->setBudget(budget.isValid() ? budget.toULongLong() << 20 : CaptureMemory::DefaultBudgetBytes);
}

void MainWindow::restoreLayout()
{
    const auto remembered = [this](const QString &key) { return m_settings ? m_settings->value(key) : QVariant(); };
    // Qt refuses a geometry saved on a much wider or narrower screen: then the default for this one.
    if (restoreGeometry(remembered(QStringLiteral("window/geometry")).toByteArray())) {
        fitToScreen(); // a window remembered on a larger monitor must still fit this one
        resetSplitters();
    } else {
        applyDefaultLayout(QGuiApplication::screenAt(QCursor::pos()));
    }
    m_mainSplitter->restoreState(remembered(QStringLiteral("window/mainSplitter")).toByteArray());
    m_logSplitter->restoreState(remembered(QStringLiteral("window/logSplitter")).toByteArray());
    restoreDocks(
        remembered(QStringLiteral("window/state")).toByteArray(), remembered(QStringLiteral("window/screen")).toSize());
}

void MainWindow::restoreDocks(const QByteArray &state, const QSize &savedFor)
{
    // Docks arranged for a larger screen would be cramped on this one, even where they fit.
    const QSize room = screenOf(geometry())->availableGeometry().size();
    const bool asMuchRoom = !savedFor.isValid() || savedFor.boundedTo(room) == savedFor;
    if (asMuchRoom && restoreState(state) && docksFit())
        return;
    arrangeDocks(size());
    if (asMuchRoom && !state.isEmpty() && !docksFit())
        restoreState(state); // a screen too small for any arrangement: the user's own is as good
}

void MainWindow::resetLayout()
{
    if (!isMaximized() && !isFullScreen()) {
        applyDefaultLayout(screen());
        return;
    }
    // A maximised or full-screen window keeps its size: the window system chose it.
    resetSplitters();
    arrangeDocks(size());
}

QScreen *MainWindow::screenOf(const QRect &geometry) const
{
    QScreen *screen = QGuiApplication::screenAt(geometry.center());
    return screen ? screen : QGuiApplication::primaryScreen();
}

void MainWindow::applyDefaultLayout(QScreen *screen)
{
    if (!screen)
        screen = QGuiApplication::primaryScreen();
    const WindowLayoutPolicy policy(screen->availableGeometry());
    // Docks left where they were could hold the window wider than the screen: its minimum size
    // must drop before it is resized.
    for (QDockWidget *dock : m_rightDocks)
        removeDockWidget(dock);
    layout()->activate();
    setGeometry(policy.clientGeometry());
    resetSplitters();
    arrangeDocks(policy.clientGeometry().size());
}

void MainWindow::fitToScreen()
{
    if (isMaximized() || isFullScreen())
        return; // the window system fits those
    const QRect frame = geometry().marginsAdded(WindowLayoutPolicy::FrameAllowance);
    const QRect available = screenOf(geometry())->availableGeometry();
    setGeometry(WindowLayoutPolicy::fitted(frame, available).marginsRemoved(WindowLayoutPolicy::FrameAllowance));
}

void MainWindow::resetSplitters()
{
    // Relative sizes: QSplitter spreads them over whatever room it gets.
    m_mainSplitter->setSizes({ 190, 900 });
    m_logSplitter->setSizes({ 480, 380 });
}

QDockWidget *MainWindow::addRightDock(const QString &title, const char *objectName, QWidget *contents)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(QLatin1String(objectName)); // the key saveState() and restoreState() use
    dock->setWidget(contents);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    m_rightDocks << dock;
    return dock;
}

void MainWindow::arrangeDocks(const QSize &client)
{
    const QList<QDockWidget *> docks = m_rightDocks;
    for (QDockWidget *dock : docks)
        removeDockWidget(dock);
    QDockWidget *send = docks.first();
    const QList<QDockWidget *> others = docks.mid(1);

    const int dockArea = client.height() - menuBar()->sizeHint().height() - statusBar()->sizeHint().height();
    // A dock's title and a row of tabs, above each pane whichever way the docks are arranged.
    const int chrome
        = send->sizeHint().height() - m_sendTabs->sizeHint().height() + m_sendTabs->tabBar()->sizeHint().height();
    WindowLayoutPolicy::DockHeights heights;
    // Send's other tabs scroll: it asks for the room of the composer, the tab it opens on.
    heights.sendMinimum = chrome + m_composer->minimumSizeHint().height();
    heights.sendPreferred = chrome + m_composer->sizeHint().height();
    const QList<const QWidget *> tabbedPanes { m_closeControls, m_intercept, m_serverPanel, m_conformanceTabs, m_learn };
    for (const QWidget *pane : tabbedPanes)
        heights.tabsMinimum = qMax(heights.tabsMinimum, chrome + pane->minimumSizeHint().height());
    int dockMinimum = 0;
    for (QDockWidget *dock : docks)
        dockMinimum = qMax(dockMinimum, dock->minimumSizeHint().width());
    const int width
        = WindowLayoutPolicy::dockWidth(client.width(), dockMinimum, centralWidget()->minimumSizeHint().width());

    const bool stacked
        = WindowLayoutPolicy::arrangement(dockArea, heights) == WindowLayoutPolicy::Arrangement::SendAboveTabs;
    addDockWidget(Qt::RightDockWidgetArea, send);
    if (stacked)
        addDockWidget(Qt::RightDockWidgetArea, others.first(), Qt::Vertical);
    for (QDockWidget *dock : others.mid(stacked ? 1 : 0))
        tabifyDockWidget(stacked ? others.first() : send, dock);
    for (QDockWidget *dock : docks) {
        dock->setFloating(false);
        dock->show();
    }
    if (stacked) {
        others.first()->raise();
        const int above = WindowLayoutPolicy::sendHeight(dockArea, heights);
        resizeDocks({ send, others.first() }, { above, dockArea - above }, Qt::Vertical);
    } else {
        send->raise();
    }
    resizeDocks({ send }, { width }, Qt::Horizontal);
}

bool MainWindow::docksFit() const
{
    // QMainWindow's minimum includes every visible dock's: beyond the screen, a window manager
    // that keeps the window on it makes Qt paint docks over each other.
    const QSize room
        = screenOf(geometry())->availableGeometry().marginsRemoved(WindowLayoutPolicy::FrameAllowance).size();
    const QSize minimum = minimumSizeHint();
    return minimum.width() <= room.width() && minimum.height() <= room.height();
}

void MainWindow::saveLayout()
{
    if (!m_settings)
        return;
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_settings->setValue(QStringLiteral("window/screen"), screen()->availableGeometry().size());
    m_settings->setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    m_settings->setValue(QStringLiteral("window/logSplitter"), m_logSplitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}
