#pragma once

#include "send/framecrafter.h"

#include "send/fragmentplan.h"

#include <QWidget>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTreeWidget;

// Builds a fragmented message (FragmentPlan): a text or binary message split into N fragments or
// fragments of K bytes, optionally with a ping between fragments, listed frame by frame. The frames
// are sent one at a time by hand (Send next) or all at once; each is emitted on its own, so the
// log shows how the server reacts between them. While part of a plan is sent its inputs are locked:
// the frames already on the wire must stay the ones listed.
class FragmentBuilder : public QWidget {
    Q_OBJECT
public:
    using PayloadMode = FrameCrafter::PayloadMode;

    explicit FragmentBuilder(QWidget *parent = nullptr);
    ~FragmentBuilder() override;

    quint8 messageOpcode() const; // Opcode::Text or Opcode::Binary
    void setMessageOpcode(quint8 opcode);
    PayloadMode inputMode() const;
    void setInputMode(PayloadMode mode);
    QString input() const;
    void setInput(const QString &text);
    void setSplitByCount(int fragments);
    void setSplitBySize(int bytes);
    void setPingBetween(bool on, const QString &payloadText = QString());

    // The plan for the current inputs; its error says why there is none (input or split problem).
    const FragmentPlan::Plan &plan() const { return m_plan; }
    int sentCount() const { return m_sent; }

    void setSendEnabled(bool enabled, const QString &reason = QString());
    bool isSendEnabled() const { return m_sendEnabled; }

public Q_SLOTS:
    void sendNext();
    void sendAll(); // every frame not sent yet, in order
    void reset(); // back to frame 1; the inputs unlock

Q_SIGNALS:
    void sendFrameRequested(const FrameSpec &spec);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildMessageBox();
    QWidget *buildSplitBox();
    QWidget *buildPlanBox();
    void rebuildPlan();
    void fillList();
    void updateProgress();
    void applyColors();

    QComboBox *m_opcode = nullptr;
    QComboBox *m_inputMode = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QLabel *m_size = nullptr;
    QRadioButton *m_byCount = nullptr;
    QRadioButton *m_bySize = nullptr;
    QSpinBox *m_count = nullptr;
    QSpinBox *m_fragmentSize = nullptr;
    QCheckBox *m_ping = nullptr;
    QLineEdit *m_pingPayload = nullptr;
    QWidget *m_inputs = nullptr; // everything that defines the plan, locked while it is being sent
    QTreeWidget *m_list = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_notes = nullptr;
    QLabel *m_lint = nullptr;
    QLabel *m_progress = nullptr;
    QLabel *m_disabledReason = nullptr;
    QPushButton *m_sendNext = nullptr;
    QPushButton *m_sendAll = nullptr;
    QPushButton *m_reset = nullptr;

    FragmentPlan::Plan m_plan;
    bool m_lintFatal = false;
    int m_sent = 0;
    bool m_sendEnabled = true;
};
