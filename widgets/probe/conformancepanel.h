#pragma once

#include "probe/conformancecase.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>
#include <QUrl>
#include <QWidget>

class ConformanceResultsModel;
class ConformanceRunner;
class ConformanceServer;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTreeView;
class Capture;

// The full conformance catalogue, from the window: test the server at the connection bar's URL
// (a ConformanceRunner, several cases at once), or test clients, as Autobahn's fuzzing server does
// (a ConformanceServer on a port; the client's driver asks for the cases). The results fill a tree
// by section as they come; a case opens to its wire log; the report saves as HTML, JSON or Markdown.
// The panel drives the runner and the server and shows the model; it never touches a socket.
class ConformancePanel : public QWidget {
    Q_OBJECT
public:
    ConformancePanel(ConformanceRunner *runner, ConformanceResultsModel *results, QWidget *parent = nullptr);
    ~ConformancePanel() override;

    void setUrl(const QUrl &url); // the server to test (the window passes its URL field)
    QTreeView *tree() const { return m_tree; }
    QString statusText() const;
    // Testing clients: the server listening for them (nullptr when stopped), the agent shown.
    ConformanceServer *clientServer() const;
    QString shownAgent() const { return m_agent; }
    // A case's wire log, from the run or the agent shown; nullptr when none was kept (timed cases).
    Capture *capture(int caseIndex) const;

public Q_SLOTS:
    bool start();
    void cancel();
    // The format follows the file name's extension (.html, .json, .md).
    bool saveReport(const QString &path);

Q_SIGNALS:
    // The user asked for a case's wire log (double-click or Enter).
    void caseLogRequested(int caseIndex, const QString &title);

private:
    bool testingClients() const;
    // The cases the pattern field and the timed box choose; empty, and m_error saying why, when none.
    QList<Conformance::Case> chosenCases();
    bool startServerTesting();
    bool startClientTesting();
    void showAgent(const QString &agent);
    void stopClientTesting();
    void noteRunEnded();
    void openCase(const QModelIndex &index);
    void updateState();

    ConformanceRunner *m_runner;
    ConformanceResultsModel *m_results;
    QPointer<ConformanceServer> m_server;
    QUrl m_url;
    QString m_agent;
    bool m_agentChosenByUser = false; // a new client no longer takes the view over
    QDateTime m_started; // of the run shown, for the report
    qint64 m_durationMs = 0;
    QElapsedTimer m_clock;
    QRadioButton *m_testServer = nullptr;
    QRadioButton *m_testClients = nullptr;
    QLabel *m_target = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_cases = nullptr;
    QCheckBox *m_timed = nullptr;
    QSpinBox *m_jobs = nullptr;
    QComboBox *m_agents = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_status = nullptr;
    QTreeView *m_tree = nullptr;
    QString m_error; // why the last start failed
};
