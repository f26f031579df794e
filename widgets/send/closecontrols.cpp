#include "send/closecontrols.h"

#include "common/palettecolors.h"

#include "protocol/closecodes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

using PaletteColors::errorColor;
using PaletteColors::setTextColor;

QColor mutedColor(const QPalette &palette)
{
    return PaletteColors::mutedColor(palette, 0.3);
}

// Not selectable: QLabel's default interaction.
QLabel *wrappingLabel(const QString &objectName)
{
    return PaletteColors::messageLabel(objectName, Qt::NoTextInteraction);
}

} // namespace

CloseControls::CloseControls(QWidget *parent)
    : QWidget(parent)
{
    m_codes = new QComboBox;
    m_codes->setObjectName(QStringLiteral("code"));
    for (const CloseCodeInfo &info : CloseCodes::registry()) {
        QString text = CloseCodes::label(info.code);
        QString tip = info.meaning + QStringLiteral("\n(%1)").arg(info.source);
        if (!info.validOnWire) {
            text += tr(" \u2014 must not be sent");
            tip += tr("\nMay not be sent in a close frame.");
        }
        m_codes->addItem(text, int(info.code));
        m_codes->setItemData(m_codes->count() - 1, tip, Qt::ToolTipRole);
    }
    m_codes->insertSeparator(m_codes->count());
    m_codes->addItem(tr("Custom code\u2026"), int(Custom));
    m_codes->setItemData(m_codes->count() - 1,
        tr("Any number: 3000-3999 are registered by libraries and frameworks, 4000-4999 are for "
           "private use; both are valid."),
        Qt::ToolTipRole);
    m_codes->addItem(tr("No status code (empty payload)"), int(NoStatusCode));
    m_codes->setItemData(m_codes->count() - 1,
        tr("A close frame without a payload: valid; the peer reports 1005 No Status Received."), Qt::ToolTipRole);
    m_codes->setToolTip(tr("The status code of the close frame (RFC 6455 §7.4)"));

    m_custom = new QSpinBox;
    m_custom->setObjectName(QStringLiteral("customCode"));
    // 0 is not offered: the engine reads code 0 as "no status code".
    m_custom->setRange(1, 65535);
    m_custom->setValue(4000);
    m_custom->setToolTip(tr("3000-3999: registered by libraries and frameworks; 4000-4999: private use"));
    m_custom->setAccessibleName(tr("Custom close code"));

    auto *codeRow = new QHBoxLayout;
    codeRow->addWidget(m_codes, 1);
    codeRow->addWidget(m_custom);

    m_codeInfo = wrappingLabel(QStringLiteral("codeInfo"));

    m_reason = new QLineEdit;
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("optional, UTF-8"));
    m_reason->setToolTip(tr("Sent after the code as UTF-8; at most 123 bytes so the payload fits a control frame"));
    m_reasonCounter = wrappingLabel(QStringLiteral("reasonCounter"));
    m_reasonCounter->setWordWrap(false);
    // Wide enough for any count, so that typing never shifts the layout.
    m_reasonCounter->setMinimumWidth(m_reasonCounter->fontMetrics().horizontalAdvance(tr("88888 / 123 bytes")));
    m_reasonCounter->setToolTip(tr("Counts UTF-8 bytes, not characters: \u201c\u00e9\u201d is 2 bytes"));
    auto *reasonRow = new QHBoxLayout;
    reasonRow->addWidget(m_reason, 1);
    reasonRow->addWidget(m_reasonCounter);

    m_problems = wrappingLabel(QStringLiteral("problems"));

    m_allowInvalid = new QCheckBox(tr("\u26a0 Send invalid close frame (to test the server)"));
    m_allowInvalid->setObjectName(QStringLiteral("allowInvalid"));
    m_allowInvalid->setToolTip(tr("Send a code that may not be sent, or a reason over 123 bytes. A strict server "
                                  "answers with 1002 Protocol Error."));

    m_disabledReason = wrappingLabel(QStringLiteral("disabledReason"));
    m_close = new QPushButton(tr("C&lose"));
    m_close->setObjectName(QStringLiteral("close"));
    m_close->setToolTip(tr("Send the close frame and wait for the server's"));
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_disabledReason, 1);
    buttonRow->addWidget(m_close, 0, Qt::AlignRight | Qt::AlignTop);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Co&de:"), codeRow);
    form->addRow(QString(), m_codeInfo);
    form->addRow(tr("&Reason:"), reasonRow);
    form->addRow(QString(), m_problems);
    form->addRow(QString(), m_allowInvalid);
    // QFormLayout makes buddies of row labels for fields that are widgets; the layouts need them set.
    if (auto *label = qobject_cast<QLabel *>(form->itemAt(0, QFormLayout::LabelRole)->widget()))
        label->setBuddy(m_codes);
    if (auto *label = qobject_cast<QLabel *>(form->itemAt(2, QFormLayout::LabelRole)->widget()))
        label->setBuddy(m_reason);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttonRow);
    layout->addStretch(1);

    connect(m_codes, &QComboBox::currentIndexChanged, this, &CloseControls::updateState);
    connect(m_custom, &QSpinBox::valueChanged, this, &CloseControls::updateState);
    connect(m_reason, &QLineEdit::textChanged, this, &CloseControls::updateState);
    connect(m_allowInvalid, &QCheckBox::toggled, this, &CloseControls::updateState);
    connect(m_close, &QPushButton::clicked, this, &CloseControls::requestClose);

    setCode(CloseCodes::NormalClosure);
    setCloseEnabled(false);
}

bool CloseControls::noStatusCode() const
{
    return m_codes->currentData().toInt() == NoStatusCode;
}

quint16 CloseControls::code() const
{
    const int data = m_codes->currentData().toInt();
    if (data == NoStatusCode)
        return 0;
    if (data == Custom)
        return quint16(m_custom->value());
    return quint16(data);
}

void CloseControls::setCode(quint16 code)
{
    int index = m_codes->findData(code == 0 ? int(NoStatusCode) : int(code));
    if (index < 0) {
        index = m_codes->findData(int(Custom));
        m_custom->setValue(code);
    }
    m_codes->setCurrentIndex(index);
    updateState();
}

QString CloseControls::reason() const
{
    return m_reason->text();
}

void CloseControls::setReason(const QString &reason)
{
    m_reason->setText(reason);
}

QByteArray CloseControls::reasonUtf8() const
{
    return m_reason->text().toUtf8();
}

QStringList CloseControls::problems() const
{
    QStringList list;
    if (noStatusCode())
        return list;
    const quint16 c = code();
    if (!CloseCodes::maySend(c)) {
        list << tr("%1 may not be sent in a close frame.").arg(CloseCodes::label(c));
    }
    const qsizetype bytes = reasonUtf8().size();
    if (bytes > MaxReasonBytes) {
        list << tr("The reason is %1 bytes; at most 123 fit in a close frame (125-byte control payload minus the "
                   "2-byte code).")
                    .arg(bytes);
    }
    return list;
}

void CloseControls::updateState()
{
    const bool custom = m_codes->currentData().toInt() == Custom;
    m_custom->setVisible(custom);
    m_custom->setEnabled(custom);

    const bool empty = noStatusCode();
    if (empty) {
        m_codeInfo->setText(tr("The close frame will have an empty payload: no code and no reason. The server "
                               "reports 1005 No Status Received."));
    } else {
        const CloseCodeInfo info = CloseCodes::info(code());
        const bool sourceSaysMore = info.source.compare(info.name, Qt::CaseInsensitive) != 0;
        m_codeInfo->setText(sourceSaysMore ? QStringLiteral("%1 (%2): %3").arg(info.name, info.source, info.meaning)
                                           : QStringLiteral("%1: %2").arg(info.name, info.meaning));
    }

    // The reason is kept while an empty payload is picked, so switching back loses nothing.
    m_reason->setEnabled(!empty);
    const qsizetype bytes = reasonUtf8().size();
    m_reasonCounter->setText(empty ? tr("not sent without a code") : tr("%1 / 123 bytes").arg(bytes));
    m_reasonTooLong = !empty && bytes > MaxReasonBytes;
    m_codeInvalid = !empty && !CloseCodes::maySend(code());

    QStringList list = problems();
    if (!list.isEmpty()) {
        list << (m_allowInvalid->isChecked() ? tr("This close frame is invalid and will be sent as it is.")
                                             : tr("Tick \u201cSend invalid close frame\u201d to send it anyway."));
    }
    m_problems->setText(list.join(QLatin1Char('\n')));
    m_problems->setVisible(!list.isEmpty());

    m_close->setEnabled(m_closeEnabled && (list.isEmpty() || m_allowInvalid->isChecked()));
    applyColors();
}

void CloseControls::setCloseEnabled(bool enabled, const QString &why)
{
    m_closeEnabled = enabled;
    m_disabledReason->setText(tr("Cannot close: %1").arg(why.isEmpty() ? tr("not connected.") : why));
    m_disabledReason->setVisible(!enabled);
    updateState();
}

void CloseControls::requestClose()
{
    if (!m_closeEnabled)
        return;
    if (!problems().isEmpty() && !m_allowInvalid->isChecked())
        return;
    if (noStatusCode())
        Q_EMIT closeRequested(0, QByteArray());
    else
        Q_EMIT closeRequested(code(), reasonUtf8());
}

void CloseControls::applyColors()
{
    const QColor bad = errorColor(palette());
    setTextColor(m_problems, bad);
    setTextColor(m_reasonCounter, m_reasonTooLong ? bad : palette().color(QPalette::WindowText));
    setTextColor(m_codeInfo, m_codeInvalid ? bad : mutedColor(palette()));
    setTextColor(m_disabledReason, mutedColor(palette()));
}

void CloseControls::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}
