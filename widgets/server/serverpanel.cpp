#include "server/serverpanel.h"

#include "common/listenaddress.h"

#include "text/displaytext.h"

#include "log/serverclientsmodel.h"
#include "log/serverlogmodel.h"
#include "net/embeddedserver.h"
#include "common/palettecolors.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
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
#include <QRegularExpression>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

using PaletteColors::mix;

} // namespace

ServerPanel::ServerPanel(EmbeddedServer *server, ServerClientsModel *clients, ServerLogModel *log, QWidget *parent)
    : QWidget(parent)
    , m_server(server)
    , m_clients(clients)
    , m_log(log)
    , m_address(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_mode(new QComboBox(this))
    , m_engine(new QComboBox(this))
    , m_start(new QPushButton(tr("&Start"), this))
    , m_stop(new QPushButton(tr("S&top"), this))
    , m_errorBox(new QFrame(this))
    , m_error(new QLabel(this))
    , m_status(new QLabel(this))
    , m_url(new QLineEdit(this))
    , m_copy(new QToolButton(this))
    , m_connectClient(new QPushButton(tr("Connect a c&lient"), this))
    , m_clientsTitle(new QLabel(this))
    , m_clientsView(new QTableView(this))
    , m_handshakeTitle(new QLabel(this))
    , m_handshake(new QPlainTextEdit(this))
    , m_logView(new QTableView(this))
    , m_clearLog(new QToolButton(this))
{
    // Listening controls.
    m_address->setObjectName(QStringLiteral("bindAddress"));
    ListenAddress::fillChoices(m_address);
    m_address->setToolTip(tr("Address to listen on. Loopback keeps the server to this machine; "
                             "anything else asks first, since other machines could connect."));

    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(0, 65535);
    m_port->setValue(0);
    m_port->setSpecialValueText(tr("any"));
    m_port->setAccelerated(true);
    m_port->setToolTip(tr("TCP port to listen on; \"any\" (0) lets the system pick a free one"));

    m_mode->setObjectName(QStringLiteral("mode"));
    m_mode->addItem(tr("Echo")); // index 0: Mode::Echo
    m_mode->setItemData(0, tr("Every message goes back to its sender"), Qt::ToolTipRole);
    m_mode->addItem(tr("Broadcast")); // index 1: Mode::Broadcast
    m_mode->setItemData(1, tr("Every message goes to every connected client, sender included"), Qt::ToolTipRole);
    m_mode->setToolTip(tr("How the server answers messages; can be changed while it runs"));

    m_engine->setObjectName(QStringLiteral("serverEngine"));
    m_engine->addItem(tr("QWebSocketServer"), int(EmbeddedServer::Engine::Qt));
    m_engine->setItemData(0,
        tr("Qt's own server, watched on the wire: what a Qt application's server does, including where it "
           "departs from RFC 6455"),
        Qt::ToolTipRole);
    m_engine->addItem(tr("Inspector (strict)"), int(EmbeddedServer::Engine::Inspector));
    m_engine->setItemData(1,
        tr("The inspector's own engine: fails the connection on every rule a client breaks, with its close "
           "code, and negotiates permessage-deflate"),
        Qt::ToolTipRole);
    m_engine->setToolTip(tr("Which engine answers clients; a change applies to clients that connect afterwards"));

    m_start->setObjectName(QStringLiteral("start"));
    m_start->setToolTip(tr("Start listening"));
    m_stop->setObjectName(QStringLiteral("stop"));
    m_stop->setToolTip(tr("Stop listening and close every client with 1001 Going Away"));

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
    m_url->setPlaceholderText(tr("not listening"));
    m_url->setToolTip(tr("The URL clients connect to"));
    m_copy->setObjectName(QStringLiteral("copyUrl"));
    m_copy->setText(tr("Cop&y"));
    m_copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copy->setToolTip(tr("Copy the URL to the clipboard"));
    m_connectClient->setObjectName(QStringLiteral("connectClient"));
    m_connectClient->setToolTip(tr("Open a client connection to this server"));

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
    m_clientsView->setToolTip(tr("Connected clients; select one to see its handshake request"));
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
    m_handshake->setPlaceholderText(tr("Select a client to see the exact handshake request it sent."));
    m_handshake->setToolTip(tr("The request as received, one header per line; control characters "
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
        // The usual events whole; a close's reason and a fragment's "(more to come)" are cut, whole
        // in the tool tip: the Message and Preview columns need the room more.
        ServerLogModel::EventColumn, fm.horizontalAdvance(QStringLiteral("\u2190 continuation")) + 16);
    m_logView->horizontalHeader()->resizeSection(
        ServerLogModel::SizeColumn, fm.horizontalAdvance(QStringLiteral("Size 000000")));
    // Hidden until a client's messages are read as a protocol (updateMessageColumn()).
    m_messageWidth = fm.horizontalAdvance(QStringLiteral("Socket.IO event \"chat message\" [\"hi\"] ack 12")) + 16;
    m_logView->horizontalHeader()->resizeSection(ServerLogModel::MessageColumn, m_messageWidth);
    m_logView->installEventFilter(this); // resized: the Message column is fitted again
    m_clearLog->setObjectName(QStringLiteral("clearLog"));
    m_clearLog->setText(tr("Clear"));
    m_clearLog->setIcon(QIcon::fromTheme(QStringLiteral("edit-clear")));
    m_clearLog->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_clearLog->setToolTip(tr("Clear the server log"));

    // Layout.
    auto *addressLabel = new QLabel(tr("&Address:"), this);
    addressLabel->setBuddy(m_address);
    auto *portLabel = new QLabel(tr("P&ort:"), this);
    portLabel->setBuddy(m_port);
    auto *modeLabel = new QLabel(tr("&Mode:"), this);
    modeLabel->setBuddy(m_mode);
    auto *engineLabel = new QLabel(tr("E&ngine:"), this);
    engineLabel->setBuddy(m_engine);

    // Narrow rows, so that the panel still fits when docked beside the message log.
    auto *controls = new QGridLayout;
    controls->addWidget(addressLabel, 0, 0);
    controls->addWidget(m_address, 0, 1);
    controls->addWidget(portLabel, 0, 2);
    controls->addWidget(m_port, 0, 3);
    controls->addWidget(modeLabel, 1, 0);
    controls->addWidget(m_mode, 1, 1);
    controls->addWidget(engineLabel, 2, 0);
    controls->addWidget(m_engine, 2, 1);
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

    QWidget *behaviourSection = buildBehaviourSection();

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
    auto *logTitle = new QLabel(tr("Server lo&g"), this);
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
    // What the chosen engine does differently, where its URL is: the client offers permessage-deflate
    // by default, and a learner will wonder why Qt's server never agrees to it.
    m_engineNote = new QLabel(this);
    m_engineNote->setObjectName(QStringLiteral("engineNote"));
    m_engineNote->setTextFormat(Qt::PlainText);
    m_engineNote->setWordWrap(true);
    QFont small = m_engineNote->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_engineNote->setFont(small);
    m_engineNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_engineNote);
    layout->addWidget(behaviourSection);
    layout->addWidget(vertical, 1);

    setTabOrder(m_address, m_port);
    setTabOrder(m_port, m_mode);
    setTabOrder(m_mode, m_engine);
    setTabOrder(m_engine, m_start);
    setTabOrder(m_start, m_stop);
    setTabOrder(m_stop, m_url);
    setTabOrder(m_url, m_copy);
    setTabOrder(m_copy, m_connectClient);
    setTabOrder(m_connectClient, m_behaviourToggle);
    setTabOrder(m_behaviourToggle, m_replyDelay);
    setTabOrder(m_replyDelay, m_fragmentSize);
    setTabOrder(m_fragmentSize, m_pingInterval);
    setTabOrder(m_pingInterval, m_maxClients);
    setTabOrder(m_maxClients, m_maxMessageSize);
    setTabOrder(m_maxMessageSize, m_closeAfter);
    setTabOrder(m_closeAfter, m_closeCode);
    setTabOrder(m_closeCode, m_closeReason);
    setTabOrder(m_closeReason, m_rejectStatus);
    setTabOrder(m_rejectStatus, m_subprotocols);
    setTabOrder(m_subprotocols, m_allowedOrigins);
    setTabOrder(m_allowedOrigins, m_clientsView);
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
    connect(m_engine, &QComboBox::currentIndexChanged, this, [this] {
        if (m_server)
            m_server->setEngine(EmbeddedServer::Engine(m_engine->currentData().toInt()));
        updateEngineNote();
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
    connect(m_log, &ServerLogModel::decodedRowsFound, this, &ServerPanel::updateMessageColumn);
    connect(m_log, &QAbstractItemModel::modelReset, this, &ServerPanel::updateMessageColumn);
    updateMessageColumn();

    if (m_server) {
        m_mode->setCurrentIndex(m_server->mode() == EmbeddedServer::Mode::Broadcast ? 1 : 0);
        m_engine->setCurrentIndex(m_engine->findData(int(m_server->engine())));
        showBehaviourInFields(m_server->behaviour());
    }
    updateBehaviourSummary();
    updateEngineNote();
    m_wasListening = m_server && m_server->isListening();
    updateClientsTitle();
    showSelectedHandshake();
    refresh();
}

void ServerPanel::setExposureConfirmation(ExposureConfirmation confirm)
{
    m_confirm = std::move(confirm);
}

QString ServerPanel::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_error->text();
}

bool ServerPanel::confirmExposure(const QHostAddress &address)
{
    return ListenAddress::mayListen(this, address, m_confirm,
        tr("Listening on %1 lets other machines on your network connect to the embedded server.").arg(address.toString()),
        tr("The server echoes and broadcasts whatever it receives, to anyone who "
           "connects. Listen on 127.0.0.1 to keep it to this machine."));
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
    const QHostAddress address = ListenAddress::parse(m_address->currentText(), &error);
    if (address.isNull()) {
        showError(error);
        return false;
    }
    QString behaviourProblem;
    const ServerBehaviour behaviour = behaviourFromFields(&behaviourProblem);
    if (!behaviourProblem.isEmpty()) {
        setBehaviourExpanded(true); // show the field in question
        showError(tr("Fix the behaviour first: %1").arg(behaviourProblem));
        return false;
    }
    if (!confirmExposure(address)) {
        showError(QString());
        return false;
    }
    m_server->setMode(m_mode->currentIndex() == 1 ? EmbeddedServer::Mode::Broadcast : EmbeddedServer::Mode::Echo);
    if (!(m_server->behaviour() == behaviour)) {
        m_server->setBehaviour(behaviour);
        Q_EMIT behaviourChanged(behaviour);
    }
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
    m_status->setText(listening ? tr("Listening on") : tr("Stopped"));
    m_url->setText(listening ? m_server->url().toString() : QString());
    if (listening) {
        m_url->setToolTip(tr("Clients connect to %1 (bound to %2)")
                              .arg(m_server->url().toString(), m_server->serverAddress().toString()));
    } else {
        m_url->setToolTip(tr("The URL clients connect to, once the server is started"));
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
    updateBehaviourSummary(); // elided to the new width
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
    const QColor tint = mix(pal.color(QPalette::Base), QColor(0xd3, 0x2f, 0x2f), 0.18);
    const QColor border = mix(pal.color(QPalette::Base), QColor(0xd3, 0x2f, 0x2f), 0.6);
    m_errorBox->setStyleSheet(
        QStringLiteral("QFrame#serverError { background-color: %1; border: 1px solid %2; border-radius: 4px; }"
                       "QFrame#serverError QLabel { color: %3; background: transparent; border: none; }")
            .arg(tint.name(), border.name(), pal.color(QPalette::Text).name()));
}

void ServerPanel::updateMessageColumn()
{
    // As the connection log: the column takes room only once there is something to read in it.
    m_logView->setColumnHidden(ServerLogModel::MessageColumn, !m_log->hasDecodedRows());
    fitMessageColumn();
}

void ServerPanel::fitMessageColumn()
{
    if (m_logView->isColumnHidden(ServerLogModel::MessageColumn))
        return;
    // As the connection log's: it takes what the other columns leave, down to a readable minimum,
    // so that the preview of the raw bytes stays in sight beside it.
    const QFontMetrics fm = m_logView->fontMetrics();
    int others = 0;
    for (int column = 0; column < ServerLogModel::PreviewColumn; ++column)
        if (column != ServerLogModel::MessageColumn && !m_logView->isColumnHidden(column))
            others += m_logView->columnWidth(column);
    const int preview = fm.horizontalAdvance(QLatin1Char('x')) * 24;
    const int least = fm.horizontalAdvance(QLatin1Char('x')) * 18;
    const int room = m_logView->viewport()->width() - others - preview;
    m_logView->setColumnWidth(ServerLogModel::MessageColumn, std::clamp(room, least, qMax(least, m_messageWidth)));
}

bool ServerPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_logView && event->type() == QEvent::Resize)
        fitMessageColumn();
    return QWidget::eventFilter(watched, event);
}

void ServerPanel::updateClientsTitle()
{
    const int count = m_clients ? m_clients->rowCount() : 0;
    m_clientsTitle->setText(tr("&Clients (%1)").arg(count));
}

void ServerPanel::showSelectedHandshake()
{
    const QModelIndexList rows = m_clientsView->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        m_handshakeTitle->setText(tr("Handshake request"));
        m_handshake->clear();
        return;
    }
    const QModelIndex index = rows.first();
    const QByteArray request = index.data(ServerClientsModel::HandshakeRequestRole).toByteArray();
    const QString peer = m_clients->index(index.row(), ServerClientsModel::PeerColumn).data().toString();
    m_handshakeTitle->setText(tr("Handshake request of #%1 from %2 \u2014 %3 bytes")
                                  .arg(index.data(ServerClientsModel::ClientIdRole).toUInt())
                                  .arg(peer)
                                  .arg(request.size()));
    m_handshake->setPlainText(DisplayText::fromPeer(request, { DisplayText::Lines::Http, -1, false }));
}

QWidget *ServerPanel::buildBehaviourSection()
{
    auto *section = new QWidget(this);
    section->setObjectName(QStringLiteral("behaviourSection"));

    // Header: a disclosure button and, while collapsed, what is in effect.
    m_behaviourToggle = new QToolButton(section);
    m_behaviourToggle->setObjectName(QStringLiteral("behaviourToggle"));
    m_behaviourToggle->setText(tr("&Behaviour"));
    // Not checkable: a checked tool button draws pressed, which a disclosure triangle should not.
    m_behaviourToggle->setAutoRaise(true);
    m_behaviourToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_behaviourToggle->setArrowType(Qt::RightArrow);
    m_behaviourToggle->setToolTip(tr("How the server answers: delays, fragments, pings, closing, "
                                     "refusing handshakes, limits"));
    m_behaviourSummary = new QLabel(section);
    m_behaviourSummary->setObjectName(QStringLiteral("behaviourSummary"));
    m_behaviourSummary->setTextFormat(Qt::PlainText);
    // Elided by the layout rather than widening the dock: the full text is in the tooltip.
    m_behaviourSummary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(m_behaviourToggle);
    header->addWidget(m_behaviourSummary, 1);

    m_behaviourBox = new QFrame(section);
    m_behaviourBox->setObjectName(QStringLiteral("behaviourBox"));
    m_behaviourBox->setVisible(false);

    auto spin = [this](const char *name, int min, int max, const QString &suffix, const QString &special) {
        auto *box = new QSpinBox(m_behaviourBox);
        box->setObjectName(QString::fromLatin1(name));
        box->setRange(min, max);
        box->setSuffix(suffix);
        if (!special.isEmpty())
            box->setSpecialValueText(special);
        box->setAccelerated(true);
        box->setKeyboardTracking(false); // apply the number typed, not every digit on the way
        return box;
    };
    m_replyDelay = spin("replyDelay", 0, ServerBehaviour::MaxReplyDelayMs, tr(" ms"), tr("none"));
    m_replyDelay->setSingleStep(100);
    m_replyDelay->setToolTip(tr("Wait this long before each echo or broadcast"));
    m_fragmentSize = spin("fragmentSize", 0, int(ServerBehaviour::MaxFragmentSize), tr(" B"), tr("off"));
    m_fragmentSize->setToolTip(tr("Split each reply into frames of this many payload bytes (text, then "
                                  "continuation frames). Off: Qt's own 512 KiB frames"));
    m_pingInterval = new QDoubleSpinBox(m_behaviourBox);
    m_pingInterval->setObjectName(QStringLiteral("pingInterval"));
    m_pingInterval->setRange(0, ServerBehaviour::MaxPingIntervalMs / 1000.0);
    m_pingInterval->setDecimals(1); // 0.1 s, the shortest interval allowed
    m_pingInterval->setSingleStep(0.5);
    m_pingInterval->setSuffix(tr(" s"));
    m_pingInterval->setSpecialValueText(tr("never"));
    m_pingInterval->setKeyboardTracking(false);
    m_pingInterval->setToolTip(tr("Ping every client this often; the payloads count up: \"1\", \"2\", ..."));
    m_maxClients = spin("maxClients", 0, ServerBehaviour::MaxClientsLimit, QString(), tr("no limit"));
    m_maxClients->setToolTip(tr("Clients allowed at once. Further handshakes get 503 Service "
                                "Unavailable: the server is busy, not the client at fault, and may be "
                                "tried again later"));
    m_maxMessageSize = spin("maxMessageSize", 1, int(ServerBehaviour::MaxMessageSizeLimit), tr(" B"), {});
    m_maxMessageSize->setToolTip(tr("Largest frame or message accepted; Qt closes the connection with "
                                    "1009 Message Too Big when one is larger"));
    m_closeAfter = spin("closeAfter", 0, std::numeric_limits<int>::max(), QString(), tr("never"));
    m_closeAfter->setToolTip(tr("After answering this many messages of a client, close it with the code "
                                "and reason"));
    m_closeCode = spin("closeCode", 1000, 4999, QString(), {});
    m_closeCode->setToolTip(tr("Close code: 1000-1003, 1007-1014 or 3000-4999"));
    m_closeReason = new QLineEdit(m_behaviourBox);
    m_closeReason->setObjectName(QStringLiteral("closeReason"));
    m_closeReason->setPlaceholderText(tr("reason (optional)"));
    m_closeReason->setToolTip(tr("Close reason, at most 123 bytes in UTF-8"));

    m_rejectStatus = new QComboBox(m_behaviourBox);
    m_rejectStatus->setObjectName(QStringLiteral("rejectStatus"));
    m_rejectStatus->setEditable(true);
    m_rejectStatus->setInsertPolicy(QComboBox::NoInsert);
    m_rejectStatus->addItem(tr("No: accept handshakes"), 0);
    const QList<int> statuses = ServerBehaviour::commonRejectStatuses();
    for (const int status : statuses)
        m_rejectStatus->addItem(
            QStringLiteral("%1 %2").arg(status).arg(QString::fromLatin1(ServerBehaviour::reasonPhrase(status))),
            status);
    m_rejectStatus->setToolTip(tr("Answer every handshake with this HTTP status instead of 101 (type any "
                                  "400-599)"));

    m_subprotocols = new QLineEdit(m_behaviourBox);
    m_subprotocols->setObjectName(QStringLiteral("subprotocols"));
    m_subprotocols->setPlaceholderText(tr("any client; none selected"));
    m_subprotocols->setToolTip(tr("Accepted subprotocols, comma-separated. A client must offer one; the "
                                  "first it offers that is listed is selected. Otherwise: 400 Bad Request"));
    m_allowedOrigins = new QLineEdit(m_behaviourBox);
    m_allowedOrigins->setObjectName(QStringLiteral("allowedOrigins"));
    m_allowedOrigins->setPlaceholderText(tr("any Origin, or none"));
    m_allowedOrigins->setToolTip(tr("Allowed Origin headers, comma-separated, e.g. https://example.org. "
                                    "Any other Origin, or none, gets 403 Forbidden"));

    m_behaviourError = new QLabel(m_behaviourBox);
    m_behaviourError->setObjectName(QStringLiteral("behaviourError"));
    m_behaviourError->setTextFormat(Qt::PlainText);
    m_behaviourError->setWordWrap(true);
    m_behaviourError->hide();

    auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, m_behaviourBox);
        l->setBuddy(buddy);
        return l;
    };
    // Two columns of short numbers, then the rows that take text across the width: it stays about
    // as narrow as the listening controls above.
    auto *grid = new QGridLayout(m_behaviourBox);
    grid->setContentsMargins(8, 0, 0, 0);
    grid->addWidget(label(tr("&Delay:"), m_replyDelay), 0, 0);
    grid->addWidget(m_replyDelay, 0, 1);
    grid->addWidget(label(tr("&Fragments:"), m_fragmentSize), 0, 2);
    grid->addWidget(m_fragmentSize, 0, 3);
    grid->addWidget(label(tr("&Ping every:"), m_pingInterval), 1, 0);
    grid->addWidget(m_pingInterval, 1, 1);
    grid->addWidget(label(tr("Max cli&ents:"), m_maxClients), 1, 2);
    grid->addWidget(m_maxClients, 1, 3);
    grid->addWidget(label(tr("Close &after:"), m_closeAfter), 2, 0);
    grid->addWidget(m_closeAfter, 2, 1);
    grid->addWidget(label(tr("with c&ode:"), m_closeCode), 2, 2);
    grid->addWidget(m_closeCode, 2, 3);
    grid->addWidget(label(tr("Close r&eason:"), m_closeReason), 3, 0);
    grid->addWidget(m_closeReason, 3, 1, 1, 3);
    grid->addWidget(label(tr("Max message:"), m_maxMessageSize), 4, 0);
    grid->addWidget(m_maxMessageSize, 4, 1, 1, 3);
    grid->addWidget(label(tr("&Reject with:"), m_rejectStatus), 5, 0);
    grid->addWidget(m_rejectStatus, 5, 1, 1, 3);
    grid->addWidget(label(tr("Subprotocols:"), m_subprotocols), 6, 0);
    grid->addWidget(m_subprotocols, 6, 1, 1, 3);
    grid->addWidget(label(tr("Origins:"), m_allowedOrigins), 7, 0);
    grid->addWidget(m_allowedOrigins, 7, 1, 1, 3);
    grid->addWidget(m_behaviourError, 8, 0, 1, 4);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);

    auto *layout = new QVBoxLayout(section);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_behaviourBox);

    connect(
        m_behaviourToggle, &QToolButton::clicked, this, [this] { setBehaviourExpanded(m_behaviourBox->isHidden()); });
    for (QSpinBox *box : { m_replyDelay, m_fragmentSize, m_maxClients, m_maxMessageSize, m_closeAfter, m_closeCode })
        connect(box, &QSpinBox::valueChanged, this, &ServerPanel::applyBehaviour);
    connect(m_pingInterval, &QDoubleSpinBox::valueChanged, this, &ServerPanel::applyBehaviour);
    connect(m_closeReason, &QLineEdit::textChanged, this, &ServerPanel::applyBehaviour);
    // Typed text (a status, or a list) applies when editing pauses (Enter or leaving the field), not
    // at every half-typed number or name.
    connect(m_rejectStatus, &QComboBox::currentIndexChanged, this, &ServerPanel::applyBehaviour);
    connect(m_rejectStatus->lineEdit(), &QLineEdit::editingFinished, this, &ServerPanel::applyBehaviour);
    connect(m_subprotocols, &QLineEdit::editingFinished, this, &ServerPanel::applyBehaviour);
    connect(m_allowedOrigins, &QLineEdit::editingFinished, this, &ServerPanel::applyBehaviour);
    return section;
}

ServerBehaviour ServerPanel::behaviourFromFields(QString *problem) const
{
    ServerBehaviour b;
    b.replyDelayMs = m_replyDelay->value();
    b.fragmentSize = m_fragmentSize->value();
    b.pingIntervalMs = int(std::lround(m_pingInterval->value() * 1000));
    b.maxClients = m_maxClients->value();
    b.maxMessageSize = quint64(m_maxMessageSize->value());
    b.closeAfterMessages = m_closeAfter->value();
    b.closeCode = quint16(m_closeCode->value());
    b.closeReason = m_closeReason->text();
    b.subprotocols = ServerBehaviour::splitList(m_subprotocols->text());
    b.allowedOrigins = ServerBehaviour::splitList(m_allowedOrigins->text());

    QString statusProblem;
    const QString statusText = m_rejectStatus->currentText().trimmed();
    const int item = m_rejectStatus->findText(statusText);
    if (item >= 0) {
        b.rejectStatus = m_rejectStatus->itemData(item).toInt();
    } else {
        // Typed: "418", or "418 I'm a teapot" with a phrase of one's own (the standard one is sent).
        static const QRegularExpression leadingNumber(QStringLiteral("^(\\d{1,3})(\\s.*)?$"));
        const QRegularExpressionMatch match = leadingNumber.match(statusText);
        if (match.hasMatch())
            b.rejectStatus = match.captured(1).toInt();
        else
            statusProblem = tr("reject status: \"%1\" is not an HTTP status (400-599)").arg(statusText);
    }

    if (problem) {
        const QList<ServerBehaviour::Problem> problems = b.problems();
        if (!statusProblem.isEmpty())
            *problem = statusProblem;
        else if (!problems.isEmpty())
            *problem = ServerBehaviour::settingName(problems.first().setting) + QStringLiteral(": ")
                + problems.first().message;
        else
            problem->clear();
    }
    return b;
}

void ServerPanel::setBehaviour(const ServerBehaviour &behaviour)
{
    showBehaviourInFields(behaviour);
    applyBehaviour();
}

void ServerPanel::setBehaviourExpanded(bool expanded)
{
    m_behaviourToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_behaviourBox->setVisible(expanded);
}

bool ServerPanel::isBehaviourExpanded() const
{
    return !m_behaviourBox->isHidden();
}

QString ServerPanel::behaviourError() const
{
    return m_behaviourError->isHidden() ? QString() : m_behaviourError->text();
}

void ServerPanel::showBehaviourInFields(const ServerBehaviour &behaviour)
{
    m_loadingBehaviour = true;
    m_replyDelay->setValue(behaviour.replyDelayMs);
    m_fragmentSize->setValue(int(behaviour.fragmentSize));
    m_pingInterval->setValue(behaviour.pingIntervalMs / 1000.0);
    m_maxClients->setValue(behaviour.maxClients);
    m_maxMessageSize->setValue(int(qMin<quint64>(behaviour.maxMessageSize, ServerBehaviour::MaxMessageSizeLimit)));
    m_closeAfter->setValue(behaviour.closeAfterMessages);
    m_closeCode->setValue(behaviour.closeCode);
    m_closeReason->setText(behaviour.closeReason);
    const int item = m_rejectStatus->findData(behaviour.rejectStatus);
    if (item >= 0)
        m_rejectStatus->setCurrentIndex(item);
    else
        m_rejectStatus->setEditText(
            QStringLiteral("%1 %2")
                .arg(behaviour.rejectStatus)
                .arg(QString::fromLatin1(ServerBehaviour::reasonPhrase(behaviour.rejectStatus))));
    m_subprotocols->setText(behaviour.subprotocols.join(QStringLiteral(", ")));
    m_allowedOrigins->setText(behaviour.allowedOrigins.join(QStringLiteral(", ")));
    m_loadingBehaviour = false;
}

void ServerPanel::applyBehaviour()
{
    if (m_loadingBehaviour)
        return;
    QString problem;
    const ServerBehaviour behaviour = behaviourFromFields(&problem);
    showBehaviourError(problem);
    if (problem.isEmpty() && m_server && !(m_server->behaviour() == behaviour)) {
        m_server->setBehaviour(behaviour);
        Q_EMIT behaviourChanged(behaviour);
    }
    updateBehaviourSummary();
}

void ServerPanel::showBehaviourError(const QString &error)
{
    m_behaviourError->setText(error.isEmpty() ? QString() : tr("Not applied: %1").arg(error));
    m_behaviourError->setVisible(!error.isEmpty());
    if (error.isEmpty())
        return;
    QPalette pal = m_behaviourError->palette();
    pal.setColor(QPalette::WindowText, mix(palette().color(QPalette::Text), QColor(0xd3, 0x2f, 0x2f), 0.8));
    m_behaviourError->setPalette(pal);
}

void ServerPanel::updateBehaviourSummary()
{
    const QString text = m_server ? m_server->behaviour().toString() : QString();
    const bool pending = !m_behaviourError->isHidden();
    // The warning first: the summary is elided at the right in a narrow dock.
    const QString shown = pending ? tr("edit not applied; in effect: %1").arg(text) : text;
    m_behaviourSummary->setToolTip(shown);
    m_behaviourSummary->setText(
        m_behaviourSummary->fontMetrics().elidedText(shown, Qt::ElideRight, qMax(40, m_behaviourSummary->width())));
}

void ServerPanel::updateEngineNote()
{
    const bool qt = EmbeddedServer::Engine(m_engine->currentData().toInt()) == EmbeddedServer::Engine::Qt;
    m_engineNote->setText(qt
            ? tr("Qt's QWebSocketServer, watched on the wire: no permessage-deflate, so messages to and from it are "
                 "never compressed.")
            : tr("The inspector's engine: strict (every violation closes with its code) and permessage-deflate."));
    if (m_server && m_server->isListening() && !m_server->clients().isEmpty())
        m_engineNote->setText(m_engineNote->text() + QLatin1Char(' ') + tr("Clients already connected keep theirs."));
}
