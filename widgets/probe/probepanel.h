#pragma once

#include <QUrl>
#include <QWidget>

class ProbeReportModel;
class ProbeRunner;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

// "Probe the server": runs every conformance preset against a URL, each on a fresh connection,
// and shows expected vs seen as it goes; the report can be saved (Markdown, CSV, JSON). The panel
// drives a ProbeRunner and shows a ProbeReportModel; it never touches a socket.
class ProbePanel : public QWidget {
    Q_OBJECT
public:
    ProbePanel(ProbeRunner *runner, ProbeReportModel *report, QWidget *parent = nullptr);

    // The server to probe (the window passes its URL field).
    void setUrl(const QUrl &url);
    QUrl url() const { return m_url; }
    QTableView *table() const { return m_table; }
    QString statusText() const;

public Q_SLOTS:
    bool start();
    void cancel();
    // Writes the report; the format follows the file name's extension (.md, .csv, .json).
    bool saveReport(const QString &path);

Q_SIGNALS:
    // The user wants to see a probe's wire log (double-click on a row).
    void probeLogRequested(int index);

private:
    void updateState();

    ProbeRunner *m_runner;
    ProbeReportModel *m_report;
    QUrl m_url;
    QLabel *m_target = nullptr;
    QSpinBox *m_timeout = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_table = nullptr;
};
