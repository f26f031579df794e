#pragma once

#include "log/capture.h"
#include "script/replayrunner.h"

#include <QDialog>
#include <QUrl>

#include <memory>

class ClientSession;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

// Connection → Replay Session…: a recorded conversation (a session file or a HAR export, one of
// its connections) sent to a server again, and the server's answers against the recording's, a
// row each: the same, different, missing, extra. The dialog opens no connection itself: it asks
// for one (replayRequested) and follows the session it is given (follow()), which shows in the
// window's log as any other.
class ReplayDialog : public QDialog {
    Q_OBJECT
public:
    explicit ReplayDialog(QWidget *parent = nullptr);

    // Reads the recording and lists its connections; false with the reason shown when it cannot.
    bool setRecording(const QString &path);
    void setTarget(const QUrl &url);
    // The conversation chosen; nullopt (and why) when none can be replayed.
    std::optional<ReplayScript> script(QString *error) const;
    QUrl target() const;
    // Replays the chosen conversation over `session` (just opened for it) and shows the result.
    void follow(ClientSession *session);
    const ReplayRunner *runner() const { return m_runner.get(); }
    QString statusText() const;

Q_SIGNALS:
    // Replay was pressed with usable fields: open a connection to `url` offering `subprotocols`.
    void replayRequested(const QUrl &url, const QStringList &subprotocols);
    void replayFinished();

private:
    void requestReplay();
    void showResult();
    void setStatus(const QString &text);

    Capture m_recording;
    QString m_recordingPath;
    QLineEdit *m_path;
    QComboBox *m_connection;
    QLineEdit *m_target;
    QComboBox *m_timing;
    QLineEdit *m_ignore;
    QSpinBox *m_quiet;
    QPushButton *m_replay;
    QLabel *m_status;
    QTableWidget *m_rows;
    std::unique_ptr<ReplayTarget> m_replayTarget;
    std::unique_ptr<ReplayRunner> m_runner;
};
