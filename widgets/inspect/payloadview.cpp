#include "inspect/payloadview.h"

#include "common/palettecolors.h"
#include "inspect/framehexview.h"
#include "protocol/closecodes.h"
#include "protocol/frame.h"
#include "text/displaytext.h"
#include "text/jsontext.h"
#include "log/payloadpreview.h"
#include "text/sizeformat.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStandardItemModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

// QTextLayout wraps a line without break opportunities in quadratic time (minutes for 1 MiB of
// "aaaa..."), so pages with lines this long wrap anywhere instead.
void setPlainTextWrapped(QPlainTextEdit *edit, const QString &text, bool longLines)
{
    edit->setWordWrapMode(longLines ? QTextOption::WrapAnywhere : QTextOption::WrapAtWordBoundaryOrAnywhere);
    edit->setPlainText(text);
}

QPlainTextEdit *makeTextPage()
{
    auto *edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setUndoRedoEnabled(false);
    return edit;
}

QStandardItem *item(const QString &text)
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    return i;
}

} // namespace

PayloadView::PayloadView(QWidget *parent)
    : QWidget(parent)
{
    m_note = new QLabel;
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setContentsMargins(4, 2, 4, 2);
    m_note->hide();

    m_decodedTree = new QTreeView;
    m_decodedTree->setUniformRowHeights(true);
    m_decodedTree->setAlternatingRowColors(true);
    m_decodedTree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_decodedTree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_decodedModel = new QStandardItemModel(this);
    m_decodedTree->setModel(m_decodedModel);
    m_decodedTree->setObjectName(QStringLiteral("decoded"));
    m_text = makeTextPage();
    m_pretty = makeTextPage();
    m_tree = new QTreeView;
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jsonModel = new QStandardItemModel(this);
    m_tree->setModel(m_jsonModel);
    m_hex = new FrameHexView;

    m_text->setObjectName(QStringLiteral("text"));
    m_pretty->setObjectName(QStringLiteral("pretty"));
    m_tree->setObjectName(QStringLiteral("tree"));
    m_hex->setObjectName(QStringLiteral("hex"));

    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_decodedTree, tr("Decoded"));
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(m_hex, tr("Hex"));
    connect(m_tabs->tabBar(), &QTabBar::tabBarClicked, this, [this](int index) { m_userTab = index; });
    connect(m_tabs, &QTabWidget::currentChanged, this, &PayloadView::buildPending);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);

    clear();
}

PayloadView::~PayloadView() = default;

void PayloadView::setTextLimit(qint64 bytes)
{
    m_textLimit = qMax<qint64>(1, bytes);
}

void PayloadView::clear()
{
    m_text->clear();
    m_pretty->clear();
    m_jsonModel->clear();
    m_decodedModel->clear();
    m_hex->clear();
    m_isJson = false;
    m_truncated = false;
    m_json.clear();
    m_context.clear();
    m_prettyPending = false;
    m_treePending = false;
    setNote(QString());
    m_tabs->setTabText(int(Tab::Text), tr("Text"));
    setTabShown(Tab::Decoded, false);
    setTabShown(Tab::Text, true);
    setTabShown(Tab::Pretty, false);
    setTabShown(Tab::Tree, false);
    setTabShown(Tab::Hex, true);
}

void PayloadView::setPayload(quint8 opcode, const QByteArray &payload, const QString &context)
{
    clear();
    m_context = context;
    m_hex->setFrame(QByteArray(), payload);
    switch (opcode) {
    case Opcode::Close:
        showClose(payload);
        break;
    case Opcode::Binary:
        setTabShown(Tab::Text, false);
        setNote(payload.isEmpty() ? tr("Empty payload.") : QString());
        chooseTab(Tab::Hex);
        break;
    default:
        // Text, continuation, ping, pong and reserved opcodes: text when the bytes are text.
        showText(opcode, payload);
    }
}

namespace {

// Names and values hold peer text as sent: each goes through the display rule here, once.
void appendFields(QStandardItem *parent, const QList<Decode::Field> &fields, int &budget)
{
    for (const Decode::Field &f : fields) {
        if (budget-- <= 0)
            return;
        QStandardItem *name = item(DisplayText::line(f.name.toUtf8(), 200));
        QStandardItem *value = item(DisplayText::line(f.value.toUtf8(), 1000));
        value->setToolTip(DisplayText::toolTip(DisplayText::lines(f.value.toUtf8(), 4000)));
        parent->appendRow({ name, value });
        appendFields(name, f.children, budget);
    }
}

void appendUnits(QStandardItem *parent, const QList<Decode::Unit> &units, Decode::Protocol protocol, int &budget,
                 const QColor &errorColor)
{
    for (const Decode::Unit &u : units) {
        // The summary holds peer text in display form already.
        QStandardItem *unit = item(Decode::protocolName(protocol) + QLatin1Char(' ') + u.type);
        QStandardItem *summary = item(u.summary);
        parent->appendRow({ unit, summary });
        if (!u.error.isEmpty()) {
            QStandardItem *why = item(PayloadView::tr("not valid"));
            QStandardItem *error = item(u.error);
            error->setForeground(errorColor);
            unit->appendRow({ why, error });
        }
        appendFields(unit, u.fields, budget);
        if (!u.inner.isEmpty()) {
            QStandardItem *inner = item(PayloadView::tr("carries"));
            unit->appendRow({ inner, item(PayloadView::tr("%n message(s) of %1", nullptr, int(u.inner.size()))
                                              .arg(Decode::protocolName(u.innerProtocol))) });
            appendUnits(inner, u.inner, u.innerProtocol, budget, errorColor);
        }
    }
}

} // namespace

QAbstractItemModel *PayloadView::decodedModel() const
{
    return m_decodedModel;
}

void PayloadView::setDecoded(const Decode::Decoded &decoded, const QString &pairing)
{
    m_decodedModel->clear();
    if (decoded.isNull()) {
        setTabShown(Tab::Decoded, false);
        return;
    }
    m_decodedModel->setHorizontalHeaderLabels({ tr("Field"), tr("Value") });
    QStandardItem *root = m_decodedModel->invisibleRootItem();
    const QColor errorColor = PaletteColors::errorColor(m_decodedTree->palette(), QPalette::Base);
    if (!decoded.error.isEmpty()) {
        QStandardItem *error = item(decoded.error);
        error->setForeground(errorColor);
        root->appendRow({ item(tr("not %1").arg(Decode::protocolName(decoded.protocol))), error });
    }
    int budget = TreeRowLimit;
    appendUnits(root, decoded.units, decoded.protocol, budget, errorColor);
    if (budget < 0)
        root->appendRow({ item(QStringLiteral("…")), item(tr("the tree stops here; the Text and Hex tabs have the whole message")) });
    if (!pairing.isEmpty())
        root->appendRow({ item(tr("pairs")), item(pairing) });
    m_tabs->setTabText(int(Tab::Decoded), Decode::protocolName(decoded.protocol));
    setTabShown(Tab::Decoded, true);
    m_decodedTree->expandToDepth(decoded.units.size() > 20 ? 0 : 2);
    m_decodedTree->header()->resizeSection(0, m_decodedTree->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 24);
    chooseTab(Tab::Decoded);
}

void PayloadView::showText(quint8 opcode, const QByteArray &payload)
{
    if (payload.isEmpty()) {
        setNote(tr("Empty payload."));
        chooseTab(Tab::Text);
        return;
    }
    const PayloadPreview::TextPlan plan = PayloadPreview::planText(opcode, payload, m_textLimit, LongLineTextLimit);
    m_truncated = plan.truncated;
    setPlainTextWrapped(m_text, plan.text, plan.longLines);
    const bool json = plan.jsonCandidate && showJson(payload);

    QStringList notes;
    if (m_truncated) {
        const QString what = tr("the first %1 of %2%3")
                                 .arg(SizeFormat::rounded(plan.shownBytes), SizeFormat::rounded(payload.size()),
                                     plan.longLines ? tr(" (very long lines)") : QString());
        notes << (json ? tr("The Text tab shows %1; Pretty, Tree and Hex have all of it.").arg(what)
                       : tr("Showing %1 — the full payload is in the Hex tab.").arg(what));
    }
    if (plan.firstInvalid >= 0) {
        notes << tr("Not valid UTF-8 (first bad byte at offset %1): bytes that are not UTF-8 are shown as \\xNN.")
                     .arg(plan.firstInvalid);
        if (opcode == Opcode::Text)
            notes.last() += QLatin1Char(' ') + tr("A text message must be valid UTF-8 (RFC 6455 §8.1).");
    }
    setNote(notes.join(QLatin1Char(' ')));

    chooseTab(plan.firstInvalid >= 0 ? Tab::Hex : json ? Tab::Pretty : Tab::Text);
}

bool PayloadView::showJson(const QByteArray &payload)
{
    if (JsonText::check(QString::fromUtf8(payload)))
        return false;
    // Pretty and Tree are filled when first shown: browsing large JSON messages in the Text or Hex
    // tab does not pay for views nobody looks at.
    m_isJson = true;
    m_json = payload;
    m_prettyPending = true;
    m_treePending = true;
    setTabShown(Tab::Pretty, true);
    setTabShown(Tab::Tree, true);
    return true;
}

void PayloadView::buildPending(int index)
{
    if (index == int(Tab::Pretty) && m_prettyPending) {
        m_prettyPending = false;
        QString pretty = DisplayText::lines(JsonText::pretty(QString::fromUtf8(m_json)).toUtf8());
        // Every line is a text block, and QPlainTextEdit spends about a second per 200 000 of them.
        if (pretty.size() > m_textLimit) {
            const qsizetype cut = qMax<qsizetype>(0, pretty.lastIndexOf(QLatin1Char('\n'), m_textLimit));
            const qsizetype lines = pretty.count(QLatin1Char('\n')) + 1;
            pretty.truncate(cut);
            const qsizetype shownLines = pretty.count(QLatin1Char('\n')) + 1;
            QString note = m_noteBody;
            if (!note.isEmpty())
                note += QLatin1Char(' ');
            setNote(note
                + tr("Pretty shows the first %1 of %2 lines — the full payload is in the Hex tab.")
                      .arg(shownLines)
                      .arg(lines));
        }
        setPlainTextWrapped(m_pretty, pretty, PayloadPreview::longestLine(pretty.toUtf8()) > PayloadPreview::LongLine);
    } else if (index == int(Tab::Tree) && m_treePending) {
        m_treePending = false;
        auto *model = new QStandardItemModel(this);
        model->setHorizontalHeaderLabels({ tr("Key"), tr("Value"), tr("Type") });
        // Rows come in document order with their depth: each row's parent is the last row one level up.
        QList<QStandardItem *> parents { model->invisibleRootItem() };
        for (const JsonText::OutlineRow &row : JsonText::outline(QString::fromUtf8(m_json), TreeRowLimit)) {
            parents.resize(row.depth + 1);
            QStandardItem *key = item(row.key);
            parents.last()->appendRow({ key, item(row.value), item(row.type) });
            parents.append(key);
        }
        m_tree->setModel(model);
        delete m_jsonModel;
        m_jsonModel = model;
        if (model->rowCount() <= 100)
            m_tree->expandToDepth(0);
        m_tree->header()->resizeSection(0, m_tree->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 24);
    }
}

void PayloadView::showClose(const QByteArray &payload)
{
    m_tabs->setTabText(int(Tab::Text), tr("Close"));
    qint64 badReasonByte = -1;
    m_text->setPlainText(PayloadPreview::closeDetails(payload, &badReasonByte));
    if (badReasonByte >= 0) {
        setNote(tr("The close reason is not valid UTF-8 (from reason byte %1); a strict peer fails the connection "
                   "with %2.")
                    .arg(badReasonByte)
                    .arg(CloseCodes::label(CloseCodes::InvalidPayloadData)));
    }
    chooseTab(Tab::Text);
}

void PayloadView::setTabShown(Tab tab, bool shown)
{
    m_tabs->setTabVisible(int(tab), shown);
}

void PayloadView::setNote(const QString &note)
{
    m_noteBody = note;
    const QString shown = m_context.isEmpty() || note.isEmpty() ? m_context + note : m_context + QLatin1Char(' ') + note;
    m_note->setText(shown);
    m_note->setVisible(!shown.isEmpty());
}

void PayloadView::chooseTab(Tab preferred)
{
    // Keep the tab the user picked last when this payload has it (browsing JSON messages in the tree).
    if (m_userTab >= 0 && m_tabs->isTabVisible(m_userTab) && preferred != Tab::Hex)
        m_tabs->setCurrentIndex(m_userTab);
    else
        m_tabs->setCurrentIndex(int(preferred));
    buildPending(m_tabs->currentIndex()); // currentChanged() does not fire when the index stays
}

bool PayloadView::hasTab(Tab tab) const
{
    return m_tabs->isTabVisible(int(tab));
}

PayloadView::Tab PayloadView::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void PayloadView::setCurrentTab(Tab tab)
{
    if (hasTab(tab))
        m_tabs->setCurrentIndex(int(tab));
}

QString PayloadView::text() const
{
    return m_text->toPlainText();
}

QString PayloadView::prettyJson()
{
    buildPending(int(Tab::Pretty));
    return m_pretty->toPlainText();
}

QAbstractItemModel *PayloadView::jsonModel()
{
    buildPending(int(Tab::Tree));
    return m_jsonModel;
}

QString PayloadView::note() const
{
    return m_note->text();
}
