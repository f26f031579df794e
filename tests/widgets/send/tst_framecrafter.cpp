#include "send/framecrafter.h"
#include "inspect/framehexview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Mode = FrameCrafter::PayloadMode;
using Enc = FrameSpec::LengthEncoding;

namespace {

FrameSpec specFrom(const QVariant &v)
{
    return v.value<FrameSpec>();
}

QByteArray hexOf(const FrameSpec &spec)
{
    return FrameWriter::encode(spec).bytes.toHex(' ');
}

ProbePresets::Preset testPreset(const QString &id, QList<FrameSpec> frames, const QString &expected)
{
    ProbePresets::Preset p;
    p.id = id;
    p.title = u"Title of "_s + id;
    p.description = u"What "_s + id + u" sends."_s;
    p.rfcSection = u"5.2"_s;
    p.frames = std::move(frames);
    p.expected.kind = ProbePresets::Expectation::Kind::Close;
    p.expected.closeCodes = { 1002 };
    p.expected.text = expected;
    return p;
}

FrameSpec frame(quint8 opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0)
{
    FrameSpec s;
    s.opcode = opcode;
    s.payload = payload;
    s.fin = fin;
    s.rsv = rsv;
    s.maskingKey = 0x37fa213d;
    return s;
}

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return dark;
}

} // namespace

class tst_FrameCrafter : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void opcodeNames_data();
    void opcodeNames();
    void fieldsMakeExactBytes_data();
    void fieldsMakeExactBytes();
    void lint_data();
    void lint();
    void lintKnowsPermessageDeflate();
    void validIsGreenInBothPalettes();
    void inputErrors_data();
    void inputErrors();
    void randomKey();
    void maskOffDisablesKey();
    void setSpecRoundTrip_data();
    void setSpecRoundTrip();
    void presets();
    void presetFieldsChangedNote();
    void defaultPresetsAreProbePresets();
    void sendDisabledSaysWhy();
    void screenshots();

private:
    FrameCrafter *make()
    {
        m_crafter = std::make_unique<FrameCrafter>();
        m_crafter->resize(470, 900);
        return m_crafter.get();
    }
    template <typename T> T *child(const char *name) const
    {
        auto *w = m_crafter->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
    QString text(const char *label) const { return child<QLabel>(label)->text(); }
    void setKey(const QString &key) { child<QLineEdit>("maskingKey")->setText(key); }
    void click(const char *button) { QTest::mouseClick(child<QPushButton>(button), Qt::LeftButton); }

    std::unique_ptr<FrameCrafter> m_crafter;
};

void tst_FrameCrafter::init()
{
    make();
    m_crafter->setSendEnabled(true);
}

void tst_FrameCrafter::cleanup()
{
    m_crafter.reset();
}

void tst_FrameCrafter::opcodeNames_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QString>("label");
    const char *labels[16] = { "0x0 continuation", "0x1 text", "0x2 binary", "0x3 reserved (non-control)",
        "0x4 reserved (non-control)", "0x5 reserved (non-control)", "0x6 reserved (non-control)",
        "0x7 reserved (non-control)", "0x8 close", "0x9 ping", "0xA pong", "0xB reserved (control)",
        "0xC reserved (control)", "0xD reserved (control)", "0xE reserved (control)", "0xF reserved (control)" };
    for (int op = 0; op < 16; ++op)
        QTest::addRow("%d", op) << op << QString::fromLatin1(labels[op]);
}

void tst_FrameCrafter::opcodeNames()
{
    QFETCH(int, opcode);
    QFETCH(QString, label);
    auto *combo = child<QComboBox>("opcode");
    QCOMPARE(combo->count(), 16);
    QCOMPARE(combo->itemText(opcode), label);
    QCOMPARE(combo->itemData(opcode).toInt(), opcode);
    QCOMPARE(FrameCrafter::opcodeLabel(quint8(opcode)), label);

    // Choosing it puts exactly that opcode in the frame's first byte.
    combo->setCurrentIndex(opcode);
    QVERIFY(m_crafter->spec());
    QCOMPARE(int(quint8(child<FrameHexView>("preview")->header().at(0)) & 0x0F), opcode);
}

void tst_FrameCrafter::fieldsMakeExactBytes_data()
{
    QTest::addColumn<bool>("fin");
    QTest::addColumn<QList<int>>("rsv"); // 1, 2, 3
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("mask");
    QTest::addColumn<QString>("key");
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<int>("encoding"); // index in the combo: minimal, 16, 64
    QTest::addColumn<QString>("declared"); // empty: not declared
    QTest::addColumn<QByteArray>("wire"); // hex, spaced

    QTest::addRow("text, masked") << true << QList<int>() << 1 << true << u"01020304"_s << Mode::Text << u"Hi"_s << 0
                                  << QString() << QByteArray("81 82 01 02 03 04 49 6b");
    QTest::addRow("RSV1+RSV3, no FIN, opcode 3, unmasked, hex")
        << false << QList<int> { 1, 3 } << 3 << false << u"01020304"_s << Mode::Hex << u"01 02 ff"_s << 0 << QString()
        << QByteArray("53 03 01 02 ff");
    QTest::addRow("ping from base64, key 0") << true << QList<int>() << 9 << true << u"00000000"_s << Mode::Base64
                                             << u"AQL/"_s << 0 << QString() << QByteArray("89 83 00 00 00 00 01 02 ff");
    QTest::addRow("close 1000 in hex") << true << QList<int>() << 8 << true << u"37FA213D"_s << Mode::Hex << u"03 e8"_s
                                       << 0 << QString() << QByteArray("88 82 37 fa 21 3d 34 12");
    QTest::addRow("forced 16-bit") << true << QList<int>() << 2 << true << u"00000000"_s << Mode::Text << u"abc"_s << 1
                                   << QString() << QByteArray("82 fe 00 03 00 00 00 00 61 62 63");
    QTest::addRow("forced 64-bit, unmasked") << true << QList<int>() << 1 << false << QString() << Mode::Text << u"a"_s
                                             << 2 << QString() << QByteArray("81 7f 00 00 00 00 00 00 00 01 61");
    QTest::addRow("declared longer") << true << QList<int>() << 1 << false << QString() << Mode::Text << u"hello"_s << 0
                                     << u"10"_s << QByteArray("81 0a 68 65 6c 6c 6f");
    QTest::addRow("declared top bit, hex notation")
        << true << QList<int>() << 2 << false << QString() << Mode::Text << QString() << 0 << u"0x8000000000000000"_s
        << QByteArray("82 7f 80 00 00 00 00 00 00 00");
    QTest::addRow("declared 0 in 16-bit form") << true << QList<int> { 2 } << 0xF << false << QString() << Mode::Hex
                                               << u"ff"_s << 1 << u"0"_s << QByteArray("af 7e 00 00 ff");
    QTest::addRow("UTF-8 text") << true << QList<int>() << 1 << false << QString() << Mode::Text << u"é€"_s << 0
                                << QString() << QByteArray("81 05 c3 a9 e2 82 ac");
}

void tst_FrameCrafter::fieldsMakeExactBytes()
{
    QFETCH(bool, fin);
    QFETCH(QList<int>, rsv);
    QFETCH(int, opcode);
    QFETCH(bool, mask);
    QFETCH(QString, key);
    QFETCH(Mode, mode);
    QFETCH(QString, payload);
    QFETCH(int, encoding);
    QFETCH(QString, declared);
    QFETCH(QByteArray, wire);

    child<QCheckBox>("fin")->setChecked(fin);
    for (int bit : rsv)
        child<QCheckBox>(qPrintable(u"rsv%1"_s.arg(bit)))->setChecked(true);
    child<QComboBox>("opcode")->setCurrentIndex(opcode);
    child<QCheckBox>("mask")->setChecked(mask);
    if (!key.isEmpty())
        setKey(key);
    m_crafter->setPayloadMode(mode);
    child<QPlainTextEdit>("payload")->setPlainText(payload);
    child<QComboBox>("lengthEncoding")->setCurrentIndex(encoding);
    if (!declared.isEmpty()) {
        child<QCheckBox>("declare")->setChecked(true);
        child<QLineEdit>("declaredLength")->setText(declared);
    }

    const std::optional<FrameSpec> spec = m_crafter->spec();
    QVERIFY2(spec, qPrintable(m_crafter->inputError()));
    QCOMPARE(hexOf(*spec), wire);

    // The preview is the encoding of the fields: header bytes and the unmasked payload behind them.
    const EncodedFrame encoded = FrameWriter::encode(*spec);
    auto *preview = child<FrameHexView>("preview");
    QCOMPARE(preview->header(), QByteArray(encoded.header().data(), encoded.headerSize));
    QCOMPARE(preview->payload(), spec->payload);
    preview->setShowMasked(true);
    QByteArray shown;
    for (qint64 i = 0; i < preview->totalSize(); ++i)
        shown.append(char(preview->displayedByte(i)));
    QCOMPARE(shown.toHex(' '), wire);

    QSignalSpy spy(m_crafter.get(), &FrameCrafter::sendFrameRequested);
    click("sendFrame");
    QCOMPARE(spy.count(), 1);
    QCOMPARE(hexOf(specFrom(spy.at(0).at(0))), wire);
}

void tst_FrameCrafter::lint_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<int>("rsv");
    QTest::addColumn<bool>("mask");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("declared");
    QTest::addColumn<int>("context");
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("findings");

    QTest::addRow("valid") << 1 << 0 << true << u"hi"_s << QString() << 0
                           << u"\u2714 Valid frame. A strict server accepts the frame."_s << QString();
    QTest::addRow("RSV1") << 1 << 4 << true << u"hi"_s << QString() << 0
                          << u"A strict server fails the connection with a close frame: 1002 Protocol Error (the "
                             u"frame, reserved-bits-set)."_s
                          << u"\u2718 reserved-bits-set (§5.2, 1002): RSV1 set on a text frame without a negotiated "
                             u"extension that defines it"_s;
    QTest::addRow("opcode 3") << 3 << 0 << true << u"hi"_s << QString() << 0
                              << u"A strict server fails the connection with a close frame: 1002 Protocol Error (the "
                                 u"frame, reserved-opcode)."_s
                              << u"\u2718 reserved-opcode (§5.2, 1002): opcode 3 is reserved (non-control frame); no "
                                 u"extension defines it"_s;
    QTest::addRow("ping 126 bytes") << 9 << 0 << true << QString(126, u'p') << QString() << 0
                                    << u"A strict server fails the connection with a close frame: 1002 Protocol Error "
                                       u"(the frame, control-frame-too-long)."_s
                                    << u"\u2718 control-frame-too-long (§5.5, 1002): ping frame with 126-byte payload; "
                                       u"control frames carry at most 125"_s;
    QTest::addRow("unmasked") << 2 << 0 << false << u"hi"_s << QString() << 0
                              << u"A strict server fails the connection with a close frame: 1002 Protocol Error (the "
                                 u"frame, unmasked-frame-from-client)."_s
                              << u"\u2718 unmasked-frame-from-client (§5.1, 1002): binary frame from the client is not "
                                 u"masked; clients must mask every frame"_s;
    QTest::addRow("declared longer")
        << 1 << 0 << true << u"hello"_s << u"10"_s << 0
        << u"A strict server waits for 5 more bytes to complete the frame; a server with "
           u"a read timeout drops the connection when it expires."_s
        << u"\u26a0 declared-length-exceeds-payload (§5.2): The frame declares 10 bytes of "
           u"payload but carries 5: the server waits for 5 more bytes and reads whatever "
           u"is sent next (the next frame's header included) as the rest of this "
           u"payload"_s;
    QTest::addRow("continuation outside a message")
        << 0 << 0 << true << u"x"_s << QString() << 0
        << u"A strict server fails the connection with a close frame: 1002 Protocol Error (the frame, "
           u"continuation-without-start)."_s
        << u"\u2718 continuation-without-start (§5.4, 1002): continuation frame with no fragmented message in "
           u"progress"_s;
    QTest::addRow("continuation inside a text message")
        << 0 << 0 << true << u"x"_s << QString() << 1 << u"\u2714 Valid frame. A strict server accepts the frame."_s
        << QString();
}

void tst_FrameCrafter::lint()
{
    QFETCH(int, opcode);
    QFETCH(int, rsv);
    QFETCH(bool, mask);
    QFETCH(QString, payload);
    QFETCH(QString, declared);
    QFETCH(int, context);
    QFETCH(QString, answer);
    QFETCH(QString, findings);

    child<QComboBox>("opcode")->setCurrentIndex(opcode);
    child<QCheckBox>("rsv1")->setChecked(rsv & Rsv::Rsv1);
    child<QCheckBox>("mask")->setChecked(mask);
    child<QPlainTextEdit>("payload")->setPlainText(payload);
    child<QCheckBox>("declare")->setChecked(!declared.isEmpty());
    child<QLineEdit>("declaredLength")->setText(declared);
    child<QComboBox>("context")->setCurrentIndex(context);

    QCOMPARE(text("lintAnswer"), answer);
    QCOMPARE(text("lintFindings"), findings);
    QCOMPARE(child<QLabel>("lintFindings")->isVisibleTo(m_crafter.get()), !findings.isEmpty());
    QCOMPARE(m_crafter->lint().isValid(), findings.isEmpty());
    // Invalid frames can be sent: that is what the crafter is for.
    QVERIFY(child<QPushButton>("sendFrame")->isEnabled());
}

void tst_FrameCrafter::validIsGreenInBothPalettes()
{
    auto colorOf = [this](const char *label) { return child<QLabel>(label)->palette().color(QPalette::WindowText); };
    QCOMPARE(colorOf("lintAnswer"), QColor(0x0f, 0x5f, 0x26));
    child<QCheckBox>("rsv2")->setChecked(true);
    QCOMPARE(colorOf("lintAnswer"), QColor(0xb0, 0x18, 0x18));
    QCOMPARE(colorOf("lintFindings"), QColor(0xb0, 0x18, 0x18));

    m_crafter->setPalette(darkPalette());
    QCOMPARE(colorOf("lintAnswer"), QColor(0xff, 0x8a, 0x80));
    child<QCheckBox>("rsv2")->setChecked(false);
    QCOMPARE(colorOf("lintAnswer"), QColor(0x7e, 0xe7, 0x87));
}

void tst_FrameCrafter::inputErrors_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("declared");
    QTest::addColumn<QString>("error");

    QTest::addRow("bad hex") << Mode::Hex << u"01 0z"_s << u"01020304"_s << QString()
                             << u"Payload: invalid hex digit 'z' at position 5"_s;
    QTest::addRow("bad base64") << Mode::Base64 << u"aG!k"_s << u"01020304"_s << QString()
                                << u"Payload: invalid base64 character '!' at position 3"_s;
    QTest::addRow("short key") << Mode::Text << u"x"_s << u"0102"_s << QString()
                               << u"The masking key needs 8 hex digits (Random draws one)."_s;
    QTest::addRow("declared not a number")
        << Mode::Text << u"x"_s << u"01020304"_s << u"ten"_s
        << u"The declared length must be a number from 0 to 18446744073709551615 (or 0x…)."_s;
    QTest::addRow("declared over 64 bits")
        << Mode::Text << u"x"_s << u"01020304"_s << u"18446744073709551616"_s
        << u"The declared length must be a number from 0 to 18446744073709551615 (or 0x…)."_s;
    QTest::addRow("two at once") << Mode::Hex << u"1"_s << u""_s << QString()
                                 << u"Payload: odd number of hex digits in '1' at position 1: each byte needs two "
                                    u"digits\nThe masking key needs 8 hex digits (Random draws one)."_s;
}

void tst_FrameCrafter::inputErrors()
{
    QFETCH(Mode, mode);
    QFETCH(QString, payload);
    QFETCH(QString, key);
    QFETCH(QString, declared);
    QFETCH(QString, error);

    m_crafter->setPayloadMode(mode);
    m_crafter->setPayloadInput(payload);
    setKey(key);
    if (!declared.isEmpty()) {
        child<QCheckBox>("declare")->setChecked(true);
        child<QLineEdit>("declaredLength")->setText(declared);
    }
    QVERIFY(!m_crafter->spec());
    QCOMPARE(m_crafter->inputError(), error);
    QCOMPARE(text("inputError"), error);
    QVERIFY(child<QLabel>("inputError")->isVisibleTo(m_crafter.get()));
    QVERIFY(!child<QPushButton>("sendFrame")->isEnabled());
    QCOMPARE(child<FrameHexView>("preview")->totalSize(), 0);
    QCOMPARE(text("lintAnswer"), u"Nothing to preview until the inputs are fixed."_s);

    QSignalSpy spy(m_crafter.get(), &FrameCrafter::sendFrameRequested);
    m_crafter->send();
    QCOMPARE(spy.count(), 0);

    // What was typed stays; fixing it brings the frame back.
    QCOMPARE(m_crafter->payloadInput(), payload);
    m_crafter->setPayloadMode(Mode::Text);
    setKey(u"01020304"_s);
    child<QCheckBox>("declare")->setChecked(false);
    QVERIFY(m_crafter->spec());
    QVERIFY(child<QPushButton>("sendFrame")->isEnabled());
    QVERIFY(!child<QLabel>("inputError")->isVisibleTo(m_crafter.get()));
}

void tst_FrameCrafter::randomKey()
{
    auto *key = child<QLineEdit>("maskingKey");
    // A key is there from the start, so the preview is exact at once.
    QCOMPARE(key->text().size(), 8);
    QVERIFY(m_crafter->spec() && m_crafter->spec()->maskingKey);

    QSet<QString> seen { key->text() };
    for (int i = 0; i < 4; ++i) {
        click("randomKey");
        QVERIFY(QRegularExpression(u"^[0-9a-f]{8}$"_s).match(key->text()).hasMatch());
        QCOMPARE(*m_crafter->spec()->maskingKey, key->text().toUInt(nullptr, 16));
        seen.insert(key->text());
    }
    QVERIFY(seen.size() >= 4); // 2^-32 chance per pair of repeating

    // The preview's masking key bytes follow the field.
    setKey(u"a1b2c3d4"_s);
    QCOMPARE(child<FrameHexView>("preview")->header().toHex(), QByteArray("8180a1b2c3d4"));
}

void tst_FrameCrafter::maskOffDisablesKey()
{
    child<QCheckBox>("mask")->setChecked(false);
    QVERIFY(!child<QLineEdit>("maskingKey")->isEnabled());
    QVERIFY(!child<QPushButton>("randomKey")->isEnabled());
    setKey(QString()); // an unusable key does not matter without MASK
    QVERIFY(m_crafter->spec());
    QVERIFY(!m_crafter->spec()->mask);
    QCOMPARE(child<FrameHexView>("preview")->header().toHex(), QByteArray("8100"));
    child<QCheckBox>("mask")->setChecked(true);
    QVERIFY(child<QLineEdit>("maskingKey")->isEnabled());
    QVERIFY(!m_crafter->spec());
}

void tst_FrameCrafter::setSpecRoundTrip_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("shown");

    QTest::addRow("text") << QByteArray("Hello") << Mode::Text << u"Hello"_s;
    QTest::addRow("UTF-8 text") << QByteArray("caf\xc3\xa9") << Mode::Text << u"café"_s;
    QTest::addRow("invalid UTF-8 as hex") << QByteArray("\xce\xba\xff") << Mode::Hex << u"ce ba ff"_s;
    QTest::addRow("control bytes as hex") << QByteArray("\x03\xe8", 2) << Mode::Hex << u"03 e8"_s;
    QTest::addRow("empty") << QByteArray() << Mode::Text << QString();
}

void tst_FrameCrafter::setSpecRoundTrip()
{
    QFETCH(QByteArray, payload);
    QFETCH(Mode, mode);
    QFETCH(QString, shown);

    FrameSpec spec;
    spec.fin = false;
    spec.rsv = Rsv::Rsv2;
    spec.opcode = 0xD;
    spec.maskingKey = 0xdeadbeef;
    spec.lengthEncoding = Enc::Force64;
    spec.declaredLength = 7;
    spec.payload = payload;
    m_crafter->setSpec(spec);
    QCOMPARE(m_crafter->payloadMode(), mode);
    QCOMPARE(m_crafter->payloadInput(), shown);
    QCOMPARE(child<QLineEdit>("maskingKey")->text(), u"deadbeef"_s);
    QVERIFY(m_crafter->spec());
    QCOMPARE(hexOf(*m_crafter->spec()), hexOf(spec));
}

void tst_FrameCrafter::presets()
{
    const FrameSpec rsv1 = frame(Opcode::Text, "Hello", true, Rsv::Rsv1);
    const QList<FrameSpec> split { frame(Opcode::Text, "Hel", false), frame(Opcode::Ping, {}),
        frame(Opcode::Continuation, "lo") };
    m_crafter->setPresets(
        { testPreset(u"single"_s, { rsv1 }, u"closes with 1002"_s), testPreset(u"multi"_s, split, u"echoes Hello"_s) });

    auto *picker = child<QComboBox>("presets");
    QCOMPARE(picker->count(), 3);
    QCOMPARE(picker->itemText(1), u"Title of single \u2192 close 1002"_s);
    QCOMPARE(picker->itemData(1, Qt::ToolTipRole).toString(), u"What single sends."_s);
    QCOMPARE(m_crafter->currentPresetId(), QString());
    QVERIFY(!child<QPushButton>("sendPreset")->isVisibleTo(m_crafter.get()));
    QVERIFY(!m_crafter->selectPreset(u"nope"_s));

    // Choosing one in the picker loads its first frame's fields.
    picker->setCurrentIndex(1);
    Q_EMIT picker->activated(1);
    QCOMPARE(m_crafter->currentPresetId(), u"single"_s);
    QVERIFY(m_crafter->spec());
    QCOMPARE(hexOf(*m_crafter->spec()), hexOf(rsv1));
    QVERIFY(child<QCheckBox>("rsv1")->isChecked());
    QCOMPARE(text("presetInfo"), u"What single sends. (RFC 6455 §5.2)"_s);
    QCOMPARE(text("presetExpected"), u"A correct server: closes with 1002"_s);
    QVERIFY(!child<QPushButton>("sendPreset")->isVisibleTo(m_crafter.get()));
    QCOMPARE(m_crafter->lint().answer.shortText(), u"1002"_s);

    QVERIFY(m_crafter->selectPreset(u"multi"_s));
    QCOMPARE(hexOf(*m_crafter->spec()), hexOf(split.first()));
    QVERIFY(!child<QCheckBox>("fin")->isChecked());
    QCOMPARE(text("presetInfo"), u"What multi sends. (RFC 6455 §5.2)\nThe fields hold frame 1 of 3."_s);
    auto *sendPreset = child<QPushButton>("sendPreset");
    QVERIFY(sendPreset->isVisibleTo(m_crafter.get()));
    QCOMPARE(sendPreset->text(), u"Send &whole preset (3 frames)"_s);

    QSignalSpy presetSpy(m_crafter.get(), &FrameCrafter::sendPresetRequested);
    QSignalSpy frameSpy(m_crafter.get(), &FrameCrafter::sendFrameRequested);
    click("sendPreset");
    QCOMPARE(presetSpy.count(), 1);
    QCOMPARE(frameSpy.count(), 0);
    const auto sent = presetSpy.at(0).at(0).value<QList<FrameSpec>>();
    QCOMPARE(sent.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(hexOf(sent[i]), hexOf(split[i]));

    // Back to the prompt: no preset, the fields stay.
    picker->setCurrentIndex(0);
    Q_EMIT picker->activated(0);
    QCOMPARE(m_crafter->currentPresetId(), QString());
    QVERIFY(!sendPreset->isVisibleTo(m_crafter.get()));
    QCOMPARE(hexOf(*m_crafter->spec()), hexOf(split.first()));
}

void tst_FrameCrafter::presetFieldsChangedNote()
{
    m_crafter->setPresets({ testPreset(u"p"_s, { frame(Opcode::Text, "Hello", true, Rsv::Rsv1) }, u"x"_s) });
    QVERIFY(m_crafter->selectPreset(u"p"_s));
    const QString loaded = text("presetInfo");
    child<QCheckBox>("rsv1")->setChecked(false);
    QCOMPARE(text("presetInfo"), loaded + u"\nThe fields were changed since the preset was loaded."_s);
    child<QCheckBox>("rsv1")->setChecked(true);
    QCOMPARE(text("presetInfo"), loaded);
}

void tst_FrameCrafter::defaultPresetsAreProbePresets()
{
    const QList<ProbePresets::Preset> all = ProbePresets::all();
    QVERIFY(!all.isEmpty());
    auto *picker = child<QComboBox>("presets");
    QCOMPARE(picker->count(), all.size() + 1);
    for (int i = 0; i < all.size(); ++i) {
        QCOMPARE(picker->itemData(i + 1).toString(), all[i].id);
        QVERIFY2(picker->itemText(i + 1).startsWith(all[i].title + u" \u2192 "_s), qPrintable(picker->itemText(i + 1)));
        // Every preset loads, and its first frame is previewed byte for byte.
        QVERIFY(m_crafter->selectPreset(all[i].id));
        if (all[i].frames.isEmpty())
            continue;
        QVERIFY2(m_crafter->spec(), qPrintable(all[i].id));
        FrameSpec expected = all[i].frames.first();
        if (expected.mask && !expected.maskingKey)
            expected.maskingKey = m_crafter->spec()->maskingKey;
        QCOMPARE(hexOf(*m_crafter->spec()), hexOf(expected));
    }
}

void tst_FrameCrafter::sendDisabledSaysWhy()
{
    m_crafter->setSendEnabled(false, u"Not connected: connect first."_s);
    QVERIFY(!child<QPushButton>("sendFrame")->isEnabled());
    QCOMPARE(text("disabledReason"), u"Not connected: connect first."_s);
    QVERIFY(child<QLabel>("disabledReason")->isVisibleTo(m_crafter.get()));
    m_crafter->setPresets({ testPreset(u"m"_s, { frame(1, "a", false), frame(0, "b") }, u"x"_s) });
    QVERIFY(m_crafter->selectPreset(u"m"_s));
    QVERIFY(!child<QPushButton>("sendPreset")->isEnabled());

    QSignalSpy frames(m_crafter.get(), &FrameCrafter::sendFrameRequested);
    QSignalSpy presets(m_crafter.get(), &FrameCrafter::sendPresetRequested);
    m_crafter->send();
    m_crafter->sendPreset();
    QCOMPARE(frames.count(), 0);
    QCOMPARE(presets.count(), 0);

    m_crafter->setSendEnabled(true);
    QVERIFY(child<QPushButton>("sendFrame")->isEnabled());
    QVERIFY(child<QPushButton>("sendPreset")->isEnabled());
    QVERIFY(!child<QLabel>("disabledReason")->isVisibleTo(m_crafter.get()));
    m_crafter->send();
    QCOMPARE(frames.count(), 1);
}

void tst_FrameCrafter::screenshots()
{
    // As in a side dock of ~470 px: nothing may need more width than that.
    QVERIFY2(
        m_crafter->minimumSizeHint().width() <= 470, qPrintable(QString::number(m_crafter->minimumSizeHint().width())));
    m_crafter->resize(470, 980);
    m_crafter->setPresets({ testPreset(u"split"_s,
        { frame(Opcode::Text, "Hel", false, Rsv::Rsv1), frame(Opcode::Ping, {}), frame(Opcode::Continuation, "lo") },
        u"fails the connection: close 1002 Protocol Error (or drops TCP)"_s) });
    QVERIFY(m_crafter->selectPreset(u"split"_s));
    child<QComboBox>("opcode")->setCurrentIndex(3);
    m_crafter->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_crafter.get()));
    QVERIFY(m_crafter->grab().save(u"/tmp/framecrafter.png"_s));

    m_crafter->setPalette(darkPalette());
    m_crafter->setSpec(frame(Opcode::Text, "Hello, frame crafter"));
    QVERIFY(m_crafter->grab().save(u"/tmp/framecrafter-dark.png"_s));

    m_crafter->setPalette(QPalette());
    m_crafter->setSendEnabled(false, u"Not connected."_s);
    m_crafter->setPayloadMode(Mode::Hex);
    m_crafter->setPayloadInput(u"01 0z"_s);
    m_crafter->resize(470, 560);
    QCoreApplication::processEvents(); // the posted layout request updates the scroll bar
    QVERIFY(m_crafter->findChild<QScrollArea *>(u"crafterScroll"_s)->verticalScrollBar()->isVisible());
    QVERIFY(m_crafter->grab().save(u"/tmp/framecrafter-short.png"_s));
}

// With permessage-deflate agreed, RSV1 on a text frame whose payload is compressed is valid, RSV1 on
// a ping is not, and the preview shows the compressed bytes that will cross the wire.
void tst_FrameCrafter::lintKnowsPermessageDeflate()
{
    child<QComboBox>("opcode")->setCurrentIndex(Opcode::Text);
    child<QCheckBox>("rsv1")->setChecked(true);
    child<QPlainTextEdit>("payload")->setPlainText(QStringLiteral("Hello"));
    QVERIFY(!m_crafter->lint().isValid()); // no extension agreed: RSV1 is reserved
    m_crafter->setCompressionAgreed(true);
    child<QCheckBox>("compressPayload")->setChecked(true);
    QVERIFY2(m_crafter->lint().isValid(), qPrintable(text("lintFindings")));
    QCOMPARE(m_crafter->compressesPayload(), true);
    QCOMPARE(m_crafter->spec()->payload, QByteArray("Hello")); // compressed by the connection when sent
    // Not compressed although RSV1 says so: the payload does not inflate.
    child<QCheckBox>("compressPayload")->setChecked(false);
    QVERIFY(text("lintFindings").contains(QStringLiteral("invalid-compressed-data")));
    child<QComboBox>("opcode")->setCurrentIndex(Opcode::Ping);
    QVERIFY(text("lintFindings").contains(QStringLiteral("compressed-control-frame")));
}

QTEST_MAIN(tst_FrameCrafter)
#include "tst_framecrafter.moc"
