#include "send/sendcomposer.h"

#include "send/protocoltemplates.h"
#include "text/jsontext.h"

#include "common/palettecolors.h"
#include "text/sizeformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

// ---------------------------------------------------------------------------------------------
// SendComposer

namespace {

using PaletteColors::errorColor;
using PaletteColors::isDark;
using PaletteColors::messageLabel;
using PaletteColors::setTextColor;

QString modeLabel(ComposerMode mode)
{
    switch (mode) {
    case ComposerMode::Text:
        return SendComposer::tr("Text");
    case ComposerMode::Json:
        return SendComposer::tr("JSON");
    case ComposerMode::Hex:
        return SendComposer::tr("Binary (hex)");
    case ComposerMode::Base64:
        return SendComposer::tr("Binary (base64)");
    case ComposerMode::File:
        return SendComposer::tr("Binary (file)");
    case ComposerMode::SocketIoEvent:
        return SendComposer::tr("Socket.IO event");
    case ComposerMode::StompFrame:
        return SendComposer::tr("STOMP frame");
    case ComposerMode::MqttPacket:
        return SendComposer::tr("MQTT packet");
    }
    return {};
}

QString placeholderFor(ComposerMode mode)
{
    switch (mode) {
    case ComposerMode::Text:
        return SendComposer::tr("Message text (UTF-8). Ctrl+Enter sends.");
    case ComposerMode::Json:
        return SendComposer::tr("{\"type\": \"hello\"}");
    case ComposerMode::Hex:
        return SendComposer::tr("Hex bytes, e.g. 01 02 ff or 0x48 0x69");
    case ComposerMode::Base64:
        return SendComposer::tr("Base64, e.g. AQL/");
    case ComposerMode::SocketIoEvent:
        return SendComposer::tr("[\"chat message\", \"hi\"]: the event's name, then its arguments. Sent on the "
                                "connection's namespace in Socket.IO mode, else as 42[...].");
    case ComposerMode::StompFrame:
        return SendComposer::tr("SEND\ndestination:/topic/chat\n\nhello\n(the NUL that ends the frame is added)");
    case ComposerMode::MqttPacket:
        return SendComposer::tr("PUBLISH\ntopic: test/hello\nqos: 0\n\nthe payload, after a blank line\n(fields are "
                                "encoded into the packet's bytes; Templates has every packet)");
    case ComposerMode::File:
        break;
    }
    return {};
}

// One line for a list: the mode, then the content with line breaks shown as ⏎, cut at `max`.
QString preview(const ComposerEntry &entry, int max = 60)
{
    QString content = entry.content;
    content.replace(QStringLiteral("\r\n"), QStringLiteral("\u23ce"));
    content.replace(QLatin1Char('\n'), QStringLiteral("\u23ce"));
    content.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (content.size() > max)
        content = content.left(max) + QStringLiteral("\u2026");
    if (content.isEmpty())
        content = SendComposer::tr("(empty)");
    return QStringLiteral("%1: %2").arg(modeLabel(entry.mode), content);
}

} // namespace

SendComposer::SendComposer(QSettings *settings, QWidget *parent)
    : QWidget(parent)
{
    if (!settings) {
        m_ownSettings = std::make_unique<QSettings>();
        settings = m_ownSettings.get();
    }
    m_store = std::make_unique<SnippetStore>(settings);

    auto *layout = new QVBoxLayout(this);
    m_disabledReason = messageLabel(QStringLiteral("disabledReason"));
    layout->addWidget(m_disabledReason);
    layout->addWidget(buildMessageBox(), 1);
    layout->addWidget(buildControlBox());

    // Ctrl+Enter from anywhere in the composer, including the editor (which does not use it).
    for (const QKeySequence &keys :
        { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) }) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &SendComposer::send);
    }

    refreshHistory();
    refreshSnippets();
    onModeChanged();
    setSendEnabled(false);
    updateControlState();
    applyColors();
}

SendComposer::~SendComposer() = default;

QWidget *SendComposer::buildMessageBox()
{
    auto *box = new QGroupBox(tr("Data message"));
    auto *layout = new QVBoxLayout(box);

    // Mode, history and snippets: where the input comes from.
    auto *top = new QGridLayout;
    auto *modeLabelWidget = new QLabel(tr("&Mode:"));
    m_mode = new QComboBox;
    m_mode->setObjectName(QStringLiteral("mode"));
    for (ComposerMode mode : { ComposerMode::Text, ComposerMode::Json, ComposerMode::Hex, ComposerMode::Base64,
                               ComposerMode::File, ComposerMode::SocketIoEvent, ComposerMode::StompFrame,
                               ComposerMode::MqttPacket })
        m_mode->addItem(modeLabel(mode), int(mode));
    m_mode->setToolTip(tr("How the input is read. Text and JSON are sent as text messages (opcode 1), the "
                          "binary modes as binary messages (opcode 2). Switching keeps what you typed."));
    modeLabelWidget->setBuddy(m_mode);
    m_templates = new QToolButton;
    m_templates->setObjectName(QStringLiteral("templates"));
    m_templates->setText(tr("Te&mplates"));
    m_templates->setPopupMode(QToolButton::InstantPopup);
    m_templates->setToolTip(tr("Start from a message of a protocol on top of WebSocket (Socket.IO, STOMP, MQTT, "
                               "JSON-RPC, GraphQL, WAMP): it sets the mode and replaces the input (Ctrl+Z undoes)"));
    m_templatesMenu = new QMenu(m_templates);
    m_templates->setMenu(m_templatesMenu);
    rebuildTemplatesMenu();
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_mode, 1);
    modeRow->addWidget(m_templates);
    auto *historyLabel = new QLabel(tr("His&tory:"));
    m_history = new QComboBox;
    m_history->setObjectName(QStringLiteral("history"));
    m_history->setMinimumContentsLength(12);
    m_history->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_history->setToolTip(tr("Messages sent before; pick one to put it back in the editor (Ctrl+Z undoes)."));
    historyLabel->setBuddy(m_history);
    auto *historyRow = new QHBoxLayout;
    historyRow->addStretch(1);
    historyRow->addWidget(historyLabel);
    historyRow->addWidget(m_history, 2);

    auto *snippetLabel = new QLabel(tr("S&nippet:"));
    m_snippets = new QComboBox;
    m_snippets->setObjectName(QStringLiteral("snippets"));
    m_snippets->setMinimumContentsLength(12);
    m_snippets->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_snippets->setToolTip(tr("Saved, named messages; pick one to load it (Ctrl+Z undoes)"));
    snippetLabel->setBuddy(m_snippets);
    m_saveSnippet = new QPushButton(tr("Sa&ve\u2026"));
    m_saveSnippet->setObjectName(QStringLiteral("saveSnippet"));
    m_saveSnippet->setToolTip(tr("Save the current input as a named snippet"));
    m_deleteSnippet = new QPushButton(tr("&Delete"));
    m_deleteSnippet->setObjectName(QStringLiteral("deleteSnippet"));
    m_deleteSnippet->setToolTip(tr("Delete the selected snippet"));
    auto *snippetRow = new QHBoxLayout;
    snippetRow->addWidget(m_saveSnippet);
    snippetRow->addWidget(m_deleteSnippet);
    snippetRow->addStretch(1);

    top->addWidget(modeLabelWidget, 0, 0);
    top->addLayout(modeRow, 0, 1);
    top->addLayout(historyRow, 0, 2);
    top->addWidget(snippetLabel, 1, 0);
    top->addWidget(m_snippets, 1, 1);
    top->addLayout(snippetRow, 1, 2);
    top->setColumnStretch(2, 1);
    layout->addLayout(top);

    // The input: one editor shared by the typed modes, a file chooser for files.
    m_pages = new QStackedWidget;
    m_editor = new QPlainTextEdit;
    m_editor->setObjectName(QStringLiteral("editor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setTabChangesFocus(true);
    m_editor->setMinimumHeight(90);
    m_pages->addWidget(m_editor);

    auto *filePage = new QWidget;
    auto *fileLayout = new QGridLayout(filePage);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    auto *fileLabel = new QLabel(tr("&File:"));
    m_file = new QLineEdit;
    m_file->setObjectName(QStringLiteral("filePath"));
    m_file->setPlaceholderText(tr("Path of the file to send as one binary message"));
    m_file->setClearButtonEnabled(true);
    fileLabel->setBuddy(m_file);
    auto *browse = new QPushButton(tr("&Browse\u2026"));
    browse->setToolTip(tr("Choose the file to send"));
    m_fileInfo = messageLabel(QStringLiteral("fileInfo"));
    fileLayout->addWidget(fileLabel, 0, 0);
    fileLayout->addWidget(m_file, 0, 1);
    fileLayout->addWidget(browse, 0, 2);
    fileLayout->addWidget(m_fileInfo, 1, 1, 1, 2);
    fileLayout->setRowStretch(2, 1);
    m_pages->addWidget(filePage);
    layout->addWidget(m_pages, 1);

    m_inputError = messageLabel(QStringLiteral("inputError"));
    layout->addWidget(m_inputError);

    // JSON tools and the byte counter.
    auto *tools = new QHBoxLayout;
    m_jsonButtons = new QWidget;
    auto *jsonLayout = new QHBoxLayout(m_jsonButtons);
    jsonLayout->setContentsMargins(0, 0, 0, 0);
    m_pretty = new QPushButton(tr("&Pretty"));
    m_pretty->setObjectName(QStringLiteral("pretty"));
    m_pretty->setToolTip(tr("Indent the JSON; member order, numbers and escapes stay as typed"));
    m_compact = new QPushButton(tr("&Compact"));
    m_compact->setObjectName(QStringLiteral("compact"));
    m_compact->setToolTip(tr("Remove all whitespace between JSON tokens"));
    jsonLayout->addWidget(m_pretty);
    jsonLayout->addWidget(m_compact);
    tools->addWidget(m_jsonButtons);
    tools->addStretch(1);
    m_byteCounter = messageLabel(QStringLiteral("byteCounter"));
    m_byteCounter->setWordWrap(false);
    m_byteCounter->setToolTip(tr("Payload bytes of the message that Send will emit"));
    tools->addWidget(m_byteCounter);
    layout->addLayout(tools);

    // Fragmentation and Send.
    auto *bottom = new QHBoxLayout;
    auto *fragmentLabel = new QLabel(tr("F&ragment size:"));
    m_fragment = new QSpinBox;
    m_fragment->setObjectName(QStringLiteral("fragmentSize"));
    m_fragment->setRange(0, std::numeric_limits<int>::max());
    m_fragment->setSpecialValueText(tr("off (one frame)"));
    m_fragment->setSuffix(tr(" bytes"));
    m_fragment->setAccelerated(true);
    m_fragment->setToolTip(tr("Split the message into frames of at most this many payload bytes (the first "
                              "carries the opcode, the rest are continuation frames). 0 sends one frame."));
    fragmentLabel->setBuddy(m_fragment);
    m_send = new QPushButton(tr("&Send"));
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setDefault(false);
    m_send->setToolTip(tr("Send the message (Ctrl+Enter)"));
    m_uncompressed = new QCheckBox(tr("Uncompressed"));
    m_uncompressed->setObjectName(QStringLiteral("uncompressed"));
    m_socketIoAck = new QCheckBox(tr("As&k for ack"));
    m_socketIoAck->setObjectName(QStringLiteral("socketIoAck"));
    m_socketIoAck->setChecked(true);
    m_socketIoAck->setToolTip(tr("Give the event an ack id: the server's callback answers it, and the log pairs the "
                                 "two (Socket.IO mode only)"));
    m_socketIoAck->hide();
    setCompressionAgreed(false);
    bottom->addWidget(fragmentLabel);
    bottom->addWidget(m_fragment);
    bottom->addSpacing(8);
    bottom->addWidget(m_uncompressed);
    bottom->addWidget(m_socketIoAck);
    bottom->addStretch(1);
    bottom->addWidget(m_send);
    layout->addLayout(bottom);

    connect(m_mode, &QComboBox::currentIndexChanged, this, &SendComposer::onModeChanged);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &SendComposer::updateMessageState);
    connect(m_file, &QLineEdit::textChanged, this, [this] {
        updateFileInfo();
        updateMessageState();
    });
    connect(browse, &QPushButton::clicked, this, &SendComposer::browseFile);
    connect(m_fragment, &QSpinBox::valueChanged, this, &SendComposer::updateMessageState);
    connect(m_send, &QPushButton::clicked, this, &SendComposer::send);
    connect(m_pretty, &QPushButton::clicked, this, &SendComposer::prettyPrint);
    connect(m_compact, &QPushButton::clicked, this, &SendComposer::compact);
    connect(m_history, &QComboBox::activated, this, [this](int index) {
        const QList<ComposerEntry> entries = history();
        if (index >= 0 && index < entries.size())
            loadEntry(entries[index]);
        m_history->setCurrentIndex(-1);
    });
    connect(m_snippets, &QComboBox::activated, this, [this](int index) {
        if (index >= 0)
            loadSnippet(m_snippets->itemData(index).toString());
    });
    connect(m_snippets, &QComboBox::currentIndexChanged, this,
        [this](int index) { m_deleteSnippet->setEnabled(index >= 0); });
    connect(m_saveSnippet, &QPushButton::clicked, this, &SendComposer::askSnippetName);
    connect(m_deleteSnippet, &QPushButton::clicked, this, &SendComposer::confirmDeleteSnippet);
    return box;
}

QWidget *SendComposer::buildControlBox()
{
    auto *box = new QGroupBox(tr("Ping / Pong"));
    box->setToolTip(tr("Control frames: a peer answers a ping with a pong carrying the same payload. An "
                       "unsolicited pong is allowed and needs no answer."));
    auto *grid = new QGridLayout(box);

    auto *payloadLabel = new QLabel(tr("Pa&yload:"));
    m_controlPayload = new QLineEdit;
    m_controlPayload->setObjectName(QStringLiteral("controlPayload"));
    m_controlPayload->setPlaceholderText(tr("optional"));
    m_controlPayload->setToolTip(tr("Payload of the ping or pong: UTF-8 text, or hex bytes with Hex ticked"));
    payloadLabel->setBuddy(m_controlPayload);
    m_controlHex = new QCheckBox(tr("He&x"));
    m_controlHex->setObjectName(QStringLiteral("controlHex"));
    m_controlHex->setToolTip(tr("Read the payload as hex bytes (01 02 ff)"));
    grid->addWidget(payloadLabel, 0, 0);
    grid->addWidget(m_controlPayload, 0, 1);
    grid->addWidget(m_controlHex, 0, 2);

    m_controlCounter = messageLabel(QStringLiteral("controlCounter"));
    m_controlCounter->setWordWrap(false);
    m_controlCounter->setMinimumWidth(m_controlCounter->fontMetrics().horizontalAdvance(tr("88888 / 125 bytes")));
    m_controlCounter->setToolTip(tr("Control frame payloads are limited to 125 bytes (RFC 6455 §5.5)"));
    m_ping = new QPushButton(tr("P&ing"));
    m_ping->setObjectName(QStringLiteral("ping"));
    m_ping->setToolTip(tr("Send a ping frame (opcode 9)"));
    m_pong = new QPushButton(tr("P&ong"));
    m_pong->setObjectName(QStringLiteral("pong"));
    m_pong->setToolTip(tr("Send an unsolicited pong frame (opcode 10)"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_controlCounter);
    buttons->addStretch(1);
    buttons->addWidget(m_ping);
    buttons->addWidget(m_pong);
    grid->addLayout(buttons, 1, 1, 1, 2);

    m_controlError = messageLabel(QStringLiteral("controlError"));
    grid->addWidget(m_controlError, 2, 1, 1, 2);

    m_allowOversized = new QCheckBox(tr("\u26a0 Send invalid control frame (over 125 bytes)"));
    m_allowOversized->setObjectName(QStringLiteral("allowOversized"));
    m_allowOversized->setToolTip(tr("For testing servers: RFC 6455 forbids control frames over 125 bytes, and a "
                                    "strict server closes the connection with 1002 Protocol Error."));
    grid->addWidget(m_allowOversized, 3, 1, 1, 2);
    grid->setColumnStretch(1, 1);

    connect(m_controlPayload, &QLineEdit::textChanged, this, &SendComposer::updateControlState);
    connect(m_controlHex, &QCheckBox::toggled, this, &SendComposer::updateControlState);
    connect(m_allowOversized, &QCheckBox::toggled, this, &SendComposer::updateControlState);
    connect(m_ping, &QPushButton::clicked, this, &SendComposer::sendPing);
    connect(m_pong, &QPushButton::clicked, this, &SendComposer::sendPong);
    return box;
}

ComposerMode SendComposer::mode() const
{
    return ComposerMode(m_mode->currentData().toInt());
}

void SendComposer::setMode(ComposerMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

QString SendComposer::input() const
{
    return m_editor->toPlainText();
}

void SendComposer::setInput(const QString &text)
{
    replaceEditorText(text);
}

QString SendComposer::filePath() const
{
    return m_file->text();
}

void SendComposer::setFilePath(const QString &path)
{
    // Through the undo stack of the line edit, like typing.
    m_file->selectAll();
    m_file->insert(path);
}

void SendComposer::setCompressionAgreed(bool agreed)
{
    m_uncompressed->setEnabled(agreed);
    m_uncompressed->setToolTip(agreed
            ? tr("Send this message with RSV1 clear, not compressed, although permessage-deflate was agreed: a "
                 "sender may choose so for any message (RFC 7692 §6)")
            : tr("Messages go out uncompressed: this connection did not agree on permessage-deflate"));
}

bool SendComposer::sendsUncompressed() const
{
    return m_uncompressed->isEnabled() && m_uncompressed->isChecked();
}

qsizetype SendComposer::fragmentSize() const
{
    return m_fragment->value();
}

void SendComposer::setFragmentSize(qsizetype bytes)
{
    m_fragment->setValue(int(std::clamp<qsizetype>(bytes, 0, m_fragment->maximum())));
}

ComposerInput::Parsed SendComposer::message() const
{
    const QString text = input();
    switch (mode()) {
    case ComposerMode::Text:
        return ComposerInput::fromText(text);
    case ComposerMode::Json:
        return ComposerInput::fromJson(text);
    case ComposerMode::Hex:
        return ComposerInput::fromHex(text);
    case ComposerMode::Base64:
        return ComposerInput::fromBase64(text);
    case ComposerMode::File:
        return ComposerInput::fromFile(filePath(), m_maxFileBytes);
    case ComposerMode::SocketIoEvent:
        return ComposerInput::fromSocketIoEvent(text);
    case ComposerMode::StompFrame:
        return ComposerInput::fromStompFrame(text);
    case ComposerMode::MqttPacket:
        return ComposerInput::fromMqttPacket(text);
    }
    return {};
}

ComposerInput::Parsed SendComposer::controlPayload() const
{
    ComposerInput::Parsed p;
    if (m_controlHex->isChecked()) {
        p = ComposerInput::fromHex(m_controlPayload->text());
    } else {
        p = ComposerInput::fromText(m_controlPayload->text());
    }
    if (p.ok() && p.bytes.size() > MaxControlPayload && !m_allowOversized->isChecked()) {
        p.error = tr("%1 is over the 125-byte limit for control frames. Shorten it, or tick \u201cSend invalid "
                     "control frame\u201d to test how the server reacts.")
                      .arg(SizeFormat::bytes(p.bytes.size()));
    }
    return p;
}

void SendComposer::onModeChanged()
{
    const ComposerMode mode = this->mode();
    m_pages->setCurrentIndex(mode == ComposerMode::File ? 1 : 0);
    m_jsonButtons->setVisible(mode == ComposerMode::Json || mode == ComposerMode::SocketIoEvent);
    m_socketIoAck->setVisible(mode == ComposerMode::SocketIoEvent);
    m_editor->setPlaceholderText(placeholderFor(mode));
    updateMessageState();
}

void SendComposer::setProtocolHint(Decode::Protocol protocol)
{
    if (protocol == m_protocolHint)
        return;
    m_protocolHint = protocol;
    rebuildTemplatesMenu();
}

void SendComposer::rebuildTemplatesMenu()
{
    m_templatesMenu->clear();
    QList<ProtocolTemplates::Group> groups = ProtocolTemplates::all();
    // The connection's own protocol first, named so; the others after a separator.
    std::stable_partition(groups.begin(), groups.end(),
        [this](const ProtocolTemplates::Group &g) { return g.protocol == m_protocolHint; });
    bool hinted = false;
    for (const ProtocolTemplates::Group &group : std::as_const(groups)) {
        const bool own = group.protocol == m_protocolHint;
        if (hinted && !own)
            m_templatesMenu->addSeparator();
        hinted = own;
        QMenu *menu = m_templatesMenu->addMenu(own ? tr("%1 (this connection)").arg(group.title) : group.title);
        for (const ProtocolTemplates::Template &t : group.templates) {
            QAction *action = menu->addAction(t.name);
            action->setToolTip(tr("%1: %2").arg(modeLabel(t.mode), t.text));
            connect(action, &QAction::triggered, this, [this, t] {
                setMode(t.mode);
                replaceEditorText(t.text);
                m_editor->setFocus();
            });
        }
    }
}

void SendComposer::updateFileInfo()
{
    const QString path = filePath();
    if (path.isEmpty()) {
        m_fileInfo->clear();
        return;
    }
    const QString problem = ComposerInput::checkFile(path, m_maxFileBytes);
    m_fileInfo->setText(problem.isEmpty() ? tr("Size: %1").arg(SizeFormat::bytes(QFileInfo(path).size())) : problem);
}

void SendComposer::setMaxFileBytes(qint64 bytes)
{
    m_maxFileBytes = bytes;
    updateFileInfo();
    updateMessageState();
}

void SendComposer::updateMessageState()
{
    ComposerInput::Parsed parsed;
    qsizetype size = 0;
    if (mode() == ComposerMode::File) {
        // The file is read when sent; until then its size is enough.
        parsed.error = ComposerInput::checkFile(filePath(), m_maxFileBytes);
        size = QFileInfo(filePath()).size();
    } else {
        parsed = message();
        size = parsed.bytes.size();
    }

    m_messageOk = parsed.ok();
    m_inputError->setText(parsed.error);
    m_inputError->setVisible(!parsed.ok());
    markError(parsed.ok() || mode() == ComposerMode::File ? -1 : parsed.errorPos);
    m_pretty->setEnabled(m_messageOk);
    m_compact->setEnabled(m_messageOk);

    if (!m_messageOk) {
        m_byteCounter->setText(tr("nothing to send until the input is fixed"));
    } else {
        QString text = tr("%1 to send").arg(SizeFormat::bytes(size));
        const qsizetype fragment = fragmentSize();
        if (fragment > 0 && size > fragment) {
            const qsizetype frames = (size + fragment - 1) / fragment;
            text = tr("%1 to send in %2 frames").arg(SizeFormat::bytes(size)).arg(frames);
        }
        m_byteCounter->setText(text);
    }
    m_send->setEnabled(m_sendEnabled && m_messageOk);
    applyColors();
}

void SendComposer::updateControlState()
{
    const QString text = m_controlPayload->text();
    ComposerInput::Parsed p = controlPayload();
    qsizetype size = p.bytes.size();
    const bool parseError = !p.ok() && p.bytes.isEmpty() && !text.isEmpty();
    m_controlOversized = size > MaxControlPayload;
    m_controlOk = p.ok();
    m_controlCounter->setText(parseError ? tr("? / 125 bytes") : tr("%1 / 125 bytes").arg(size));
    QString error = p.error;
    if (p.ok() && m_controlOversized)
        error = tr("Over the limit: this control frame is invalid, and a strict server closes with 1002.");
    m_controlError->setText(error);
    m_controlError->setVisible(!error.isEmpty());
    m_ping->setEnabled(m_sendEnabled && m_controlOk);
    m_pong->setEnabled(m_sendEnabled && m_controlOk);
    applyColors();
}

void SendComposer::setSendEnabled(bool enabled, const QString &reason)
{
    m_sendEnabled = enabled;
    const QString why = reason.isEmpty() ? tr("not connected. Sending needs an open connection.") : reason;
    m_disabledReason->setText(tr("Cannot send: %1").arg(why));
    m_disabledReason->setVisible(!enabled);
    const QString tip = enabled ? QString() : m_disabledReason->text();
    m_send->setEnabled(enabled && m_messageOk);
    m_ping->setEnabled(enabled && m_controlOk);
    m_pong->setEnabled(enabled && m_controlOk);
    for (QPushButton *b : { m_send, m_ping, m_pong })
        b->setStatusTip(tip);
}

void SendComposer::send()
{
    if (!m_sendEnabled)
        return;
    const ComposerInput::Parsed parsed = message();
    if (!parsed.ok()) {
        m_inputError->setText(parsed.error);
        m_inputError->setVisible(true);
        return;
    }
    const ComposerMode mode = this->mode();
    if (mode == ComposerMode::SocketIoEvent)
        Q_EMIT socketIoEmitRequested(parsed.bytes, m_socketIoAck->isChecked());
    else if (mode == ComposerMode::Text || mode == ComposerMode::Json || mode == ComposerMode::StompFrame)
        Q_EMIT sendTextRequested(parsed.bytes, fragmentSize(), sendsUncompressed());
    else
        Q_EMIT sendBinaryRequested(parsed.bytes, fragmentSize(), sendsUncompressed());
    m_store->addToHistory(currentEntry());
    refreshHistory();
}

bool SendComposer::emitControl(bool ping)
{
    if (!m_sendEnabled)
        return false;
    const ComposerInput::Parsed p = controlPayload();
    if (!p.ok())
        return false;
    if (ping)
        Q_EMIT pingRequested(p.bytes);
    else
        Q_EMIT pongRequested(p.bytes);
    return true;
}

void SendComposer::sendPing()
{
    emitControl(true);
}

void SendComposer::sendPong()
{
    emitControl(false);
}

void SendComposer::prettyPrint()
{
    if ((mode() == ComposerMode::Json || mode() == ComposerMode::SocketIoEvent) && !JsonText::check(input()))
        replaceEditorText(JsonText::pretty(input()));
}

void SendComposer::compact()
{
    if ((mode() == ComposerMode::Json || mode() == ComposerMode::SocketIoEvent) && !JsonText::check(input()))
        replaceEditorText(JsonText::compact(input()));
}

void SendComposer::replaceEditorText(const QString &text)
{
    if (text == input())
        return;
    // One undoable edit rather than setPlainText(), which would throw the undo history away.
    QTextCursor cursor(m_editor->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    cursor.endEditBlock();
}

void SendComposer::markError(qsizetype pos)
{
    QList<QTextEdit::ExtraSelection> selections;
    if (pos >= 0 && pos < m_editor->document()->characterCount() - 1) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_editor->document());
        selection.cursor.setPosition(int(pos));
        selection.cursor.setPosition(int(pos) + 1, QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(errorColor(palette()));
        selection.format.setBackground(errorColor(palette()).lighter(isDark(palette()) ? 60 : 190));
        selections.append(selection);
    }
    m_editor->setExtraSelections(selections);
}

ComposerEntry SendComposer::currentEntry() const
{
    return { mode(), mode() == ComposerMode::File ? filePath() : input() };
}

QList<ComposerEntry> SendComposer::history() const
{
    return m_store->history();
}

void SendComposer::loadEntry(const ComposerEntry &entry)
{
    setMode(entry.mode);
    if (entry.mode == ComposerMode::File)
        setFilePath(entry.content);
    else
        replaceEditorText(entry.content);
}

void SendComposer::refreshHistory()
{
    const QList<ComposerEntry> entries = history();
    m_history->clear();
    for (const ComposerEntry &entry : entries) {
        m_history->addItem(preview(entry));
        m_history->setItemData(m_history->count() - 1, preview(entry, 2000), Qt::ToolTipRole);
    }
    m_history->setPlaceholderText(entries.isEmpty() ? tr("History (empty)") : tr("History (%1)").arg(entries.size()));
    m_history->setCurrentIndex(-1);
    m_history->setEnabled(!entries.isEmpty());
}

QList<Snippet> SendComposer::snippets() const
{
    return m_store->snippets();
}

void SendComposer::refreshSnippets(const QString &select)
{
    m_snippets->clear();
    for (const Snippet &s : m_store->snippets()) {
        m_snippets->addItem(s.name, s.name);
        m_snippets->setItemData(m_snippets->count() - 1, preview(s.entry, 2000), Qt::ToolTipRole);
    }
    m_snippets->setPlaceholderText(m_snippets->count() ? tr("Pick a snippet") : tr("No snippets saved"));
    m_snippets->setCurrentIndex(select.isEmpty() ? -1 : m_snippets->findData(select));
    m_deleteSnippet->setEnabled(m_snippets->currentIndex() >= 0);
}

QString SendComposer::saveSnippet(const QString &name)
{
    const QString error = m_store->save(name, currentEntry());
    if (error.isEmpty())
        refreshSnippets(name.trimmed());
    return error;
}

bool SendComposer::loadSnippet(const QString &name)
{
    const auto entry = m_store->snippet(name);
    if (!entry)
        return false;
    loadEntry(*entry);
    const int index = m_snippets->findData(name.trimmed());
    if (index != m_snippets->currentIndex())
        m_snippets->setCurrentIndex(index);
    return true;
}

bool SendComposer::deleteSnippet(const QString &name)
{
    if (!m_store->remove(name))
        return false;
    refreshSnippets();
    return true;
}

void SendComposer::askSnippetName()
{
    const QString current = m_snippets->currentIndex() >= 0 ? m_snippets->currentData().toString() : QString();
    bool ok = false;
    const QString name
        = QInputDialog::getText(this, tr("Save snippet"), tr("Snippet name:"), QLineEdit::Normal, current, &ok);
    if (!ok)
        return;
    if (m_store->contains(name) && name.trimmed() != current) {
        const auto answer = QMessageBox::question(
            this, tr("Replace snippet"), tr("A snippet named \u201c%1\u201d exists. Replace it?").arg(name.trimmed()));
        if (answer != QMessageBox::Yes)
            return;
    }
    const QString error = saveSnippet(name);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Save snippet"), error);
}

void SendComposer::confirmDeleteSnippet()
{
    if (m_snippets->currentIndex() < 0)
        return;
    const QString name = m_snippets->currentData().toString();
    const auto answer
        = QMessageBox::question(this, tr("Delete snippet"), tr("Delete the snippet \u201c%1\u201d?").arg(name));
    if (answer == QMessageBox::Yes)
        deleteSnippet(name);
}

void SendComposer::browseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("File to send"), QFileInfo(filePath()).path());
    if (!path.isEmpty())
        setFilePath(path);
}

void SendComposer::applyColors()
{
    const QColor bad = errorColor(palette());
    const QColor normal = palette().color(QPalette::WindowText);
    setTextColor(m_inputError, bad);
    setTextColor(m_controlError, bad);
    setTextColor(m_controlCounter, m_controlOversized ? bad : normal);
    setTextColor(m_fileInfo, mode() == ComposerMode::File && !m_messageOk ? bad : normal);
}

void SendComposer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyColors();
        updateMessageState(); // the error underline takes its colour from the palette
    }
}
