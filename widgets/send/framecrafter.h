#pragma once

#include "log/wireevent.h"

#include "send/composerinput.h"

#include "probe/framelint.h"
#include "protocol/framewriter.h"
#include "probe/probepresets.h"

#include <QList>
#include <QWidget>
#include <optional>

class FrameHexView;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

// The raw frame crafter: one frame built field by field (FIN, RSV1-3, any of the 16 opcodes, MASK and
// its key, the payload as text, hex or base64, the length encoding and a declared length that may
// lie), previewed as the exact bytes that will be sent, with what a strict server makes of them
// (FrameLint). Presets load the classic conformance probes. Like the composer it only emits
// requests; the main window hands them to the connection.
class FrameCrafter : public QWidget {
    Q_OBJECT
public:
    enum class PayloadMode { Text, Hex, Base64 };
    Q_ENUM(PayloadMode)

    explicit FrameCrafter(QWidget *parent = nullptr);
    ~FrameCrafter() override;

    // "0x1 text", "0x3 reserved (non-control)", "0xB reserved (control)".
    static QString opcodeLabel(quint8 opcode);
    // The payload as typed, in bytes (ComposerInput's parsers for hex and base64). Shared with the
    // fragment builder, whose message is typed the same way.
    static ComposerInput::Parsed parsePayload(PayloadMode mode, const QString &input);
    static QString payloadModeLabel(PayloadMode mode); // "Text (UTF-8)", "Hex", "Base64"
    static QString payloadPlaceholder(PayloadMode mode);

    // The frame Send would emit now, with the key shown in the key field; nullopt when an input cannot
    // be read, and inputError() says which and why.
    std::optional<FrameSpec> spec() const;
    bool compressesPayload() const;
    QString inputError() const;
    // Loads every field from `spec`. The payload is shown as text when it is printable UTF-8, else as
    // hex. A masked spec without a key keeps the key in the field.
    void setSpec(const FrameSpec &spec);

    PayloadMode payloadMode() const;
    void setPayloadMode(PayloadMode mode); // re-reads the editor in the new mode; the text is kept
    QString payloadInput() const;
    void setPayloadInput(const QString &text);

    // What the preview's lint says about spec() (empty result when there is none).
    const FrameLint::Result &lint() const { return m_lint; }
    // The fragmented message the frame is checked as following: 0 (none), Opcode::Text or Binary.
    void setMessageInProgress(quint8 opcode);
    // permessage-deflate was agreed on the current connection: RSV1 is then checked as RFC 7692 says.
    void setCompressionAgreed(bool agreed);
    quint8 messageInProgress() const;

    // The picker starts with ProbePresets::all().
    void setPresets(const QList<ProbePresets::Preset> &presets);
    const QList<ProbePresets::Preset> &presets() const { return m_presets; }
    // Loads the preset's first frame; false (and nothing changes) when the id is unknown.
    bool selectPreset(const QString &id);
    QString currentPresetId() const; // empty when none is chosen

    // Sending needs an OPEN connection; `reason` says why it is disabled.
    void setSendEnabled(bool enabled, const QString &reason = QString());
    // On a relay with intercept, frames are injected toward a side the user picks.
    void setInjectMode(bool inject);
    bool isInjectMode() const { return m_injectMode; }
    Leg injectToward() const;
    bool isSendEnabled() const { return m_sendEnabled; }

public Q_SLOTS:
    void send(); // the frame as previewed; nothing when sending is disabled or an input is unreadable
    void sendPreset(); // every frame of the chosen preset, as the preset defines them
    void randomizeKey();

Q_SIGNALS:
    // `compressPayload`: compress the payload with DEFLATE when sending (permessage-deflate).
    void sendFrameRequested(const FrameSpec &spec, bool compressPayload);
    void sendPresetRequested(const QList<FrameSpec> &frames);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildPresetBox();
    QWidget *buildHeaderBox();
    QWidget *buildPayloadBox();
    QWidget *buildPreviewBox();
    void onPresetActivated(int index);
    void showPresetInfo();
    void refresh();
    void showLint();
    void updateButtons();
    void applyColors();

    QList<ProbePresets::Preset> m_presets;
    int m_preset = -1; // index into m_presets
    QByteArray m_presetFirstFrame; // encoded as loaded, to tell when the fields no longer match it

    QComboBox *m_presetPicker = nullptr;
    QLabel *m_presetInfo = nullptr;
    QLabel *m_presetExpected = nullptr;
    QPushButton *m_sendPreset = nullptr;

    QCheckBox *m_fin = nullptr;
    QCheckBox *m_rsv[3] = {};
    QCheckBox *m_compress = nullptr;
    bool m_compressionAgreed = false;
    QComboBox *m_opcode = nullptr;
    QCheckBox *m_mask = nullptr;
    QLineEdit *m_key = nullptr;
    QPushButton *m_randomKey = nullptr;

    QComboBox *m_payloadMode = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QLabel *m_payloadSize = nullptr;
    QLabel *m_inputError = nullptr;
    QComboBox *m_lengthEncoding = nullptr;
    QCheckBox *m_declare = nullptr;
    QLineEdit *m_declared = nullptr;
    QComboBox *m_context = nullptr;

    FrameHexView *m_preview = nullptr;
    QLabel *m_findings = nullptr;
    QLabel *m_answer = nullptr;
    QLabel *m_disabledReason = nullptr;
    QPushButton *m_send = nullptr;
    QComboBox *m_injectToward = nullptr;
    bool m_injectMode = false;

    std::optional<FrameSpec> m_spec;
    QString m_error;
    FrameLint::Result m_lint;
    bool m_sendEnabled = true;
    bool m_loading = false; // setSpec() in progress: one update at the end
};
