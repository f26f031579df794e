#pragma once

#include "log/wireevent.h"

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class ClientSession;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

// Intercept on a relayed connection: hold what goes toward the server or the application, see each
// held message in arrival order with how long it has waited, edit it as text, JSON or hex, then forward,
// drop, or forward all; inject a message of one's own toward either side. It drives the session
// (which carries the commands to the relay's thread) and shows the session's held-messages model;
// the log shows every decision as an intercept row.
class InterceptPane : public QWidget {
    Q_OBJECT
public:
    explicit InterceptPane(QWidget *parent = nullptr);

    // Any session; intercept is offered on relayed ones whose relay allows it.
    void setSession(ClientSession *session);

    // For tests and the screenshots: the editor's content, the way it is edited, the held list.
    QPlainTextEdit *editor() const { return m_editor; }
    QTableView *heldView() const { return m_list; }

public Q_SLOTS:
    void forwardSelected();
    void dropSelected();
    void forwardAll();
    void injectMessage();

private:
    struct Switches {
        bool toServer = false;
        bool toApp = false;
        bool control = false;
        bool perFrame = false;
    };
    void applySwitches();
    void updateState();
    void showSelected();
    int selectedRow() const;
    // The editor's bytes; false (and the reason shown) when they cannot be read.
    bool editedPayload(QByteArray &out);

    QPointer<ClientSession> m_session;
    QHash<quint32, Switches> m_switches; // per session id: what the user set on its relay
    QLabel *m_status;
    QCheckBox *m_toServer;
    QCheckBox *m_toApp;
    QCheckBox *m_control;
    QCheckBox *m_perFrame;
    QTableView *m_list;
    QComboBox *m_editAs;
    QPlainTextEdit *m_editor;
    QPushButton *m_forward;
    QPushButton *m_drop;
    QPushButton *m_forwardAll;
    QComboBox *m_injectToward;
    QComboBox *m_injectType;
    QLineEdit *m_injectText;
    QPushButton *m_inject;
    QByteArray m_shownPayload; // of the selected message, as held
    // The hold shown in the editor (leg, number): the editor is refilled only when it changes, so
    // that an edit in progress survives other messages coming and going.
    std::pair<Leg, quint32> m_shownHold { Leg::None, 0 };
    bool m_edited = false; // the user changed the editor since it was filled
    QTimer m_tick;
};
