#include "send/interceptpane.h"

#include "intercept/heldmessagesmodel.h"
#include "net/clientsession.h"
#include "send/composerinput.h"
#include "text/displaytext.h"
#include "text/jsontext.h"
#include "text/utf8validator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace {
enum EditAs { AsText, AsJson, AsHex };
enum InjectType { InjectText, InjectBinaryHex };
} // namespace

InterceptPane::InterceptPane(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_toServer(new QCheckBox(tr("To the &server"), this))
    , m_toApp(new QCheckBox(tr("To the a&pplication"), this))
    , m_control(new QCheckBox(tr("Control frames"), this))
    , m_perFrame(new QCheckBox(tr("Each frame"), this))
    , m_list(new QTableView(this))
    , m_editAs(new QComboBox(this))
    , m_editor(new QPlainTextEdit(this))
    , m_forward(new QPushButton(tr("&Forward"), this))
    , m_drop(new QPushButton(tr("D&rop"), this))
    , m_forwardAll(new QPushButton(tr("Forward &all"), this))
    , m_injectToward(new QComboBox(this))
    , m_injectType(new QComboBox(this))
    , m_injectText(new QLineEdit(this))
    , m_inject(new QPushButton(tr("&Inject"), this))
{
    m_status->setObjectName(QStringLiteral("interceptStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_toServer->setObjectName(QStringLiteral("interceptToServer"));
    m_toApp->setObjectName(QStringLiteral("interceptToApp"));
    m_control->setObjectName(QStringLiteral("interceptControl"));
    m_toServer->setToolTip(tr("Hold each message the application sends until you forward or drop it"));
    m_toApp->setToolTip(tr("Hold each message the server sends until you forward or drop it"));
    m_control->setToolTip(tr("Hold pings, pongs and close frames too (otherwise they pass at once)"));
    m_perFrame->setObjectName(QStringLiteral("interceptPerFrame"));
    m_perFrame->setToolTip(tr("Hold each frame of a fragmented message on its own, instead of whole messages "
                              "(rules then apply to no held frame)"));

    m_list->setObjectName(QStringLiteral("heldMessages"));
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->setWordWrap(false);
    m_list->setMinimumHeight(90);

    m_editAs->addItem(tr("Text"), AsText);
    m_editAs->addItem(tr("JSON"), AsJson);
    m_editAs->addItem(tr("Hex"), AsHex);
    m_editAs->setToolTip(tr("Edit the held message as UTF-8 text, as JSON (indented to read; forwarded compact, "
                            "members in their order) or as hex bytes"));
    m_editor->setObjectName(QStringLiteral("heldEditor"));
    m_editAs->setObjectName(QStringLiteral("heldEditAs"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("Select a held message to see and edit it"));
    m_editor->setMinimumHeight(60);
    m_forward->setObjectName(QStringLiteral("forwardHeld"));
    m_forward->setToolTip(tr("Send the selected message on, as edited here"));
    m_drop->setObjectName(QStringLiteral("dropHeld"));
    m_drop->setToolTip(tr("Never deliver the selected message; the log keeps it as dropped"));
    m_forwardAll->setObjectName(QStringLiteral("forwardAllHeld"));

    m_injectToward->addItem(tr("to the server"), int(Leg::Server));
    m_injectToward->addItem(tr("to the application"), int(Leg::App));
    m_injectType->addItem(tr("text"), InjectText);
    m_injectType->addItem(tr("binary (hex)"), InjectBinaryHex);
    m_injectToward->setObjectName(QStringLiteral("injectToward"));
    m_injectType->setObjectName(QStringLiteral("injectType"));
    m_injectText->setObjectName(QStringLiteral("injectText"));
    m_injectText->setPlaceholderText(tr("a message of your own"));
    m_inject->setObjectName(QStringLiteral("inject"));
    m_inject->setToolTip(tr("Send this message into the connection now, between messages"));

    auto *switches = new QHBoxLayout;
    switches->addWidget(new QLabel(tr("Hold:"), this));
    switches->addWidget(m_toServer);
    switches->addWidget(m_toApp);
    switches->addWidget(m_control);
    switches->addWidget(m_perFrame);
    switches->addStretch();
    auto *editRow = new QHBoxLayout;
    editRow->addWidget(new QLabel(tr("Edit as:"), this));
    editRow->addWidget(m_editAs);
    editRow->addStretch();
    editRow->addWidget(m_forward);
    editRow->addWidget(m_drop);
    editRow->addWidget(m_forwardAll);
    auto *injectRow = new QHBoxLayout;
    injectRow->addWidget(new QLabel(tr("Inject"), this));
    injectRow->addWidget(m_injectType);
    injectRow->addWidget(m_injectToward);
    injectRow->addWidget(m_injectText, 1);
    injectRow->addWidget(m_inject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addLayout(switches);
    layout->addWidget(m_list, 2);
    layout->addLayout(editRow);
    layout->addWidget(m_editor, 1);
    layout->addLayout(injectRow);

    for (QCheckBox *box : { m_toServer, m_toApp, m_control, m_perFrame })
        connect(box, &QCheckBox::toggled, this, &InterceptPane::applySwitches);
    connect(m_forward, &QPushButton::clicked, this, &InterceptPane::forwardSelected);
    connect(m_drop, &QPushButton::clicked, this, &InterceptPane::dropSelected);
    connect(m_forwardAll, &QPushButton::clicked, this, &InterceptPane::forwardAll);
    connect(m_inject, &QPushButton::clicked, this, &InterceptPane::injectMessage);
    connect(m_injectText, &QLineEdit::returnPressed, this, &InterceptPane::injectMessage);
    connect(m_editAs, &QComboBox::currentIndexChanged, this, &InterceptPane::showSelected);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] { m_edited = true; });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_session)
            m_session->heldMessages()->refreshHeldTimes();
    });
    setSession(nullptr);
}

void InterceptPane::setSession(ClientSession *session)
{
    if (m_session) {
        m_session->disconnect(this);
        m_session->heldMessages()->disconnect(this);
    }
    QItemSelectionModel *oldSelection = m_list->selectionModel();
    m_session = session;
    m_list->setModel(session ? session->heldMessages() : nullptr);
    delete oldSelection; // setModel() made a new one
    m_shownHold = { Leg::None, 0 };
    if (session) {
        HeldMessagesModel *model = session->heldMessages();
        auto selectFirst = [this] {
            if (selectedRow() < 0 && m_list->model() && m_list->model()->rowCount() > 0)
                m_list->selectRow(0);
        };
        connect(model, &QAbstractItemModel::rowsInserted, this, [this, selectFirst] {
            m_list->resizeColumnsToContents();
            selectFirst();
            updateState();
        });
        connect(model, &QAbstractItemModel::rowsRemoved, this, [this, selectFirst] {
            selectFirst();
            showSelected();
            updateState();
        });
        connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, &InterceptPane::showSelected);
        connect(session, &ClientSession::changed, this, &InterceptPane::updateState);
        m_list->resizeColumnsToContents();
        selectFirst();
    }
    const Switches s = session ? m_switches.value(session->id()) : Switches();
    for (QCheckBox *box : { m_toServer, m_toApp, m_control, m_perFrame })
        box->blockSignals(true);
    m_toServer->setChecked(s.toServer);
    m_toApp->setChecked(s.toApp);
    m_control->setChecked(s.control);
    m_perFrame->setChecked(s.perFrame);
    for (QCheckBox *box : { m_toServer, m_toApp, m_control, m_perFrame })
        box->blockSignals(false);
    showSelected();
    updateState();
}

void InterceptPane::updateState()
{
    const bool can = m_session && m_session->canIntercept();
    const bool open = can && m_session->readyState() == ReadyState::Open;
    if (!m_session)
        m_status->setText(tr("Choose a relayed connection to intercept its messages."));
    else if (!can && m_session->kind() != ClientSession::Kind::Relay)
        m_status->setText(tr("Intercept works on relayed connections (Connection \u2192 New relay or proxy) and on "
                             "connections on Qt's QWebSocket, between it and the server."));
    else if (!can)
        m_status->setText(tr("This relay was started without intercept: start one with \u201cAllow intercept\u201d ticked."));
    else if (!open)
        m_status->setText(tr("Intercept works while the connection is open."));
    else
        m_status->setText(tr("%n message(s) held.", nullptr, m_list->model() ? m_list->model()->rowCount() : 0));
    for (QWidget *w : std::initializer_list<QWidget *> { m_toServer, m_toApp, m_control, m_perFrame, m_injectToward,
             m_injectType,
             m_injectText, m_inject })
        w->setEnabled(open);
    const bool selected = open && selectedRow() >= 0;
    m_forward->setEnabled(selected);
    m_drop->setEnabled(selected);
    m_editAs->setEnabled(selected);
    m_editor->setReadOnly(!selected);
    m_forwardAll->setEnabled(open && m_list->model() && m_list->model()->rowCount() > 0);
    if (m_list->model() && m_list->model()->rowCount() > 0)
        m_tick.start();
    else
        m_tick.stop();
}

void InterceptPane::applySwitches()
{
    if (!m_session || !m_session->canIntercept())
        return;
    const Switches s { m_toServer->isChecked(), m_toApp->isChecked(), m_control->isChecked(), m_perFrame->isChecked() };
    m_switches.insert(m_session->id(), s);
    m_session->setIntercept(Leg::App, s.toServer, s.control, s.perFrame);
    m_session->setIntercept(Leg::Server, s.toApp, s.control, s.perFrame);
}

int InterceptPane::selectedRow() const
{
    if (!m_list->selectionModel())
        return -1;
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void InterceptPane::showSelected()
{
    const int row = selectedRow();
    if (!m_session || row < 0) {
        m_shownHold = { Leg::None, 0 };
        m_shownPayload.clear();
        m_editor->clear();
        m_edited = false;
        updateState();
        return;
    }
    const HeldMessagesModel::Held &held = m_session->heldMessages()->held(row);
    const std::pair<Leg, quint32> hold { held.from, held.hold };
    if (hold == m_shownHold && sender() != m_editAs) {
        updateState(); // the same message: keep what the user is typing
        return;
    }
    m_shownHold = hold;
    m_shownPayload = held.payload;
    // Text is edited as itself only when the display rule would show it unchanged: a peer's control
    // or bidi characters are never put in front of the user raw, so such text is edited as hex.
    const bool plain = held.opcode == 0x1 && Utf8Validator::isValid(held.payload)
        && DisplayText::lines(held.payload) == QString::fromUtf8(held.payload);
    const bool json = plain && !JsonText::check(QString::fromUtf8(held.payload));
    int editAs = m_editAs->currentData().toInt();
    if (editAs == AsJson && !json)
        editAs = plain ? AsText : AsHex;
    else if (editAs == AsText && !plain)
        editAs = AsHex;
    if (editAs != m_editAs->currentData().toInt()) {
        m_editAs->blockSignals(true);
        m_editAs->setCurrentIndex(m_editAs->findData(editAs));
        m_editAs->blockSignals(false);
    }
    m_editor->blockSignals(true);
    if (editAs == AsJson)
        m_editor->setPlainText(JsonText::pretty(QString::fromUtf8(held.payload)));
    else if (editAs == AsText)
        m_editor->setPlainText(QString::fromUtf8(held.payload));
    else
        m_editor->setPlainText(QString::fromLatin1(held.payload.toHex(' ')));
    m_editor->blockSignals(false);
    m_edited = false;
    updateState();
}

bool InterceptPane::editedPayload(QByteArray &out)
{
    if (m_editAs->currentData().toInt() == AsJson) {
        const QString text = m_editor->toPlainText();
        if (const auto problem = JsonText::check(text)) {
            m_status->setText(tr("Not forwarded: %1").arg(problem->message));
            return false;
        }
        out = JsonText::compact(text).toUtf8();
        return true;
    }
    const ComposerInput::Parsed parsed = m_editAs->currentData().toInt() == AsHex
        ? ComposerInput::fromHex(m_editor->toPlainText())
        : ComposerInput::fromText(m_editor->toPlainText());
    if (!parsed.ok()) {
        m_status->setText(tr("Not forwarded: %1").arg(parsed.error));
        return false;
    }
    out = parsed.bytes;
    return true;
}

void InterceptPane::forwardSelected()
{
    const int row = selectedRow();
    if (!m_session || row < 0)
        return;
    const HeldMessagesModel::Held &held = m_session->heldMessages()->held(row);
    if (!m_edited) {
        // As it came: the editor's text is not read back (a round trip through it could change a
        // character, U+00A0 into a space).
        m_session->forwardHeld(held.from, held.hold);
        return;
    }
    QByteArray payload;
    if (!editedPayload(payload))
        return;
    m_session->forwardHeld(held.from, held.hold,
        payload == held.payload ? std::nullopt : std::optional<QByteArray>(payload));
}

void InterceptPane::dropSelected()
{
    const int row = selectedRow();
    if (!m_session || row < 0)
        return;
    const HeldMessagesModel::Held &held = m_session->heldMessages()->held(row);
    m_session->dropHeld(held.from, held.hold);
}

void InterceptPane::forwardAll()
{
    if (!m_session)
        return;
    m_session->forwardAllHeld(Leg::App);
    m_session->forwardAllHeld(Leg::Server);
}

void InterceptPane::injectMessage()
{
    if (!m_session || !m_session->canIntercept())
        return;
    const bool hex = m_injectType->currentData().toInt() == InjectBinaryHex;
    const ComposerInput::Parsed parsed
        = hex ? ComposerInput::fromHex(m_injectText->text()) : ComposerInput::fromText(m_injectText->text());
    if (!parsed.ok()) {
        m_status->setText(tr("Not injected: %1").arg(parsed.error));
        return;
    }
    const auto toward = Leg(m_injectToward->currentData().toInt());
    FrameSpec frame;
    frame.opcode = hex ? 0x2 : 0x1;
    frame.mask = toward == Leg::Server; // as RFC 6455 asks of a client's frames
    frame.payload = parsed.bytes;
    m_session->inject(toward, frame);
}
