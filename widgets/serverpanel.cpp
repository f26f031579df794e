#include "serverpanel.h"

#include "log/serverclientsmodel.h"
#include "log/serverlogmodel.h"
#include "net/embeddedserver.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStringDecoder>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

// One line of a request as plain text: control characters escaped (tabs kept), and the whole line
// as \xNN escapes for bytes that are not UTF-8, so what the peer sent is shown, never interpreted.
QString displayLine(QByteArrayView line)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(line);
    QString out;
    if (decoder.hasError()) {
        for (const char byte : line) {
            const uchar b = uchar(byte);
            if (b >= 0x20 && b < 0x7F)
                out += QLatin1Char(byte);
            else
                out += QStringLiteral("\\x%1").arg(b, 2, 16, QLatin1Char('0'));
        }
        return out;
    }
    for (const QChar c : text) {
        if (c == QLatin1Char('\t') || (c.unicode() >= 0x20 && c.unicode() != 0x7F))
            out += c;
        else if (c == QLatin1Char('\r'))
            out += QStringLiteral("\\r");
        else
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
    }
    return out;
}

// The request head with its CRLF line ends as line breaks. A bare LF also breaks the line; it
// shows as the \r missing from the end of the line before.
QString displayRequest(const QByteArray &request)
{
    QStringList lines;
    qsizetype start = 0;
    while (start < request.size()) {
        qsizetype end = request.indexOf('\n', start);
        if (end < 0)
            end = request.size();
        QByteArrayView line = QByteArrayView(request).sliced(start, end - start);
        QString shown;
        if (line.endsWith('\r'))
            line.chop(1);
        else if (end < request.size())
            shown = QStringLiteral(" (bare LF)");
        lines << displayLine(line) + shown;
        start = end + 1;
    }
    return lines.join(QLatin1Char('\n'));
}

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(
        a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t, a.blueF() * (1 - t) + b.blueF() * t);
}

} // namespace

ServerPanel::ServerPanel(EmbeddedServer *server, ServerClientsModel *clients, ServerLogModel *log, QWidget *parent)
    : QWidget(parent)
    , m_server(server)
    , m_clients(clients)
    , m_log(log)
    , m_address(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_mode(new QComboBox(this))
    , m_start(new QPushButton(QStringLiteral("&Start"), this))
    , m_stop(new QPushButton(QStringLiteral("S&top"), this))
    , m_errorBox(new QFrame(this))
    , m_error(new QLabel(this))
    , m_status(new QLabel(this))
    , m_url(new QLineEdit(this))
    , m_copy(new QToolButton(this))
    , m_connectClient(new QPushButton(QStringLiteral("Connect a c&lient"), this))
    , m_clientsTitle(new QLabel(this))
    , m_clientsView(new QTableView(this))
    , m_handshakeTitle(new QLabel(this))
    , m_handshake(new QPlainTextEdit(this))
    , m_logView(new QTableView(this))
    , m_clearLog(new QToolButton(this))
{
    // Listening controls.
    m_address->setObjectName(QStringLiteral("bindAddress"));
    m_address->setEditable(true);
    m_address->setInsertPolicy(QComboBox::NoInsert);
    m_address->addItem(QStringLiteral("127.0.0.1"));
    m_address->setItemData(0, QStringLiteral("This machine only (IPv4 loopback)"), Qt::ToolTipRole);
    m_address->addItem(QStringLiteral("::1"));
    m_address->setItemData(1, QStringLiteral("This machine only (IPv6 loopback)"), Qt::ToolTipRole);
    m_address->addItem(QStringLiteral("0.0.0.0"));
    m_address->setItemData(2, QStringLiteral("Every IPv4 interface: other machines can connect"), Qt::ToolTipRole);
    m_address->setCurrentIndex(0);
    m_address->setMinimumContentsLength(15);
    m_address->setToolTip(QStringLiteral("Address to listen on. Loopback keeps the server to this machine; "
                                         "anything else asks first, since other machines could connect."));

    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(0, 65535);
    m_port->setValue(0);
    m_port->setSpecialValueText(QStringLiteral("any"));
    m_port->setAccelerated(true);
    m_port->setToolTip(QStringLiteral("TCP port to listen on; \"any\" (0) lets the system pick a free one"));

    m_mode->setObjectName(QStringLiteral("mode"));
    m_mode->addItem(QStringLiteral("Echo")); // index 0: Mode::Echo
    m_mode->setItemData(0, QStringLiteral("Every message goes back to its sender"), Qt::ToolTipRole);
    m_mode->addItem(QStringLiteral("Broadcast")); // index 1: Mode::Broadcast
    m_mode->setItemData(
        1, QStringLiteral("Every message goes to every connected client, sender included"), Qt::ToolTipRole);
    m_mode->setToolTip(QStringLiteral("How the server answers messages; can be changed while it runs"));

    m_start->setObjectName(QStringLiteral("start"));
    m_start->setToolTip(QStringLiteral("Start listening"));
    m_stop->setObjectName(QStringLiteral("stop"));
    m_stop->setToolTip(QStringLiteral("Stop listening and close every client with 1001 Going Away"));

    // Error banner: tinted from the palette so it reads on light and dark themes.
    m_errorBox->setObjectName(QStringLiteral("serverError"));
    auto *errorIcon = new QLabel(m_errorBox);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    errorIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(iconSize, iconSize));
    m_error->setParent(m_errorBox);
    m_error->setObjectName(QStringLiteral("errorText"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *errorLayout = new QHBoxLayout(m_errorBox);
    errorLayout->setContentsMargins(8, 6, 8, 6);
    errorLayout->addWidget(errorIcon, 0, Qt::AlignTop);
    errorLayout->addWidget(m_error, 1);
    m_errorBox->hide();

    m_status->setObjectName(QStringLiteral("status"));
    m_url->setObjectName(QStringLiteral("listeningUrl"));
    m_url->setReadOnly(true);
    m_url->setPlaceholderText(QStringLiteral("not listening"));
    m_url->setToolTip(QStringLiteral("The URL clients connect to"));
    m_copy->setObjectName(QStringLiteral("copyUrl"));
    m_copy->setText(QStringLiteral("Cop&y"));
    m_copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copy->setToolTip(QStringLiteral("Copy the URL to the clipboard"));
    m_connectClient->setObjectName(QStringLiteral("connectClient"));
    m_connectClient->setToolTip(QStringLiteral("Open a client connection to this server"));

    // Clients and the selected one's handshake request.
    m_clientsTitle->setObjectName(QStringLiteral("clientsTitle"));
    m_clientsView->setObjectName(QStringLiteral("clients"));
    m_clientsView->setModel(m_clients);
    m_clientsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clientsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_clientsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_clientsView->verticalHeader()->hide();
    m_clientsView->setShowGrid(false);
    m_clientsView->setWordWrap(false);
    m_clientsView->horizontalHeader()->setStretchLastSection(true);
    m_clientsView->setToolTip(QStringLiteral("Connected clients; select one to see its handshake request"));
    const QFontMetrics fm = fontMetrics();
    m_clientsView->horizontalHeader()->resizeSection(0, fm.horizontalAdvance(QStringLiteral("Client__")) + 12);
    m_clientsView->horizontalHeader()->resizeSection(
        1, fm.horizontalAdvance(QStringLiteral("[::ffff:127.0.0.1]:65535")));
    m_clientsTitle->setBuddy(m_clientsView);

    m_handshakeTitle->setObjectName(QStringLiteral("handshakeTitle"));
    m_handshakeTitle->setTextFormat(Qt::PlainText);
    m_handshakeTitle->setWordWrap(true);
    m_handshake->setObjectName(QStringLiteral("handshake"));
    m_handshake->setReadOnly(true);
    m_handshake->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_handshake->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_handshake->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_handshake->setPlaceholderText(QStringLiteral("Select a client to see the exact handshake request it sent."));
    m_handshake->setToolTip(QStringLiteral("The request as received, one header per line; control characters "
                                           "are escaped and bytes that are not UTF-8 shown as \\xNN"));

    // The server's log.
    m_logView->setObjectName(QStringLiteral("serverLog"));
    m_logView->setModel(m_log);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_logView->verticalHeader()->hide();
    m_logView->verticalHeader()->setDefaultSectionSize(fm.height() + 6);
    m_logView->setShowGrid(false);
    m_logView->setWordWrap(false);
    m_logView->setAlternatingRowColors(true);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths from the font: resizing to contents would measure every row of a long log.
    m_logView->horizontalHeader()->resizeSection(
        ServerLogModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + 16);
    m_logView->horizontalHeader()->resizeSection(
        ServerLogModel::ClientColumn, fm.horizontalAdvance(QStringLiteral("Client__")) + 8);
    m_logView->horizontalHeader()->resizeSection(
        ServerLogModel::PeerColumn, fm.horizontalAdvance(QStringLiteral("127.0.0.1:65535__")));
    m_logView->horizontalHeader()->resizeSection(
        ServerLogModel::EventColumn, fm.horizontalAdvance(QStringLiteral("disconnected 1000 Normal Closure")) + 8);
    m_logView->horizontalHeader()->resizeSection(
        ServerLogModel::SizeColumn, fm.horizontalAdvance(QStringLiteral("Size 000000")));
    m_clearLog->setObjectName(QStringLiteral("clearLog"));
    m_clearLog->setText(QStringLiteral("Clear"));
    m_clearLog->setIcon(QIcon::fromTheme(QStringLiteral("edit-clear")));
    m_clearLog->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_clearLog->setToolTip(QStringLiteral("Clear the server log"));

    // Layout.
    auto *addressLabel = new QLabel(QStringLiteral("&Address:"), this);
    addressLabel->setBuddy(m_address);
    auto *portLabel = new QLabel(QStringLiteral("P&ort:"), this);
    portLabel->setBuddy(m_port);
    auto *modeLabel = new QLabel(QStringLiteral("&Mode:"), this);
    modeLabel->setBuddy(m_mode);

    // Two rows, so that the panel still fits when docked beside the message log.
    auto *controls = new QGridLayout;
    controls->addWidget(addressLabel, 0, 0);
    controls->addWidget(m_address, 0, 1);
    controls->addWidget(portLabel, 0, 2);
    controls->addWidget(m_port, 0, 3);
    controls->addWidget(modeLabel, 1, 0);
    controls->addWidget(m_mode, 1, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    controls->addLayout(buttons, 1, 2, 1, 3);
    controls->setColumnStretch(4, 1);

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_status);
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_copy);
    urlRow->addWidget(m_connectClient);

    auto *clientsPane = new QWidget(this);
    auto *clientsLayout = new QVBoxLayout(clientsPane);
    clientsLayout->setContentsMargins(0, 0, 0, 0);
    clientsLayout->addWidget(m_clientsTitle);
    clientsLayout->addWidget(m_clientsView);

    auto *handshakePane = new QWidget(this);
    auto *handshakeLayout = new QVBoxLayout(handshakePane);
    handshakeLayout->setContentsMargins(0, 0, 0, 0);
    handshakeLayout->addWidget(m_handshakeTitle);
    handshakeLayout->addWidget(m_handshake);

    m_clientsSplitter = new QSplitter(Qt::Horizontal, this);
    QSplitter *top = m_clientsSplitter;
    top->setObjectName(QStringLiteral("clientsSplitter"));
    top->addWidget(clientsPane);
    top->addWidget(handshakePane);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);
    top->setChildrenCollapsible(false);

    auto *logPane = new QWidget(this);
    auto *logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(0, 0, 0, 0);
    auto *logHeader = new QHBoxLayout;
    auto *logTitle = new QLabel(QStringLiteral("Server lo&g"), this);
    logTitle->setBuddy(m_logView);
    logHeader->addWidget(logTitle);
    logHeader->addStretch();
    logHeader->addWidget(m_clearLog);
    logLayout->addLayout(logHeader);
    logLayout->addWidget(m_logView);

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("logSplitter"));
    vertical->addWidget(top);
    vertical->addWidget(logPane);
    vertical->setStretchFactor(0, 2);
    vertical->setStretchFactor(1, 3);
    vertical->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_errorBox);
    layout->addLayout(urlRow);
    layout->addWidget(vertical, 1);

    setTabOrder(m_address, m_port);
    setTabOrder(m_port, m_mode);
    setTabOrder(m_mode, m_start);
    setTabOrder(m_start, m_stop);
    setTabOrder(m_stop, m_url);
    setTabOrder(m_url, m_copy);
    setTabOrder(m_copy, m_connectClient);
    setTabOrder(m_connectClient, m_clientsView);
    setTabOrder(m_clientsView, m_handshake);
    setTabOrder(m_handshake, m_clearLog);
    setTabOrder(m_clearLog, m_logView);

    // Behaviour.
    connect(m_start, &QPushButton::clicked, this, &ServerPanel::start);
    connect(m_stop, &QPushButton::clicked, this, &ServerPanel::stop);
    connect(m_address->lineEdit(), &QLineEdit::returnPressed, this, &ServerPanel::start);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_server)
            m_server->setMode(index == 1 ? EmbeddedServer::Mode::Broadcast : EmbeddedServer::Mode::Echo);
    });
    connect(m_copy, &QToolButton::clicked, this, [this] {
        if (!m_url->text().isEmpty())
            QApplication::clipboard()->setText(m_url->text());
    });
    connect(m_connectClient, &QPushButton::clicked, this, [this] {
        if (m_server && m_server->isListening())
            Q_EMIT connectRequested(m_server->url());
    });
    connect(m_clearLog, &QToolButton::clicked, m_log, &ServerLogModel::clear);

    connect(m_clientsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ServerPanel::showSelectedHandshake);
    connect(m_clientsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &ServerPanel::showSelectedHandshake);
    connect(m_clients, &QAbstractItemModel::rowsInserted, this, &ServerPanel::updateClientsTitle);
    connect(m_clients, &QAbstractItemModel::rowsRemoved, this, &ServerPanel::updateClientsTitle);
    connect(m_clients, &QAbstractItemModel::modelReset, this, &ServerPanel::updateClientsTitle);
    // The server has no started/stopped signal; clients leaving all at once follow a stop elsewhere.
    connect(m_clients, &QAbstractItemModel::rowsRemoved, this, &ServerPanel::refresh);

    // Follow the end of the log only while the user is looking at the end.
    connect(m_log, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_logView->verticalScrollBar();
        m_logAtBottom = bar->value() >= bar->maximum();
    });
    connect(m_log, &ServerLogModel::rowsAppended, this, [this] {
        if (m_logAtBottom)
            m_logView->scrollToBottom();
    });

    if (m_server)
        m_mode->setCurrentIndex(m_server->mode() == EmbeddedServer::Mode::Broadcast ? 1 : 0);
    m_wasListening = m_server && m_server->isListening();
    updateClientsTitle();
    showSelectedHandshake();
    refresh();
}

void ServerPanel::setExposureConfirmation(ExposureConfirmation confirm)
{
    m_confirm = std::move(confirm);
}

QHostAddress ServerPanel::parseAddress(const QString &text, QString *error)
{
    QString t = text.trimmed();
    if (t.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
        t = t.mid(1, t.size() - 2);
    QHostAddress address;
    if (t.isEmpty() || !address.setAddress(t)) {
        if (error)
            *error = QStringLiteral("\"%1\" is not an IP address: use 127.0.0.1, ::1 or 0.0.0.0").arg(text.trimmed());
        return {};
    }
    return address;
}

bool ServerPanel::exposes(const QHostAddress &address)
{
    return !address.isLoopback();
}

QString ServerPanel::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_error->text();
}

bool ServerPanel::confirmExposure(const QHostAddress &address)
{
    if (m_confirm)
        return m_confirm(address);
    QMessageBox box(QMessageBox::Warning, QStringLiteral("Let other machines connect?"),
        QStringLiteral("Listening on %1 lets other machines on your network connect to the embedded server.")
            .arg(address.toString()),
        QMessageBox::NoButton, this);
    box.setInformativeText(QStringLiteral("The server echoes and broadcasts whatever it receives, to anyone who "
                                          "connects. Listen on 127.0.0.1 to keep it to this machine."));
    QPushButton *go = box.addButton(QStringLiteral("Listen on %1").arg(address.toString()), QMessageBox::AcceptRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == go;
}

bool ServerPanel::start()
{
    if (!m_server)
        return false;
    if (m_server->isListening()) {
        refresh();
        return true;
    }
    QString error;
    const QHostAddress address = parseAddress(m_address->currentText(), &error);
    if (address.isNull()) {
        showError(error);
        return false;
    }
    if (exposes(address) && !confirmExposure(address)) {
        showError(QString());
        return false;
    }
    m_server->setMode(m_mode->currentIndex() == 1 ? EmbeddedServer::Mode::Broadcast : EmbeddedServer::Mode::Echo);
    if (!m_server->start(address, quint16(m_port->value()))) {
        showError(m_server->errorString());
        refresh();
        return false;
    }
    showError(QString());
    refresh();
    return true;
}

void ServerPanel::stop()
{
    if (m_server)
        m_server->stop();
    refresh();
}

void ServerPanel::refresh()
{
    const bool listening = m_server && m_server->isListening();
    m_address->setEnabled(!listening);
    m_port->setEnabled(!listening);
    m_start->setEnabled(m_server && !listening);
    m_stop->setEnabled(listening);
    m_copy->setEnabled(listening);
    m_connectClient->setEnabled(listening);
    m_status->setText(listening ? QStringLiteral("Listening on") : QStringLiteral("Stopped"));
    m_url->setText(listening ? m_server->url().toString() : QString());
    if (listening) {
        m_url->setToolTip(QStringLiteral("Clients connect to %1 (bound to %2)")
                              .arg(m_server->url().toString(), m_server->serverAddress().toString()));
    } else {
        m_url->setToolTip(QStringLiteral("The URL clients connect to, once the server is started"));
    }
    if (listening != m_wasListening) {
        m_wasListening = listening;
        Q_EMIT listeningChanged(listening);
    }
}

void ServerPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Narrow (docked): the handshake request goes below the clients instead of beside them.
    m_clientsSplitter->setOrientation(width() < NarrowWidth ? Qt::Vertical : Qt::Horizontal);
}

void ServerPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_errorBox->isHidden())
        showError(m_error->text()); // re-tint for the new palette
}

void ServerPanel::showError(const QString &error)
{
    m_error->setText(error);
    m_errorBox->setVisible(!error.isEmpty());
    if (error.isEmpty())
        return;
    const QPalette pal = palette();
    const QColor tint = blend(pal.color(QPalette::Base), QColor(0xd3, 0x2f, 0x2f), 0.18);
    const QColor border = blend(pal.color(QPalette::Base), QColor(0xd3, 0x2f, 0x2f), 0.6);
    m_errorBox->setStyleSheet(
        QStringLiteral("QFrame#serverError { background-color: %1; border: 1px solid %2; border-radius: 4px; }"
                       "QFrame#serverError QLabel { color: %3; background: transparent; border: none; }")
            .arg(tint.name(), border.name(), pal.color(QPalette::Text).name()));
}

void ServerPanel::updateClientsTitle()
{
    const int count = m_clients ? m_clients->rowCount() : 0;
    m_clientsTitle->setText(QStringLiteral("&Clients (%1)").arg(count));
}

void ServerPanel::showSelectedHandshake()
{
    const QModelIndexList rows = m_clientsView->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        m_handshakeTitle->setText(QStringLiteral("Handshake request"));
        m_handshake->clear();
        return;
    }
    const QModelIndex index = rows.first();
    const QByteArray request = index.data(ServerClientsModel::HandshakeRequestRole).toByteArray();
    const QString peer = m_clients->index(index.row(), ServerClientsModel::PeerColumn).data().toString();
    m_handshakeTitle->setText(QStringLiteral("Handshake request of #%1 from %2 \u2014 %3 bytes")
                                  .arg(index.data(ServerClientsModel::ClientIdRole).toUInt())
                                  .arg(peer)
                                  .arg(request.size()));
    m_handshake->setPlainText(displayRequest(request));
}
