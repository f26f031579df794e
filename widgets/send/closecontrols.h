#pragma once

#include <QByteArray>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

// Starts the closing handshake with any code and reason. Codes that may not be sent and reasons
// over 123 bytes are marked invalid; sending them anyway takes an explicit tick, because testing
// how a server reacts to them is part of the job.
class CloseControls : public QWidget {
    Q_OBJECT
public:
    static constexpr int MaxReasonBytes = 123; // 125-byte control payload minus the 2-byte code

    explicit CloseControls(QWidget *parent = nullptr);

    // The code to send; 0 when "No status code" is picked (an empty close payload).
    quint16 code() const;
    // Picks the registered entry for 1000-1015, otherwise Custom with that number; 0 picks "No status code".
    void setCode(quint16 code);
    QString reason() const;
    void setReason(const QString &reason);
    QByteArray reasonUtf8() const;

    // Each RFC 6455 rule the close frame would break, for the user; empty when it is valid.
    QStringList problems() const;

    // Closing needs a connection; `why` tells the user why it is disabled.
    void setCloseEnabled(bool enabled, const QString &why = QString());
    bool isCloseEnabled() const { return m_closeEnabled; }

public Q_SLOTS:
    // Emits closeRequested() when allowed: enabled, and valid or "send invalid" ticked.
    void requestClose();

Q_SIGNALS:
    void closeRequested(quint16 code, const QByteArray &reasonUtf8);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum Special { Custom = -1, NoStatusCode = -2 };

    void updateState();
    void applyColors();
    bool noStatusCode() const;

    QComboBox *m_codes = nullptr;
    QSpinBox *m_custom = nullptr;
    QLabel *m_codeInfo = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_reasonCounter = nullptr;
    QLabel *m_problems = nullptr;
    QCheckBox *m_allowInvalid = nullptr;
    QLabel *m_disabledReason = nullptr;
    QPushButton *m_close = nullptr;

    bool m_closeEnabled = false;
    bool m_codeInvalid = false;
    bool m_reasonTooLong = false;
};
