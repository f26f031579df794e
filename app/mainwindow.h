#pragma once

#include "net/clientsession.h"

#include <QMainWindow>
#include <QPointer>

class ConnectionBar;
class ConnectionManager;
class CloseControls;
class EmbeddedServer;
class FrameHexView;
class HandshakePane;
class MessageLogView;
class PayloadView;
class QLabel;
class QListView;
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
    bool openSessionFile(const QString &path);
    bool saveSessionFile(const QString &path);

    EmbeddedServer *server() const { return m_server; }
    ConnectionManager *connections() const { return m_connections; }
    ClientSession *currentSession() const { return m_current; }
    void setCurrentSession(ClientSession *session);

    // The panes, for tests and for the teaching views that come later.
    ConnectionBar *connectionBar() const { return m_connectionBar; }
    MessageLogView *logView() const { return m_logView; }
    HandshakePane *handshakePane() const { return m_handshakePane; }
    FrameHexView *hexView() const { return m_hexView; }
    PayloadView *payloadView() const { return m_payloadView; }
    SendComposer *composer() const { return m_composer; }
    CloseControls *closeControls() const { return m_closeControls; }
    ServerPanel *serverPanel() const { return m_serverPanel; }
    QTabWidget *detailTabs() const { return m_detailTabs; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    enum DetailTab { HandshakeTab, FrameTab, PayloadTab };
    void buildPanes();
    QWidget *framePage();
    void buildMenus();
    void restoreLayout();
    void saveLayout();
    void showEventDetails(qsizetype captureIndex);
    void refreshHandshake();
    void updateControls();
    void updateStatus();
    void clearDetails();
    void removeCurrentSession();
    void showAbout();

    QSettings *m_settings;
    EmbeddedServer *m_server;
    ConnectionManager *m_connections;
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
    ServerPanel *m_serverPanel = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_logSplitter = nullptr;
    QLabel *m_serverStatus = nullptr;
    bool m_handshakeShown = false;
};
