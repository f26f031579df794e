#pragma once

#include "decode/decoded.h"
#include "send/composerinput.h"
#include "send/snippetstore.h"

#include <QByteArray>
#include <QString>
#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSettings;
class QSpinBox;
class QStackedWidget;
class QToolButton;

// The send composer: text, JSON, binary (hex, base64, file) data messages, ping and pong. It only
// emits requests; the main window hands them to the connection. Nothing typed is ever thrown away:
// switching modes keeps the editor's text, and loading a snippet or history entry can be undone.
class SendComposer : public QWidget {
    Q_OBJECT
public:
    static constexpr int MaxControlPayload = 125; // RFC 6455 §5.5

    // `settings` (not owned) keeps snippets and history; null: the application's QSettings.
    explicit SendComposer(QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~SendComposer() override;

    ComposerMode mode() const;
    void setMode(ComposerMode mode);
    QString input() const; // the editor (text, JSON, hex, base64)
    void setInput(const QString &text); // undoable
    QString filePath() const;
    void setFilePath(const QString &path); // for tests and drag and drop; Browse… uses a QFileDialog
    // Files larger than this are refused before they are read (the receiver's message size limit).
    qint64 maxFileBytes() const { return m_maxFileBytes; }
    void setMaxFileBytes(qint64 bytes);
    qsizetype fragmentSize() const;
    void setFragmentSize(qsizetype bytes);
    // permessage-deflate was agreed on the current connection: the "send uncompressed" choice applies.
    void setCompressionAgreed(bool agreed);
    bool sendsUncompressed() const;

    // What Send would emit now; error() says why it cannot.
    ComposerInput::Parsed message() const;
    ComposerInput::Parsed controlPayload() const;

    // Sending needs an OPEN connection. `reason` tells the user why it is disabled.
    void setSendEnabled(bool enabled, const QString &reason = QString());
    bool isSendEnabled() const { return m_sendEnabled; }

    QList<ComposerEntry> history() const;
    void loadEntry(const ComposerEntry &entry); // undoable
    QList<Snippet> snippets() const;
    QString saveSnippet(const QString &name); // the current input; empty on success, else why not
    bool loadSnippet(const QString &name);
    bool deleteSnippet(const QString &name);

    // The protocol the current connection was found to speak: its templates come first in the
    // Templates menu. None: the menu lists every protocol alike.
    void setProtocolHint(Decode::Protocol protocol);
    Decode::Protocol protocolHint() const { return m_protocolHint; }

public Q_SLOTS:
    void send(); // Ctrl+Enter; does nothing visible but explain when it cannot send
    void sendPing();
    void sendPong();
    void prettyPrint();
    void compact();

Q_SIGNALS:
    // `uncompressed`: the user asked for this message to go out without permessage-deflate.
    void sendTextRequested(const QByteArray &utf8, qsizetype fragmentSize, bool uncompressed);
    void sendBinaryRequested(const QByteArray &data, qsizetype fragmentSize, bool uncompressed);
    void pingRequested(const QByteArray &payload);
    void pongRequested(const QByteArray &payload);
    // Socket.IO event mode: the event's array, ["name", args...], compacted.
    void socketIoEmitRequested(const QByteArray &array, bool ack);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildMessageBox();
    QWidget *buildControlBox();
    void onModeChanged();
    void rebuildTemplatesMenu();
    void updateMessageState();
    void updateControlState();
    void updateFileInfo();
    void refreshHistory();
    void refreshSnippets(const QString &select = QString());
    void askSnippetName();
    void confirmDeleteSnippet();
    void browseFile();
    void replaceEditorText(const QString &text);
    void markError(qsizetype pos);
    void applyColors();
    ComposerEntry currentEntry() const;
    bool emitControl(bool ping);

    std::unique_ptr<QSettings> m_ownSettings;
    std::unique_ptr<SnippetStore> m_store;

    QComboBox *m_mode = nullptr;
    QToolButton *m_templates = nullptr;
    QMenu *m_templatesMenu = nullptr;
    Decode::Protocol m_protocolHint = Decode::Protocol::None;
    QComboBox *m_snippets = nullptr;
    QPushButton *m_saveSnippet = nullptr;
    QPushButton *m_deleteSnippet = nullptr;
    QComboBox *m_history = nullptr;
    QStackedWidget *m_pages = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QWidget *m_jsonButtons = nullptr;
    QPushButton *m_pretty = nullptr;
    QPushButton *m_compact = nullptr;
    QLineEdit *m_file = nullptr;
    QLabel *m_fileInfo = nullptr;
    QLabel *m_inputError = nullptr;
    QLabel *m_byteCounter = nullptr;
    QSpinBox *m_fragment = nullptr;
    QCheckBox *m_uncompressed = nullptr;
    QCheckBox *m_socketIoAck = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_disabledReason = nullptr;

    QLineEdit *m_controlPayload = nullptr;
    QCheckBox *m_controlHex = nullptr;
    QLabel *m_controlCounter = nullptr;
    QLabel *m_controlError = nullptr;
    QCheckBox *m_allowOversized = nullptr;
    QPushButton *m_ping = nullptr;
    QPushButton *m_pong = nullptr;

    qint64 m_maxFileBytes = ComposerInput::DefaultMaxFileBytes;
    bool m_sendEnabled = true;
    bool m_messageOk = false;
    bool m_controlOversized = false;
    bool m_controlOk = false;
};
