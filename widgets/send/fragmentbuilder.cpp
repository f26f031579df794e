#include "send/fragmentbuilder.h"

#include "common/palettecolors.h"

#include "probe/framelint.h"
#include "text/utf8validator.h"
#include "text/sizeformat.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <limits>

namespace {

enum Column { IndexColumn, FrameColumn, FinColumn, SizeColumn, PayloadColumn, ColumnCount };

using PaletteColors::messageLabel;
using PaletteColors::setTextColor;
using PaletteColors::statusColor;

// A fragment's bytes for the list: text when it reads as text on its own, else hex (a code point
// split across fragments shows up as the hex of its halves).
QString payloadPreview(const QByteArray &bytes)
{
    constexpr qsizetype max = 24;
    const QByteArray head = bytes.left(max);
    const QString more = bytes.size() > max ? QStringLiteral("\u2026") : QString();
    bool printable = Utf8Validator::isValid(head);
    for (const char c : head)
        printable = printable && quint8(c) >= 0x20 && quint8(c) != 0x7f;
    if (printable && !head.isEmpty())
        return QStringLiteral("\u201c%1%2\u201d").arg(QString::fromUtf8(head), more);
    return QString::fromLatin1(head.toHex(' ')) + more;
}

} // namespace

FragmentBuilder::FragmentBuilder(QWidget *parent)
    : QWidget(parent)
{
    m_inputs = new QWidget;
    auto *inputsLayout = new QVBoxLayout(m_inputs);
    inputsLayout->setContentsMargins(0, 0, 0, 0);
    inputsLayout->addWidget(buildMessageBox());
    inputsLayout->addWidget(buildSplitBox());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_inputs);
    layout->addWidget(buildPlanBox(), 1);

    rebuildPlan();
    setSendEnabled(false);
}

FragmentBuilder::~FragmentBuilder() = default;

QWidget *FragmentBuilder::buildMessageBox()
{
    auto *box = new QGroupBox(tr("Message"));
    auto *grid = new QGridLayout(box);
    m_opcode = new QComboBox;
    m_opcode->setObjectName(QStringLiteral("messageOpcode"));
    m_opcode->addItem(tr("Text message"), int(Opcode::Text));
    m_opcode->addItem(tr("Binary message"), int(Opcode::Binary));
    m_opcode->setToolTip(tr("The opcode of the first fragment; the others are continuation frames (opcode 0)"));
    auto *inputLabel = new QLabel(tr("&from"));
    m_inputMode = new QComboBox;
    m_inputMode->setObjectName(QStringLiteral("inputMode"));
    for (PayloadMode mode : { PayloadMode::Text, PayloadMode::Hex, PayloadMode::Base64 })
        m_inputMode->addItem(FrameCrafter::payloadModeLabel(mode), int(mode));
    m_inputMode->setToolTip(tr("How the editor is read; a text message typed as hex may carry invalid UTF-8"));
    inputLabel->setBuddy(m_inputMode);
    m_size = messageLabel(QStringLiteral("messageSize"));
    m_size->setWordWrap(false);
    m_size->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto *top = new QHBoxLayout;
    top->addWidget(m_opcode);
    top->addWidget(inputLabel);
    top->addWidget(m_inputMode);
    top->addStretch(1);
    top->addWidget(m_size);
    grid->addLayout(top, 0, 0);

    m_input = new QPlainTextEdit;
    m_input->setObjectName(QStringLiteral("message"));
    m_input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_input->setTabChangesFocus(true);
    m_input->setPlaceholderText(FrameCrafter::payloadPlaceholder(PayloadMode::Text));
    m_input->setFixedHeight(m_input->fontMetrics().lineSpacing() * 3 + 2 * m_input->frameWidth()
        + int(m_input->document()->documentMargin() * 2) + 4);
    grid->addWidget(m_input, 1, 0);

    connect(m_opcode, &QComboBox::currentIndexChanged, this, &FragmentBuilder::rebuildPlan);
    connect(m_inputMode, &QComboBox::currentIndexChanged, this, [this] {
        m_input->setPlaceholderText(FrameCrafter::payloadPlaceholder(inputMode()));
        rebuildPlan();
    });
    connect(m_input, &QPlainTextEdit::textChanged, this, &FragmentBuilder::rebuildPlan);
    return box;
}

QWidget *FragmentBuilder::buildSplitBox()
{
    auto *box = new QGroupBox(tr("Split"));
    auto *grid = new QGridLayout(box);
    m_byCount = new QRadioButton(tr("&Into"));
    m_byCount->setObjectName(QStringLiteral("byCount"));
    m_byCount->setChecked(true);
    m_count = new QSpinBox;
    m_count->setObjectName(QStringLiteral("fragmentCount"));
    m_count->setRange(1, 10000);
    m_count->setValue(3);
    m_count->setSuffix(tr(" fragments"));
    m_count->setToolTip(tr("Fragment sizes as even as possible; more fragments than bytes makes empty ones"));
    m_bySize = new QRadioButton(tr("Into fragments &of"));
    m_bySize->setObjectName(QStringLiteral("bySize"));
    m_fragmentSize = new QSpinBox;
    m_fragmentSize->setObjectName(QStringLiteral("fragmentSize"));
    m_fragmentSize->setRange(1, std::numeric_limits<int>::max());
    m_fragmentSize->setValue(4);
    m_fragmentSize->setSuffix(tr(" bytes"));
    m_fragmentSize->setToolTip(tr("Payload bytes per fragment; the last one carries what is left"));
    auto *group = new QButtonGroup(box);
    group->addButton(m_byCount);
    group->addButton(m_bySize);
    grid->addWidget(m_byCount, 0, 0);
    grid->addWidget(m_count, 0, 1);
    grid->addWidget(m_bySize, 1, 0);
    grid->addWidget(m_fragmentSize, 1, 1);

    m_ping = new QCheckBox(tr("&Ping between fragments, payload:"));
    m_ping->setObjectName(QStringLiteral("pingBetween"));
    m_ping->setToolTip(tr("Control frames may come between the fragments of a message (RFC 6455 §5.4); the "
                          "server answers each ping with a pong"));
    m_pingPayload = new QLineEdit;
    m_pingPayload->setObjectName(QStringLiteral("pingPayload"));
    m_pingPayload->setPlaceholderText(tr("text, optional"));
    m_pingPayload->setEnabled(false);
    grid->addWidget(m_ping, 2, 0);
    grid->addWidget(m_pingPayload, 2, 1);
    grid->setColumnStretch(1, 1);

    connect(m_byCount, &QRadioButton::toggled, this, &FragmentBuilder::rebuildPlan);
    connect(m_count, &QSpinBox::valueChanged, this, &FragmentBuilder::rebuildPlan);
    connect(m_fragmentSize, &QSpinBox::valueChanged, this, &FragmentBuilder::rebuildPlan);
    connect(m_ping, &QCheckBox::toggled, this, [this](bool on) {
        m_pingPayload->setEnabled(on);
        rebuildPlan();
    });
    connect(m_pingPayload, &QLineEdit::textChanged, this, &FragmentBuilder::rebuildPlan);
    return box;
}

QWidget *FragmentBuilder::buildPlanBox()
{
    auto *box = new QGroupBox(tr("Frames"));
    auto *layout = new QVBoxLayout(box);
    m_list = new QTreeWidget;
    m_list->setObjectName(QStringLiteral("plan"));
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({ tr("#"), tr("Frame"), tr("FIN"), tr("Size"), tr("Payload") });
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(PayloadColumn, QHeaderView::Stretch);
    m_list->setMinimumHeight(m_list->fontMetrics().height() * 7);
    layout->addWidget(m_list, 1);

    m_error = messageLabel(QStringLiteral("planError"));
    m_notes = messageLabel(QStringLiteral("planNotes"));
    m_lint = messageLabel(QStringLiteral("planLint"));
    layout->addWidget(m_error);
    layout->addWidget(m_notes);
    layout->addWidget(m_lint);

    m_progress = messageLabel(QStringLiteral("progress"));
    m_progress->setWordWrap(false);
    m_reset = new QPushButton(tr("R&eset"));
    m_reset->setObjectName(QStringLiteral("reset"));
    m_reset->setToolTip(tr("Start again from the first frame; the message and split can be edited again"));
    m_sendNext = new QPushButton(tr("Send &next"));
    m_sendNext->setObjectName(QStringLiteral("sendNext"));
    m_sendNext->setToolTip(tr("Send the next frame of the list, and only that one"));
    m_sendAll = new QPushButton(tr("Send &all"));
    m_sendAll->setObjectName(QStringLiteral("sendAll"));
    m_sendAll->setToolTip(tr("Send every frame not sent yet, in order"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_sendNext);
    buttons->addWidget(m_sendAll);
    layout->addLayout(buttons);
    m_disabledReason = messageLabel(QStringLiteral("disabledReason"));
    layout->addWidget(m_disabledReason);

    connect(m_reset, &QPushButton::clicked, this, &FragmentBuilder::reset);
    connect(m_sendNext, &QPushButton::clicked, this, &FragmentBuilder::sendNext);
    connect(m_sendAll, &QPushButton::clicked, this, &FragmentBuilder::sendAll);
    return box;
}

quint8 FragmentBuilder::messageOpcode() const
{
    return quint8(m_opcode->currentData().toInt());
}

void FragmentBuilder::setMessageOpcode(quint8 opcode)
{
    const int index = m_opcode->findData(int(opcode));
    if (index >= 0)
        m_opcode->setCurrentIndex(index);
}

FragmentBuilder::PayloadMode FragmentBuilder::inputMode() const
{
    return PayloadMode(m_inputMode->currentData().toInt());
}

void FragmentBuilder::setInputMode(PayloadMode mode)
{
    m_inputMode->setCurrentIndex(m_inputMode->findData(int(mode)));
}

QString FragmentBuilder::input() const
{
    return m_input->toPlainText();
}

void FragmentBuilder::setInput(const QString &text)
{
    m_input->setPlainText(text);
}

void FragmentBuilder::setSplitByCount(int fragments)
{
    m_count->setValue(fragments);
    m_byCount->setChecked(true);
}

void FragmentBuilder::setSplitBySize(int bytes)
{
    m_fragmentSize->setValue(bytes);
    m_bySize->setChecked(true);
}

void FragmentBuilder::setPingBetween(bool on, const QString &payloadText)
{
    m_pingPayload->setText(payloadText);
    m_ping->setChecked(on);
}

void FragmentBuilder::rebuildPlan()
{
    const ComposerInput::Parsed message = FrameCrafter::parsePayload(inputMode(), input());
    m_size->setText(message.ok() ? SizeFormat::bytes(message.bytes.size()) : QString());
    if (!message.ok()) {
        m_plan = FragmentPlan::Plan();
        m_plan.error = tr("Message: %1").arg(message.error);
    } else {
        FragmentPlan::Options o;
        o.opcode = messageOpcode();
        o.message = message.bytes;
        o.splitBy
            = m_byCount->isChecked() ? FragmentPlan::Options::SplitBy::Count : FragmentPlan::Options::SplitBy::Size;
        o.count = m_count->value();
        o.size = m_fragmentSize->value();
        o.pingBetween = m_ping->isChecked();
        o.pingPayload = m_pingPayload->text().toUtf8();
        m_plan = FragmentPlan::make(o);
    }
    m_count->setEnabled(m_byCount->isChecked());
    m_fragmentSize->setEnabled(m_bySize->isChecked());

    m_error->setText(m_plan.error);
    m_error->setVisible(!m_plan.ok());
    m_notes->setText(m_plan.notes.join(u'\n'));
    m_notes->setVisible(!m_plan.notes.isEmpty());

    // What a strict server makes of the whole sequence, frames sent back to back.
    if (m_plan.ok()) {
        const FrameLint::Result lint = FrameLint::check(m_plan.specs());
        QStringList lines;
        if (lint.isValid())
            lines << tr("\u2714 Valid. A strict server %1.").arg(lint.answer.text);
        else
            lines << tr("A strict server %1.").arg(lint.answer.text);
        for (const FrameLint::Finding &f : lint.findings)
            lines << tr("\u2718 %1 (§%2) in frame %3: %4")
                         .arg(f.ruleId, f.rfcSection)
                         .arg(f.frameIndex + 1)
                         .arg(f.description);
        m_lint->setText(lines.join(u'\n'));
        m_lintFatal = !lint.isValid();
        m_lint->show();
    } else {
        m_lint->clear();
        m_lint->hide();
    }

    m_sent = 0;
    fillList();
    updateProgress();
}

void FragmentBuilder::fillList()
{
    m_list->clear();
    QList<QTreeWidgetItem *> items;
    items.reserve(m_plan.frames.size());
    for (qsizetype i = 0; i < m_plan.frames.size(); ++i) {
        const FragmentPlan::PlannedFrame &frame = m_plan.frames[i];
        auto *item = new QTreeWidgetItem;
        item->setText(IndexColumn, QString::number(i + 1));
        item->setText(FrameColumn,
            frame.fragment < 0 ? tr("ping")
                               : tr("%1 (%2/%3)")
                                     .arg(Opcode::name(frame.spec.opcode))
                                     .arg(frame.fragment + 1)
                                     .arg(m_plan.fragmentCount));
        item->setText(FinColumn, frame.spec.fin ? QStringLiteral("1") : QStringLiteral("0"));
        item->setText(SizeColumn, SizeFormat::bytes(frame.spec.payload.size()));
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(PayloadColumn, payloadPreview(frame.spec.payload));
        item->setToolTip(PayloadColumn, QString::fromLatin1(frame.spec.payload.left(256).toHex(' ')));
        item->setToolTip(FrameColumn, tr("opcode 0x%1").arg(frame.spec.opcode, 0, 16));
        items << item;
    }
    m_list->addTopLevelItems(items);
}

void FragmentBuilder::updateProgress()
{
    const int total = int(m_plan.frames.size());
    const bool partial = m_sent > 0 && m_sent < total;
    m_inputs->setEnabled(!partial);
    m_progress->setText(m_plan.ok() ? tr("%1 of %2 sent").arg(m_sent).arg(total) : QString());
    m_sendNext->setEnabled(m_sendEnabled && m_plan.ok() && m_sent < total);
    m_sendAll->setEnabled(m_sendEnabled && m_plan.ok() && m_sent < total);
    m_sendAll->setText(partial ? tr("Send the &rest") : tr("Send &all"));
    m_reset->setEnabled(m_sent > 0);

    // Sent frames fade, the next one is marked.
    const QPalette &pal = m_list->palette();
    const QColor sent = PaletteColors::mutedColor(pal, 0.4, QPalette::Text, QPalette::Base);
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        const QString marker = i < m_sent ? QStringLiteral("\u2714 ")
            : i == m_sent                 ? QStringLiteral("\u25b6 ")
                                          : QString();
        item->setText(IndexColumn, marker + QString::number(i + 1));
        QFont font = item->font(IndexColumn);
        font.setBold(i == m_sent);
        for (int c = 0; c < ColumnCount; ++c) {
            item->setFont(c, font);
            item->setForeground(c, i < m_sent ? QBrush(sent) : QBrush());
        }
    }
    if (m_sent < m_list->topLevelItemCount())
        m_list->scrollToItem(m_list->topLevelItem(m_sent));
    applyColors();
}

void FragmentBuilder::setSendEnabled(bool enabled, const QString &reason)
{
    m_sendEnabled = enabled;
    m_disabledReason->setText(enabled ? QString() : reason);
    m_disabledReason->setVisible(!enabled && !reason.isEmpty());
    updateProgress();
}

void FragmentBuilder::sendNext()
{
    if (!m_sendEnabled || !m_plan.ok() || m_sent >= m_plan.frames.size())
        return;
    const FrameSpec spec = m_plan.frames[m_sent].spec;
    ++m_sent;
    updateProgress();
    Q_EMIT sendFrameRequested(spec);
}

void FragmentBuilder::sendAll()
{
    if (!m_sendEnabled || !m_plan.ok())
        return;
    const int from = m_sent;
    const QList<FrameSpec> specs = m_plan.specs();
    m_sent = int(specs.size());
    updateProgress();
    for (int i = from; i < specs.size(); ++i)
        Q_EMIT sendFrameRequested(specs[i]);
}

void FragmentBuilder::reset()
{
    m_sent = 0;
    updateProgress();
}

void FragmentBuilder::applyColors()
{
    const QPalette &pal = palette();
    setTextColor(m_error, statusColor(pal, false));
    setTextColor(m_lint, statusColor(pal, !m_lintFatal));
    setTextColor(m_notes, PaletteColors::mutedColor(pal, 0.4));
    setTextColor(m_disabledReason, PaletteColors::mutedColor(pal, 0.4));
}

void FragmentBuilder::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyColors();
        updateProgress(); // the faded rows follow the new palette
    }
}
