#pragma once

#include "log/capturememory.h"
#include "net/clientsession.h"

#include <QMainWindow>
#include <QPointer>

class ConnectionBar;
class ConnectionManager;
class CloseControls;
class InterceptPane;
class EmbeddedServer;
class FragmentBuilder;
class FrameCrafter;
class FrameDiagram;
class FrameHexView;
class HandshakeWalkthroughView;
class LearnPanel;
class ConformancePanel;
class ConformanceResultsModel;
class ConformanceRunner;
class ProbePanel;
class ProbeReportModel;
class ProbeRunner;
class TimelineView;
class HandshakePane;
class MessageLogView;
class PayloadView;
class QDockWidget;
class QHostAddress;
class ProxyDialog;
class ProxyServer;
class RelayDialog;
class ReplayDialog;
class RelayServer;
struct ProxyOptions;
struct RelayOptions;
class QLabel;
class QListView;
class QScreen;
class QSettings;
class QSplitter;
class QTabWidget;
class SendComposer;
class ServerPanel;

// The inspector window: composition of the panes, menus, shortcuts and remembered layout. It owns
// the embedded server and the connection manager; panes get models and emit requests, and this
// class routes those requests to the current session's connection.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the embedded server on 127.0.0.1, preferring `port`, falling back to any free port,
    // and points the URL field at it. Returns false (and shows why in the server panel) on failure.
    bool startEmbeddedServer(quint16 port);
    ClientSession *openConnection(const ConnectionOptions &options);
    // A connection to `url` with the connection bar's settings, More… included (a passphrase is
    // asked for when needed); nullptr, said in a message box, when those cannot be used.
    ClientSession *connectTo(const QUrl &url);
    // Starts a reverse relay (Connection → New relay); its connections appear in the list as they
    // come. nullptr and `error` when it cannot listen.
    RelayServer *startRelay(const RelayOptions &options, const QHostAddress &address, quint16 port, QString *error);
    // Connection → New relay: the dialog, created on first use (tests fill it in).
    RelayDialog *relayDialog();
    // Connection → Replay Session…: the dialog, created on first use (tests fill it in); its
    // replays run on connections opened with the connection bar's settings.
    ReplayDialog *replayDialog();
    // Starts the HTTP proxy (Connection → Start proxy); its WebSocket connections appear in the
    // list as a relay's do.
    ProxyServer *startProxy(const ProxyOptions &options, const QHostAddress &address, quint16 port, QString *error);
    // Connection → Start proxy: the dialog, created on first use (tests fill it in).
    ProxyDialog *proxyDialog();
    // The payload memory budget of every capture (Log → Memory Budget), kept in the settings.
    void setMemoryBudget(quint64 bytes, CaptureMemory::OverBudget policy);
    // File → Open Capture: a session file or a HAR file, read-only (CaptureFiles).
    bool openSessionFile(const QString &path);
    // File → Save Session As and Export As: the format by the extension (.jsonl, .har, .pcapng).
    bool saveSessionFile(const QString &path);

    EmbeddedServer *server() const { return m_server; }
    ConnectionManager *connections() const { return m_connections; }
    ClientSession *currentSession() const { return m_current; }
    // The current session's own connection; nullptr for none, a relayed connection or a file.
    void setCurrentSession(ClientSession *session);

    // The panes, for tests and for the teaching views that come later.
    ConnectionBar *connectionBar() const { return m_connectionBar; }
    MessageLogView *logView() const { return m_logView; }
    HandshakePane *handshakePane() const { return m_handshakePane; }
    FrameHexView *hexView() const { return m_hexView; }
    PayloadView *payloadView() const { return m_payloadView; }
    SendComposer *composer() const { return m_composer; }
    CloseControls *closeControls() const { return m_closeControls; }
    InterceptPane *interceptPane() const { return m_intercept; }
    ServerPanel *serverPanel() const { return m_serverPanel; }
    QTabWidget *detailTabs() const { return m_detailTabs; }
    FrameDiagram *frameDiagram() const { return m_diagram; }
    HandshakeWalkthroughView *walkthrough() const { return m_walkthrough; }
    TimelineView *timelineView() const { return m_timeline; }
    FrameCrafter *crafter() const { return m_crafter; }
    FragmentBuilder *fragmentBuilder() const { return m_fragments; }
    LearnPanel *learnPanel() const { return m_learn; }
    ProbePanel *probePanel() const { return m_probePanel; }
    ConformancePanel *conformancePanel() const { return m_conformancePanel; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    enum DetailTab { HandshakeTab, WalkthroughTab, FrameTab, DiagramTab, PayloadTab, TimelineTab };
    void buildPanes();
    void buildTeachingAndTesting();
    void sendFrames(const QList<FrameSpec> &frames);
    void showProbeLog(int index);
    void showConformanceLog(int caseIndex, const QString &title);
    void showTopic(const QString &topic);
    QWidget *framePage();
    void buildMenus();
    void restoreLayout();
    void restoreMemoryBudget();
    void saveLayout();
    // The default for the screen: window geometry, splitters and docks (View > Reset Layout).
    void resetLayout();
    void applyDefaultLayout(QScreen *screen);
    // The remembered docks if they were arranged for no more room than this screen has and fit it.
    void restoreDocks(const QByteArray &state, const QSize &savedFor);
    // Send, Close, Embedded server, Conformance, Learn: above each other or tabbed, by room.
    void arrangeDocks(const QSize &client);
    void resetSplitters();
    void fitToScreen();
    bool docksFit() const;
    QScreen *screenOf(const QRect &geometry) const;
    // The docks on the right, in the order arrangeDocks() places them: Send, Close, Embedded server,
    // Conformance, Learn.
    QDockWidget *addRightDock(const QString &title, const char *objectName, QWidget *contents);
    void showEventDetails(qsizetype captureIndex);
    void showDecoded(qsizetype index); // the Payload's protocol tab, for the event shown
    void refreshHandshake();
    void updateControls();
    void updateStatus();
    void clearDetails();
    void removeCurrentSession();
    void showAbout();

    QSettings *m_settings;
    ConnectionManager *m_connections;
    EmbeddedServer *m_server; // the connection manager's, on the networking thread
    QPointer<ClientSession> m_current;

    ConnectionBar *m_connectionBar = nullptr;
    QListView *m_connectionList = nullptr;
    MessageLogView *m_logView = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    HandshakePane *m_handshakePane = nullptr;
    FrameHexView *m_hexView = nullptr;
    PayloadView *m_payloadView = nullptr;
    SendComposer *m_composer = nullptr;
    CloseControls *m_closeControls = nullptr;
    InterceptPane *m_intercept = nullptr;
    ServerPanel *m_serverPanel = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_logSplitter = nullptr;
    QLabel *m_serverStatus = nullptr;
    QLabel *m_relayStatus = nullptr;
    RelayDialog *m_relayDialog = nullptr;
    ReplayDialog *m_replayDialog = nullptr;
    ProxyDialog *m_proxyDialog = nullptr;
    QLabel *m_memoryStatus = nullptr;
    qsizetype m_shownEvent = -1; // the event the detail panes show
    FrameDiagram *m_diagram = nullptr;
    HandshakeWalkthroughView *m_walkthrough = nullptr;
    TimelineView *m_timeline = nullptr;
    FrameCrafter *m_crafter = nullptr;
    FragmentBuilder *m_fragments = nullptr;
    LearnPanel *m_learn = nullptr;
    ProbeRunner *m_probeRunner = nullptr;
    ProbeReportModel *m_probeReport = nullptr;
    ProbePanel *m_probePanel = nullptr;
    ConformanceRunner *m_conformanceRunner = nullptr;
    ConformanceResultsModel *m_conformanceResults = nullptr;
    ConformancePanel *m_conformancePanel = nullptr;
    QTabWidget *m_conformanceTabs = nullptr;
    QTabWidget *m_sendTabs = nullptr;
    QList<QDockWidget *> m_rightDocks;
    QDockWidget *m_learnDock = nullptr;
    bool m_handshakeShown = false;
};
