#include "inspect/messagelogview.h"

#include "log/messagelogfilter.h"
#include "log/messagelogmodel.h"
#include "inspect/messagelogdelegate.h"
#include "protocol/frame.h"
#include "text/displaytext.h"

#include <QActionGroup>
#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
// Type names as MessageLogModel::typeName() gives them; reserved opcodes are one menu entry.
const char *const FilterTypes[] = { "text", "binary", "continuation", "ping", "pong", "close",
                                    "handshake", "violation", "state", "tls", "error", "reserved", "api",
                                    "intercept" };
}

MessageLogView::MessageLogView(QWidget *parent)
    : QWidget(parent)
    , m_filter(new MessageLogFilter(this))
    , m_table(new QTableView(this))
{
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    m_showIn = new QCheckBox(tr("\u2193 In"), this);
    m_showOut = new QCheckBox(tr("\u2191 Out"), this);
    m_showLocal = new QCheckBox(tr("\u2022 Local"), this);
    for (QCheckBox *box : { m_showIn, m_showOut, m_showLocal }) {
        box->setChecked(true);
        bar->addWidget(box);
        connect(box, &QCheckBox::toggled, this, [this] {
            m_filter->setDirectionVisible(int(Direction::Incoming), m_showIn->isChecked());
            m_filter->setDirectionVisible(int(Direction::Outgoing), m_showOut->isChecked());
            m_filter->setDirectionVisible(int(Direction::Local), m_showLocal->isChecked());
            updateCountLabel();
        });
    }
    m_showIn->setToolTip(tr("Show what the server sent"));
    m_showOut->setToolTip(tr("Show what this client sent"));
    m_showLocal->setToolTip(tr("Show state changes, TLS details and local errors"));

    m_typeMenu = new QMenu(this);
    for (const char *type : FilterTypes) {
        QAction *action = m_typeMenu->addAction(QString::fromLatin1(type));
        action->setData(QString::fromLatin1(type)); // the filter's key; the text may be translated
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, &MessageLogView::updateTypeFilter);
    }
    m_typeButton = new QToolButton(this);
    m_typeButton->setText(tr("Types: all"));
    m_typeButton->setMenu(m_typeMenu);
    m_typeButton->setPopupMode(QToolButton::InstantPopup);
    m_typeButton->setToolTip(tr("Show only some kinds of rows"));
    bar->addWidget(m_typeButton);

    // Which protocol on top the Message column and the Payload's protocol tab read the messages
    // as: found by itself (the subprotocol, the URL, the first messages), none, or one by hand.
    m_decodeMenu = new QMenu(this);
    auto *choices = new QActionGroup(m_decodeMenu);
    auto addChoice = [&](const QString &text, const QString &key) {
        QAction *action = m_decodeMenu->addAction(text);
        action->setData(key);
        action->setCheckable(true);
        choices->addAction(action);
        return action;
    };
    addChoice(tr("Automatic"), QStringLiteral("auto"))->setChecked(true);
    addChoice(tr("None"), QStringLiteral("none"));
    m_decodeMenu->addSeparator();
    for (const Decode::Protocol protocol : Decode::allProtocols())
        addChoice(Decode::protocolName(protocol), Decode::protocolId(protocol));
    connect(choices, &QActionGroup::triggered, this, &MessageLogView::chooseDecoding);
    m_decodeButton = new QToolButton(this);
    m_decodeButton->setObjectName(QStringLiteral("decodeButton"));
    m_decodeButton->setMenu(m_decodeMenu);
    m_decodeButton->setPopupMode(QToolButton::InstantPopup);
    bar->addWidget(m_decodeButton);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search whole payloads (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("logSearch"));
    // It stretches into what the bar has left; its minimum is kept small because the bar's minimum
    // is part of the window's, which must fit a 1366x768 screen beside the docks.
    m_search->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 14);
    bar->addWidget(m_search, 1);
    m_regex = new QCheckBox(tr("Regex"), this);
    m_regex->setToolTip(tr("Treat the search as a regular expression (case-insensitive)"));
    bar->addWidget(m_regex);
    // Typing restarts a short wait; the search runs when the typist pauses (or presses Enter), not
    // on every keystroke over the whole log.
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(SearchDelayMs);
    connect(&m_searchDelay, &QTimer::timeout, this, &MessageLogView::applySearch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &MessageLogView::applySearch);
    connect(m_regex, &QCheckBox::toggled, this, &MessageLogView::applySearch);
    connect(m_filter, &MessageLogFilter::searchProgressed, this, &MessageLogView::updateCountLabel);
    connect(m_filter, &MessageLogFilter::searchFinished, this, &MessageLogView::updateCountLabel);

    m_pause = new QToolButton(this);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Keep capturing but stop scrolling to new rows"));
    connect(m_pause, &QToolButton::toggled, this, &MessageLogView::setPaused);
    bar->addWidget(m_pause);
    auto *clear = new QToolButton(this);
    clear->setText(tr("Clear"));
    clear->setToolTip(tr("Forget this connection's log"));
    connect(clear, &QToolButton::clicked, this, [this] {
        if (m_model)
            m_model->clear();
        Q_EMIT clearRequested();
    });
    bar->addWidget(clear);

    m_searchError = new QLabel(this);
    m_searchError->setTextFormat(Qt::PlainText);
    m_searchError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_searchError->hide();
    m_count = new QLabel(this);
    m_count->setTextFormat(Qt::PlainText);

    m_table->setModel(m_filter);
    m_table->setItemDelegate(new MessageLogDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(false);
    m_table->setTextElideMode(Qt::ElideRight);
    // Fixed row heights and no per-row sizing: a log of millions of rows stays cheap to lay out.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    // Right-click the header to choose columns; until the user does, a narrow log drops Delta and
    // Flags so that the preview stays in sight (the Frame and Diagram tabs show the flags anyway).
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &MessageLogView::showColumnMenu);
    m_table->installEventFilter(this);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                Q_EMIT eventSelected(current.isValid() ? m_filter->mapToSource(current).row() : -1);
            });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &MessageLogView::onRowsInserted);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &MessageLogView::updateCountLabel);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MessageLogView::updateCountLabel);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageLogView::onScrolled);
    // New rows grow the range after layout; follow them there, while following.
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_following && !m_paused) {
            m_autoScrolling = true;
            m_table->verticalScrollBar()->setValue(max);
            m_autoScrolling = false;
        }
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_searchError);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_count);
    updateCountLabel();
    updateDecoding(); // the Decode button says something before any connection is shown
}

MessageLogView::~MessageLogView()
{
    // The table outlives this part of the object while QWidget deletes children; its scroll bar and
    // the proxy must not call back into a half-destroyed view.
    m_table->verticalScrollBar()->disconnect(this);
    m_filter->disconnect(this);
    m_table->selectionModel()->disconnect(this);
}

void MessageLogView::showColumnMenu(const QPoint &pos)
{
    QMenu menu(this);
    for (int column = 0; column < MessageLogModel::PreviewColumn; ++column) {
        const QString title = m_filter->headerData(column, Qt::Horizontal).toString();
        QAction *action = menu.addAction(title == QLatin1String("#") ? tr("# (index)") : title);
        action->setCheckable(true);
        action->setChecked(!m_table->isColumnHidden(column));
        connect(action, &QAction::toggled, this, [this, column](bool shown) {
            m_columnsChosen = true;
            m_table->setColumnHidden(column, !shown);
        });
    }
    menu.addSeparator();
    menu.addAction(tr("Fit Columns to the Width"), this, [this] {
        m_columnsChosen = false;
        fitColumns();
    });
    menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
}

void MessageLogView::fitColumns()
{
    if (m_columnsChosen)
        return;
    // The columns before the preview at their sample widths, then room for a useful preview.
    const int preview = fontMetrics().horizontalAdvance(QLatin1Char('x')) * 24;
    int fixed = 0;
    for (const int width : std::as_const(m_columnWidths))
        fixed += width; // a hidden column reports width 0: count the width it has when shown
    const bool narrow = fixed + preview > m_table->width();
    m_table->setColumnHidden(MessageLogModel::DeltaColumn, narrow);
    m_table->setColumnHidden(MessageLogModel::FlagsColumn, narrow);
    // The Message column (a protocol on top) takes what the others leave, down to a readable
    // minimum, so that the preview of the raw bytes stays in sight beside it.
    if (!m_table->isColumnHidden(MessageLogModel::MessageColumn)) {
        int others = 0;
        for (int column = 0; column < MessageLogModel::PreviewColumn; ++column)
            if (column != MessageLogModel::MessageColumn && !m_table->isColumnHidden(column))
                others += m_table->columnWidth(column);
        const int wanted = m_columnWidths.value(MessageLogModel::MessageColumn);
        const int least = fontMetrics().horizontalAdvance(QLatin1Char('x')) * 18;
        const int room = m_table->viewport()->width() - others - preview;
        m_table->setColumnWidth(MessageLogModel::MessageColumn, std::clamp(room, least, qMax(least, wanted)));
    }
}

bool MessageLogView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

void MessageLogView::setLogModel(MessageLogModel *model)
{
    // Switching connections recreates the columns; keep whatever widths the user chose.
    QList<int> widths;
    if (m_table->horizontalHeader()->count() == MessageLogModel::ColumnCount)
        for (int column = 0; column < MessageLogModel::PreviewColumn; ++column)
            widths << (m_table->isColumnHidden(column) ? m_columnWidths.value(column) : m_table->columnWidth(column));
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    m_filter->setSourceModel(model);
    if (m_model)
        connect(m_model, &MessageLogModel::decodingReset, this, &MessageLogView::updateDecoding);
    if (widths.isEmpty()) {
        // Widths from samples of each column's widest usual content, so the preview keeps the rest.
        const QFontMetrics metrics = fontMetrics();
        const char *const samples[] = { "99999", "00:00:00.0000000", "+999.999 ms", "server \u2191", "continuation",
                                        "FIN RSV1 MASK", "9999 → 65536", // compressed: wire → inflated
                                        "Socket.IO event \"chat message\" [\"hi\"] ack 12" };
        for (const char *sample : samples)
            widths << metrics.horizontalAdvance(QString::fromUtf8(sample)) + 24;
    }
    for (int column = 0; column < widths.size() && column < m_table->horizontalHeader()->count(); ++column)
        m_table->setColumnWidth(column, widths[column]);
    m_columnWidths = widths;
    updateDecoding();
    fitColumns();
    m_following = true;
    updateCountLabel();
    if (!m_paused)
        m_table->scrollToBottom();
}

qsizetype MessageLogView::selectedEvent() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? m_filter->mapToSource(current).row() : -1;
}

void MessageLogView::selectEvent(qsizetype captureIndex)
{
    if (!m_model)
        return;
    m_model->flushPending();
    const QModelIndex proxy = m_filter->mapFromSource(m_model->index(int(captureIndex), 0));
    if (!proxy.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(proxy);
}

void MessageLogView::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void MessageLogView::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused) {
        m_following = true;
        m_table->scrollToBottom();
    }
}

void MessageLogView::onRowsInserted()
{
    updateCountLabel();
}

void MessageLogView::onScrolled(int value)
{
    if (m_autoScrolling)
        return;
    // The user moved: follow new rows only while they sit at the bottom.
    m_following = value >= m_table->verticalScrollBar()->maximum();
}

void MessageLogView::applySearch()
{
    m_searchDelay.stop();
    const auto mode = m_regex->isChecked() ? MessageLogFilter::SearchMode::RegularExpression
                                           : MessageLogFilter::SearchMode::PlainText;
    if (m_filter->setSearch(m_search->text(), mode)) {
        m_searchError->hide();
    } else {
        m_searchError->setText(m_filter->searchError());
        m_searchError->show();
    }
    updateCountLabel();
}

void MessageLogView::updateTypeFilter()
{
    QSet<QString> types;
    bool all = true;
    const QList<QAction *> actions = m_typeMenu->actions();
    for (QAction *action : actions) {
        if (!action->isChecked()) {
            all = false;
            continue;
        }
        const QString key = action->data().toString();
        if (key == QLatin1String("reserved")) {
            for (int opcode = 0; opcode < 16; ++opcode)
                if (Opcode::isReserved(quint8(opcode)))
                    types.insert(Opcode::name(quint8(opcode)));
        } else {
            types.insert(key);
        }
    }
    // An empty set means "everything" to the filter; with nothing ticked, show nothing.
    if (types.isEmpty())
        types.insert(QStringLiteral("(none)"));
    m_filter->setVisibleTypes(all ? QSet<QString>() : types);
    m_typeButton->setText(all ? tr("Types: all") : tr("Types: some"));
    updateCountLabel();
}

void MessageLogView::updateDecoding()
{
    const ProtocolDecoding *decoding = m_model ? m_model->decoding() : nullptr;
    m_decodeButton->setEnabled(decoding);
    const Decode::Protocol active = decoding ? decoding->activeProtocol() : Decode::Protocol::None;
    const ProtocolDecoding::Choice choice = decoding ? decoding->choice() : ProtocolDecoding::Choice::autoDetect();
    const QString key = choice.automatic ? QStringLiteral("auto") : Decode::protocolId(choice.protocol);
    const QList<QAction *> actions = m_decodeMenu->actions();
    for (QAction *action : actions)
        if (action->isCheckable())
            action->setChecked(action->data().toString() == key);
    // "Decode: Socket.IO" once something is decoded; "Decode: auto" while it still looks.
    const QString text = active != Decode::Protocol::None ? tr("Decode: %1").arg(Decode::protocolName(active))
                         : choice.automatic                 ? tr("Decode: auto")
                                                            : tr("Decode: none");
    // A long protocol name (graphql-transport-ws) must not widen the log's bar, and with it the
    // window's minimum width; the tool tip below names it in full.
    const QFontMetrics metrics = m_decodeButton->fontMetrics();
    m_decodeButton->setText(metrics.elidedText(text, Qt::ElideRight, metrics.horizontalAdvance(tr("Decode: JSON-RPC"))));
    QString why;
    if (decoding) {
        for (const Leg leg : { Leg::None, Leg::App, Leg::Server }) {
            if (!decoding->reason(leg).isEmpty()) {
                why = decoding->reason(leg); // our words around peer text already in display form
                break;
            }
        }
    }
    m_decodeButton->setToolTip(DisplayText::toolTip(
        why.isEmpty()                          ? tr("Read the messages as a protocol on top of WebSocket (Socket.IO, STOMP, MQTT, …)")
            : active != Decode::Protocol::None ? tr("Messages read as %1 (%2)").arg(Decode::protocolName(active), why)
                                               : tr("Not decoded: %1").arg(why)));
    if (!m_columnsChosen) {
        m_table->setColumnHidden(MessageLogModel::MessageColumn, active == Decode::Protocol::None);
        fitColumns();
    }
}

void MessageLogView::chooseDecoding(QAction *action)
{
    ProtocolDecoding *decoding = m_model ? m_model->decoding() : nullptr;
    if (!decoding)
        return;
    const QString key = action->data().toString();
    if (key == QLatin1String("auto"))
        decoding->setChoice(ProtocolDecoding::Choice::autoDetect());
    else if (const auto protocol = Decode::protocolFromId(key))
        decoding->setChoice(ProtocolDecoding::Choice::fixed(*protocol));
    updateDecoding();
}

void MessageLogView::updateCountLabel()
{
    const int total = m_model ? m_model->rowCount() : 0;
    const int shown = m_filter->rowCount();
    if (m_filter->isSearching()) {
        m_count->setText(tr("Searching %L1 events… %2%").arg(total).arg(m_filter->searchProgress()));
        return;
    }
    m_count->setText(shown == total ? tr("%L1 events").arg(total) : tr("%L1 of %L2 events shown").arg(shown).arg(total));
}
