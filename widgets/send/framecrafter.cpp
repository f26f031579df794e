#include "send/framecrafter.h"

#include "inspect/framehexview.h"
#include "common/palettecolors.h"

#include "text/utf8validator.h"
#include "text/sizeformat.h"
#include "protocol/messagedeflate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QVBoxLayout>

using PaletteColors::messageLabel;
using PaletteColors::setTextColor;
using PaletteColors::statusColor;

QString FrameCrafter::payloadModeLabel(PayloadMode mode)
{
    switch (mode) {
    case FrameCrafter::PayloadMode::Text:
        return FrameCrafter::tr("Text (UTF-8)");
    case FrameCrafter::PayloadMode::Hex:
        return FrameCrafter::tr("Hex");
    case FrameCrafter::PayloadMode::Base64:
        return FrameCrafter::tr("Base64");
    }
    return {};
}

QString FrameCrafter::payloadPlaceholder(PayloadMode mode)
{
    switch (mode) {
    case FrameCrafter::PayloadMode::Text:
        return FrameCrafter::tr("Payload text, sent as UTF-8");
    case FrameCrafter::PayloadMode::Hex:
        return FrameCrafter::tr("Hex bytes, e.g. 03 e8 or 0xff");
    case FrameCrafter::PayloadMode::Base64:
        return FrameCrafter::tr("Base64, e.g. A+g=");
    }
    return {};
}

ComposerInput::Parsed FrameCrafter::parsePayload(PayloadMode mode, const QString &input)
{
    switch (mode) {
    case FrameCrafter::PayloadMode::Hex:
        return ComposerInput::fromHex(input);
    case FrameCrafter::PayloadMode::Base64:
        return ComposerInput::fromBase64(input);
    case FrameCrafter::PayloadMode::Text:
        break;
    }
    return ComposerInput::fromText(input);
}

namespace {

// Shown as text when a person can read it back exactly; everything else as hex.
bool readableAsText(const QByteArray &bytes)
{
    if (!Utf8Validator::isValid(bytes))
        return false;
    for (const char c : bytes) {
        const auto u = quint8(c);
        if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

// Decimal, or hexadecimal with 0x; the whole 64-bit range, since the top bit is one of the probes.
std::optional<quint64> parseLength(const QString &text)
{
    const QString t = text.trimmed();
    bool ok = false;
    quint64 value = 0;
    if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        value = t.mid(2).toULongLong(&ok, 16);
    else
        value = t.toULongLong(&ok, 10);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

QString presetLabel(const ProbePresets::Preset &preset)
{
    // Named with what a correct server does, so the list alone says what to expect.
    QString outcome;
    if (preset.expected.kind == ProbePresets::Expectation::Kind::Echo) {
        outcome = FrameCrafter::tr("accepted");
    } else {
        QStringList codes;
        for (quint16 code : preset.expected.closeCodes)
            codes << QString::number(code);
        outcome = codes.isEmpty() ? FrameCrafter::tr("closed") : FrameCrafter::tr("close %1").arg(codes.join(u'/'));
    }
    return FrameCrafter::tr("%1 \u2192 %2").arg(preset.title, outcome);
}

} // namespace

FrameCrafter::FrameCrafter(QWidget *parent)
    : QWidget(parent)
{
    auto *content = new QWidget;
    auto *form = new QVBoxLayout(content);
    form->setContentsMargins(0, 0, 0, 0);
    form->addWidget(buildPresetBox());
    form->addWidget(buildHeaderBox());
    form->addWidget(buildPayloadBox());
    form->addWidget(buildPreviewBox());
    form->addStretch(1);

    // A dock can be short: the fields scroll, the Send row stays in view.
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("crafterScroll"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_disabledReason = messageLabel(QStringLiteral("disabledReason"));
    m_send = new QPushButton(tr("&Send frame"));
    m_send->setObjectName(QStringLiteral("sendFrame"));
    m_send->setToolTip(tr("Send exactly the bytes of the preview, valid or not"));
    m_injectToward = new QComboBox;
    m_injectToward->setObjectName(QStringLiteral("injectToward"));
    m_injectToward->addItem(tr("toward the server"), int(Leg::Server));
    m_injectToward->addItem(tr("toward the application"), int(Leg::App));
    m_injectToward->setToolTip(tr("Which side of the relay gets the frame"));
    m_injectToward->hide();
    // A client masks its frames and a server does not (RFC 6455 §5.1): the mask follows the side
    // chosen, and can be changed afterwards to send it wrong on purpose.
    connect(m_injectToward, &QComboBox::currentIndexChanged, this,
        [this] { m_mask->setChecked(injectToward() == Leg::Server); });
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_disabledReason, 1);
    bottom->addStretch(0); // keeps Send at the right when there is no reason to show
    bottom->addWidget(m_injectToward);
    bottom->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(bottom);

    connect(m_send, &QPushButton::clicked, this, &FrameCrafter::send);

    setPresets(ProbePresets::all());
    randomizeKey();
    refresh();
    setSendEnabled(false);
}

FrameCrafter::~FrameCrafter() = default;

QWidget *FrameCrafter::buildPresetBox()
{
    auto *box = new QGroupBox(tr("Preset"));
    auto *layout = new QVBoxLayout(box);
    m_presetPicker = new QComboBox;
    m_presetPicker->setObjectName(QStringLiteral("presets"));
    m_presetPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_presetPicker->setMinimumContentsLength(20);
    m_presetPicker->setToolTip(tr("Classic conformance probes, each named with what a correct server does. "
                                  "Choosing one loads its first frame into the fields."));
    layout->addWidget(m_presetPicker);

    m_presetInfo = messageLabel(QStringLiteral("presetInfo"));
    m_presetExpected = messageLabel(QStringLiteral("presetExpected"));
    m_sendPreset = new QPushButton;
    m_sendPreset->setObjectName(QStringLiteral("sendPreset"));
    m_sendPreset->setToolTip(tr("Send every frame of the preset in order, as the preset defines them (the "
                                "fields above are not used)"));
    auto *presetRow = new QHBoxLayout;
    presetRow->addStretch(1);
    presetRow->addWidget(m_sendPreset);
    layout->addWidget(m_presetInfo);
    layout->addWidget(m_presetExpected);
    layout->addLayout(presetRow);

    connect(m_presetPicker, &QComboBox::activated, this, &FrameCrafter::onPresetActivated);
    connect(m_sendPreset, &QPushButton::clicked, this, &FrameCrafter::sendPreset);
    return box;
}

QWidget *FrameCrafter::buildHeaderBox()
{
    auto *box = new QGroupBox(tr("Header"));
    auto *grid = new QGridLayout(box);

    auto *bits = new QHBoxLayout;
    m_fin = new QCheckBox(tr("FIN"));
    m_fin->setObjectName(QStringLiteral("fin"));
    m_fin->setChecked(true);
    m_fin->setToolTip(tr("Final fragment of a message. Control frames must have it set (RFC 6455 §5.5)."));
    bits->addWidget(m_fin);
    for (int i = 0; i < 3; ++i) {
        m_rsv[i] = new QCheckBox(tr("RSV%1").arg(i + 1));
        m_rsv[i]->setObjectName(QStringLiteral("rsv%1").arg(i + 1));
        m_rsv[i]->setToolTip(tr("Reserved bit: must be 0 unless a negotiated extension defines it; a strict server "
                                "answers 1002 (RFC 6455 §5.2)."));
        bits->addWidget(m_rsv[i]);
    }
    m_rsv[0]->setToolTip(tr("RSV1: permessage-deflate sets it on the first frame of a compressed message; without "
                            "that extension a strict server answers 1002 (RFC 6455 §5.2, RFC 7692 §6)."));
    m_compress = new QCheckBox(tr("Com&press payload"));
    m_compress->setObjectName(QStringLiteral("compressPayload"));
    m_compress->setToolTip(tr("Compress the payload with DEFLATE when sending (RFC 7692 §7.2.1), through the "
                              "connection's own stream when permessage-deflate was agreed. RSV1 stays as set here: "
                              "clear it, or compress a control frame, to see what the server makes of it."));
    bits->addSpacing(8);
    bits->addWidget(m_compress);
    bits->addStretch(1);
    grid->addLayout(bits, 0, 0, 1, 3);

    auto *opcodeLabelWidget = new QLabel(tr("&Opcode:"));
    m_opcode = new QComboBox;
    m_opcode->setObjectName(QStringLiteral("opcode"));
    for (quint8 op = 0; op < 16; ++op)
        m_opcode->addItem(opcodeLabel(op), int(op));
    m_opcode->setCurrentIndex(Opcode::Text);
    m_opcode->setToolTip(tr("All 16 values; 3-7 and 11-15 are reserved and a strict server answers 1002"));
    opcodeLabelWidget->setBuddy(m_opcode);
    grid->addWidget(opcodeLabelWidget, 1, 0);
    grid->addWidget(m_opcode, 1, 1, 1, 2);

    m_mask = new QCheckBox(tr("&MASK, key:"));
    m_mask->setObjectName(QStringLiteral("mask"));
    m_mask->setChecked(true);
    m_mask->setToolTip(tr("Clients must mask every frame; a strict server answers an unmasked one with 1002 "
                          "(RFC 6455 §5.1)."));
    m_key = new QLineEdit;
    m_key->setObjectName(QStringLiteral("maskingKey"));
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_key->setMaxLength(8);
    m_key->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9A-Fa-f]{0,8}")), m_key));
    m_key->setToolTip(tr("Masking key, 8 hex digits. It stays as shown for every send, so the preview is "
                         "exactly what goes out; Random draws a new one."));
    m_randomKey = new QPushButton(tr("&Random"));
    m_randomKey->setObjectName(QStringLiteral("randomKey"));
    m_randomKey->setToolTip(tr("Draw a new key from the system's random source"));
    grid->addWidget(m_mask, 2, 0);
    grid->addWidget(m_key, 2, 1);
    grid->addWidget(m_randomKey, 2, 2);
    grid->setColumnStretch(1, 1);

    for (QCheckBox *box : { m_fin, m_rsv[0], m_rsv[1], m_rsv[2], m_compress })
        connect(box, &QCheckBox::toggled, this, &FrameCrafter::refresh);
    connect(m_opcode, &QComboBox::currentIndexChanged, this, &FrameCrafter::refresh);
    connect(m_mask, &QCheckBox::toggled, this, [this](bool on) {
        m_key->setEnabled(on);
        m_randomKey->setEnabled(on);
        refresh();
    });
    connect(m_key, &QLineEdit::textChanged, this, &FrameCrafter::refresh);
    connect(m_randomKey, &QPushButton::clicked, this, &FrameCrafter::randomizeKey);
    return box;
}

QWidget *FrameCrafter::buildPayloadBox()
{
    auto *box = new QGroupBox(tr("Payload"));
    auto *grid = new QGridLayout(box);

    auto *modeLabelWidget = new QLabel(tr("&Input:"));
    m_payloadMode = new QComboBox;
    m_payloadMode->setObjectName(QStringLiteral("payloadMode"));
    for (PayloadMode mode : { PayloadMode::Text, PayloadMode::Hex, PayloadMode::Base64 })
        m_payloadMode->addItem(payloadModeLabel(mode), int(mode));
    m_payloadMode->setToolTip(tr("How the editor is read. It does not choose the opcode: a text frame may carry "
                                 "any bytes, which is how invalid UTF-8 is sent."));
    modeLabelWidget->setBuddy(m_payloadMode);
    m_payloadSize = messageLabel(QStringLiteral("payloadSize"));
    m_payloadSize->setWordWrap(false);
    m_payloadSize->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    grid->addWidget(modeLabelWidget, 0, 0);
    grid->addWidget(m_payloadMode, 0, 1);
    grid->addWidget(m_payloadSize, 0, 2, 1, 2);

    m_payload = new QPlainTextEdit;
    m_payload->setObjectName(QStringLiteral("payload"));
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setTabChangesFocus(true);
    const int lines = 3;
    m_payload->setFixedHeight(m_payload->fontMetrics().lineSpacing() * lines + 2 * m_payload->frameWidth()
        + int(m_payload->document()->documentMargin() * 2) + 4);
    grid->addWidget(m_payload, 1, 0, 1, 4);
    m_inputError = messageLabel(QStringLiteral("inputError"));
    m_inputError->hide();
    grid->addWidget(m_inputError, 2, 0, 1, 4);

    auto *lengthLabel = new QLabel(tr("&Length:"));
    m_lengthEncoding = new QComboBox;
    m_lengthEncoding->setObjectName(QStringLiteral("lengthEncoding"));
    m_lengthEncoding->addItem(tr("minimal"), int(FrameSpec::LengthEncoding::Minimal));
    m_lengthEncoding->addItem(tr("forced 16-bit"), int(FrameSpec::LengthEncoding::Force16));
    m_lengthEncoding->addItem(tr("forced 64-bit"), int(FrameSpec::LengthEncoding::Force64));
    m_lengthEncoding->setToolTip(tr("Minimal is what RFC 6455 §5.2 requires. A forced longer form for a short "
                                    "payload is a non-minimal length, which a strict server answers with 1002."));
    lengthLabel->setBuddy(m_lengthEncoding);
    m_declare = new QCheckBox(tr("&Declare:"));
    m_declare->setObjectName(QStringLiteral("declare"));
    m_declare->setToolTip(tr("Write this length in the header instead of the payload's real size: the server "
                             "then waits for bytes that never come, or reads payload bytes as the next frame"));
    m_declared = new QLineEdit;
    m_declared->setObjectName(QStringLiteral("declaredLength"));
    m_declared->setEnabled(false);
    m_declared->setToolTip(tr("Declared payload length: decimal, or hex with 0x (up to 0xffffffffffffffff)"));
    grid->addWidget(lengthLabel, 3, 0);
    grid->addWidget(m_lengthEncoding, 3, 1);
    grid->addWidget(m_declare, 3, 2);
    grid->addWidget(m_declared, 3, 3);
    grid->setColumnStretch(3, 1);

    auto *contextLabel = new QLabel(tr("Sen&t:"));
    m_context = new QComboBox;
    m_context->setObjectName(QStringLiteral("context"));
    m_context->addItem(tr("outside a fragmented message"), 0);
    m_context->addItem(tr("inside an unfinished text message"), int(Opcode::Text));
    m_context->addItem(tr("inside an unfinished binary message"), int(Opcode::Binary));
    m_context->setToolTip(tr("Where the frame falls on the connection, for the check below only: a continuation "
                             "frame is valid only inside a fragmented message, a new text or binary frame only "
                             "outside one"));
    contextLabel->setBuddy(m_context);
    grid->addWidget(contextLabel, 4, 0);
    grid->addWidget(m_context, 4, 1, 1, 3);

    connect(m_payloadMode, &QComboBox::currentIndexChanged, this, [this] {
        m_payload->setPlaceholderText(payloadPlaceholder(payloadMode()));
        refresh();
    });
    connect(m_payload, &QPlainTextEdit::textChanged, this, &FrameCrafter::refresh);
    connect(m_lengthEncoding, &QComboBox::currentIndexChanged, this, &FrameCrafter::refresh);
    connect(m_declare, &QCheckBox::toggled, this, [this](bool on) {
        m_declared->setEnabled(on);
        refresh();
    });
    connect(m_declared, &QLineEdit::textChanged, this, &FrameCrafter::refresh);
    connect(m_context, &QComboBox::currentIndexChanged, this, &FrameCrafter::refresh);
    m_payload->setPlaceholderText(payloadPlaceholder(PayloadMode::Text));
    return box;
}

QWidget *FrameCrafter::buildPreviewBox()
{
    auto *box = new QGroupBox(tr("Preview"));
    auto *layout = new QVBoxLayout(box);
    m_preview = new FrameHexView;
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setToolTip(tr("The frame's bytes exactly as they will be sent; hover a byte to see its field"));
    // As tall as the frame needs (the view's hint: 4 to 16 rows), no taller: the lint below stays close.
    m_preview->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    layout->addWidget(m_preview);
    m_answer = messageLabel(QStringLiteral("lintAnswer"));
    QFont bold = m_answer->font();
    bold.setBold(true);
    m_answer->setFont(bold);
    m_findings = messageLabel(QStringLiteral("lintFindings"));
    layout->addWidget(m_answer);
    layout->addWidget(m_findings);
    return box;
}

QString FrameCrafter::opcodeLabel(quint8 opcode)
{
    const QString hex = QStringLiteral("0x") + QString::number(opcode & 0xF, 16).toUpper();
    if (Opcode::isReserved(opcode))
        return tr("%1 reserved (%2)").arg(hex, Opcode::isControl(opcode) ? tr("control") : tr("non-control"));
    return tr("%1 %2").arg(hex, Opcode::name(opcode));
}

FrameCrafter::PayloadMode FrameCrafter::payloadMode() const
{
    return PayloadMode(m_payloadMode->currentData().toInt());
}

void FrameCrafter::setPayloadMode(PayloadMode mode)
{
    m_payloadMode->setCurrentIndex(m_payloadMode->findData(int(mode)));
}

QString FrameCrafter::payloadInput() const
{
    return m_payload->toPlainText();
}

void FrameCrafter::setPayloadInput(const QString &text)
{
    m_payload->setPlainText(text);
}

void FrameCrafter::setMessageInProgress(quint8 opcode)
{
    const int index = m_context->findData(int(opcode));
    m_context->setCurrentIndex(index < 0 ? 0 : index);
}

quint8 FrameCrafter::messageInProgress() const
{
    return quint8(m_context->currentData().toInt());
}

std::optional<FrameSpec> FrameCrafter::spec() const
{
    return m_spec;
}

QString FrameCrafter::inputError() const
{
    return m_error;
}

void FrameCrafter::setSpec(const FrameSpec &spec)
{
    m_loading = true;
    m_fin->setChecked(spec.fin);
    m_rsv[0]->setChecked(spec.rsv & Rsv::Rsv1);
    m_rsv[1]->setChecked(spec.rsv & Rsv::Rsv2);
    m_rsv[2]->setChecked(spec.rsv & Rsv::Rsv3);
    m_opcode->setCurrentIndex(spec.opcode & 0xF);
    m_mask->setChecked(spec.mask);
    if (spec.maskingKey)
        m_key->setText(QStringLiteral("%1").arg(*spec.maskingKey, 8, 16, QLatin1Char('0')));
    if (readableAsText(spec.payload)) {
        setPayloadMode(PayloadMode::Text);
        m_payload->setPlainText(QString::fromUtf8(spec.payload));
    } else {
        setPayloadMode(PayloadMode::Hex);
        m_payload->setPlainText(QString::fromLatin1(spec.payload.toHex(' ')));
    }
    m_lengthEncoding->setCurrentIndex(m_lengthEncoding->findData(int(spec.lengthEncoding)));
    m_declare->setChecked(spec.declaredLength.has_value());
    m_declared->setText(spec.declaredLength ? QString::number(*spec.declaredLength) : QString());
    m_loading = false;
    refresh();
}

void FrameCrafter::randomizeKey()
{
    m_key->setText(QStringLiteral("%1").arg(FrameWriter::randomMaskingKey(), 8, 16, QLatin1Char('0')));
}

void FrameCrafter::setPresets(const QList<ProbePresets::Preset> &presets)
{
    m_presets = presets;
    m_preset = -1;
    m_presetFirstFrame.clear();
    const QSignalBlocker blocker(m_presetPicker);
    m_presetPicker->clear();
    m_presetPicker->addItem(tr("Choose a conformance probe\u2026"));
    for (const ProbePresets::Preset &preset : std::as_const(m_presets)) {
        m_presetPicker->addItem(presetLabel(preset), preset.id);
        m_presetPicker->setItemData(m_presetPicker->count() - 1, preset.description, Qt::ToolTipRole);
    }
    m_presetPicker->setEnabled(!m_presets.isEmpty());
    showPresetInfo();
}

bool FrameCrafter::selectPreset(const QString &id)
{
    const int index = m_presetPicker->findData(id);
    if (id.isEmpty() || index < 0)
        return false;
    m_presetPicker->setCurrentIndex(index);
    onPresetActivated(index);
    return true;
}

QString FrameCrafter::currentPresetId() const
{
    return m_preset >= 0 ? m_presets[m_preset].id : QString();
}

void FrameCrafter::onPresetActivated(int index)
{
    m_preset = index - 1; // item 0 is the prompt
    m_presetFirstFrame.clear();
    if (m_preset >= 0 && !m_presets[m_preset].frames.isEmpty()) {
        const ProbePresets::Preset &preset = m_presets[m_preset];
        // A preset continuing a message it started itself is linted as such for its first frame: none.
        setMessageInProgress(0);
        setSpec(preset.frames.first());
        if (m_spec)
            m_presetFirstFrame = FrameWriter::encode(*m_spec).bytes;
    }
    showPresetInfo();
    updateButtons();
}

void FrameCrafter::showPresetInfo()
{
    if (m_preset < 0) {
        m_presetInfo->setText(
            m_presets.isEmpty() ? tr("No presets available.") : tr("Presets load a classic probe into the fields."));
        m_presetExpected->hide();
        m_sendPreset->hide();
        return;
    }
    const ProbePresets::Preset &preset = m_presets[m_preset];
    QString info = preset.description;
    if (!preset.rfcSection.isEmpty())
        info += tr(" (RFC 6455 §%1)").arg(preset.rfcSection);
    const qsizetype frames = preset.frames.size();
    if (frames > 1)
        info += tr("\nThe fields hold frame 1 of %1.").arg(frames);
    if (!m_presetFirstFrame.isEmpty() && (!m_spec || FrameWriter::encode(*m_spec).bytes != m_presetFirstFrame))
        info += tr("\nThe fields were changed since the preset was loaded.");
    m_presetInfo->setText(info);
    m_presetExpected->setText(tr("A correct server: %1").arg(preset.expected.text));
    m_presetExpected->show();
    m_sendPreset->setText(tr("Send &whole preset (%1 frames)").arg(frames));
    m_sendPreset->setVisible(frames > 1);
}

void FrameCrafter::refresh()
{
    if (m_loading)
        return;
    m_spec.reset();
    m_error.clear();

    FrameSpec spec;
    spec.fin = m_fin->isChecked();
    spec.rsv = quint8((m_rsv[0]->isChecked() ? Rsv::Rsv1 : 0) | (m_rsv[1]->isChecked() ? Rsv::Rsv2 : 0)
        | (m_rsv[2]->isChecked() ? Rsv::Rsv3 : 0));
    spec.opcode = quint8(m_opcode->currentData().toInt());
    spec.mask = m_mask->isChecked();
    spec.lengthEncoding = FrameSpec::LengthEncoding(m_lengthEncoding->currentData().toInt());

    const ComposerInput::Parsed payload = parsePayload(payloadMode(), payloadInput());
    QStringList errors;
    if (payload.ok())
        spec.payload = payload.bytes;
    else
        errors << tr("Payload: %1").arg(payload.error);
    if (spec.mask) {
        bool ok = false;
        const quint32 key = m_key->text().toUInt(&ok, 16);
        if (m_key->text().size() == 8 && ok)
            spec.maskingKey = key;
        else
            errors << tr("The masking key needs 8 hex digits (Random draws one).");
    }
    if (m_declare->isChecked()) {
        if (const auto declared = parseLength(m_declared->text()))
            spec.declaredLength = *declared;
        else
            errors << tr("The declared length must be a number from 0 to 18446744073709551615 (or 0x\u2026).");
    }

    m_payloadSize->setText(payload.ok() ? SizeFormat::bytes(payload.bytes.size()) : QString());
    m_declared->setPlaceholderText(payload.ok() ? QString::number(payload.bytes.size()) : QString());
    if (errors.isEmpty()) {
        m_spec = spec;
        // The preview and the check see the frame as it will cross the wire: compressed when asked
        // (compressed on its own here; the connection's stream may refer back into earlier messages).
        FrameSpec wire = spec;
        if (m_compress->isChecked())
            wire.payload = MessageDeflater(15, true).compress(spec.payload);
        const EncodedFrame encoded = FrameWriter::encode(wire);
        m_preview->setFrame(QByteArray(encoded.header().data(), encoded.headerSize), wire.payload,
            m_compressionAgreed && m_compress->isChecked());
        FrameLint::Context context;
        context.messageInProgress = messageInProgress();
        context.perMessageDeflate = m_compressionAgreed;
        m_lint = FrameLint::check(wire, context);
    } else {
        m_error = errors.join(u'\n');
        m_preview->clear();
        m_lint = FrameLint::Result();
    }
    m_inputError->setText(m_error);
    m_inputError->setVisible(!m_error.isEmpty());
    showLint();
    if (m_preset >= 0)
        showPresetInfo();
    updateButtons();
}

void FrameCrafter::showLint()
{
    if (!m_spec) {
        m_answer->setText(tr("Nothing to preview until the inputs are fixed."));
        m_findings->clear();
        m_findings->hide();
        applyColors();
        return;
    }
    const FrameLint::Answer &answer = m_lint.answer;
    if (m_lint.isValid()) {
        m_answer->setText(tr("\u2714 Valid frame. A strict server %1.").arg(answer.text));
    } else {
        m_answer->setText(tr("A strict server %1.").arg(answer.text));
    }
    QStringList lines;
    for (const FrameLint::Finding &f : m_lint.findings) {
        // Rules a server fails the connection for are marked apart from what only explains.
        const QString code = f.closeCode ? tr(", %1").arg(f.closeCode) : QString();
        lines << tr("%1 %2 (§%3%4): %5")
                     .arg(f.closeCode || f.stopsParsing ? QStringLiteral("\u2718") : QStringLiteral("\u26a0"), f.ruleId,
                         f.rfcSection, code, f.description);
    }
    if (m_lint.omittedFindings > 0)
        lines << tr("\u2026 and %n more in the misaligned bytes", nullptr, m_lint.omittedFindings);
    m_findings->setText(lines.join(u'\n'));
    m_findings->setVisible(!lines.isEmpty());
    applyColors();
}

void FrameCrafter::setSendEnabled(bool enabled, const QString &reason)
{
    m_sendEnabled = enabled;
    m_disabledReason->setText(enabled ? QString() : reason);
    m_disabledReason->setVisible(!enabled && !reason.isEmpty());
    updateButtons();
}

void FrameCrafter::setInjectMode(bool inject)
{
    m_injectMode = inject;
    m_injectToward->setVisible(inject);
    m_send->setText(inject ? tr("&Inject frame") : tr("&Send frame"));
    m_send->setToolTip(inject ? tr("Inject exactly the bytes of the preview into the relayed connection, between "
                                   "messages, valid or not")
                              : tr("Send exactly the bytes of the preview, valid or not"));
}

Leg FrameCrafter::injectToward() const
{
    return Leg(m_injectToward->currentData().toInt());
}

void FrameCrafter::updateButtons()
{
    m_send->setEnabled(m_sendEnabled && m_spec.has_value());
    m_sendPreset->setEnabled(m_sendEnabled && m_preset >= 0);
}

void FrameCrafter::setCompressionAgreed(bool agreed)
{
    if (agreed == m_compressionAgreed)
        return;
    m_compressionAgreed = agreed;
    refresh();
}

bool FrameCrafter::compressesPayload() const
{
    return m_compress->isChecked();
}

void FrameCrafter::send()
{
    if (!m_sendEnabled || !m_spec)
        return;
    Q_EMIT sendFrameRequested(*m_spec, m_compress->isChecked());
}

void FrameCrafter::sendPreset()
{
    if (!m_sendEnabled || m_preset < 0)
        return;
    Q_EMIT sendPresetRequested(m_presets[m_preset].frames);
}

void FrameCrafter::applyColors()
{
    const QPalette &pal = palette();
    const QColor normal = pal.color(QPalette::WindowText);
    setTextColor(m_inputError, statusColor(pal, false));
    setTextColor(m_findings, statusColor(pal, false));
    QColor answerColor = normal;
    if (m_spec && m_lint.isValid())
        answerColor = statusColor(pal, true);
    else if (m_spec && m_lint.answer.kind != FrameLint::Answer::Kind::Accept
        && m_lint.answer.kind != FrameLint::Answer::Kind::Wait)
        answerColor = statusColor(pal, false);
    setTextColor(m_answer, answerColor);
    setTextColor(m_presetInfo, PaletteColors::mutedColor(pal, 0.35));
    setTextColor(m_disabledReason, PaletteColors::mutedColor(pal, 0.35));
    setTextColor(m_payloadSize, PaletteColors::mutedColor(pal, 0.35));
}

void FrameCrafter::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}
