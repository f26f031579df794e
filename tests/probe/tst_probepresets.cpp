// Every probe preset, byte for byte. The expected bytes were written down independently of
// FrameWriter (RFC 6455 §5.2 header layout, masking with the presets' fixed key 37 fa 21 3d), so a
// change in a preset or in the writer shows up here as a byte difference.

#include "protocol/closecodes.h"
#include "protocol/frameparser.h"
#include "probe/probepresets.h"

#include <QSet>
#include <QtTest>

namespace {

struct Row {
    const char *id;
    int frames;
    const char *firstViolation; // what our own server-side parser reports first; "" for none
    const char *hex; // every frame of the preset, concatenated, exactly as on the wire
};

// In the order of ProbePresets::all().
const Row Rows[] = {
    { "rsv1-set", 1, "reserved-bits-set", "c18537fa213d7f9f4d5158" },
    { "rsv2-set", 1, "reserved-bits-set", "a18537fa213d7f9f4d5158" },
    { "rsv3-set", 1, "reserved-bits-set", "918537fa213d7f9f4d5158" },
    { "reserved-opcode-3", 1, "reserved-opcode", "838537fa213d7f9f4d5158" },
    { "reserved-opcode-7", 1, "reserved-opcode", "878537fa213d7f9f4d5158" },
    { "reserved-opcode-11", 1, "reserved-opcode", "8b8537fa213d7f9f4d5158" },
    { "reserved-opcode-15", 1, "reserved-opcode", "8f8537fa213d7f9f4d5158" },
    { "ping-126-bytes", 1, "control-frame-too-long",
        "89fe007e37fa213d1dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b17"
        "1dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b17"
        "1dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b171dd00b17"
        "1dd0" },
    { "ping-fragmented", 2, "control-frame-fragmented", "098437fa213d47934f5a808137fa213d16" },
    { "continuation-without-start", 1, "continuation-without-start", "808537fa213d7f9f4d5158" },
    { "text-inside-fragmented-message", 2, "data-frame-inside-fragmented-message",
        "018737fa213d7f9f4d5158d601818537fa213d4095535153" },
    { "invalid-utf8", 1, "invalid-utf8-text", "819437fa213df940c0808e35a2f38b3494d0977a44595e8e4459" },
    { "invalid-utf8-in-fragment", 2, "invalid-utf8-text",
        "018b37fa213df940c0808e35a2f38b3494808937fa213dda5aa1585393555853" },
    { "utf8-split-code-point", 3, "", "018337fa213df940c0008337fa213d8a43ee808537fa213db4349df382" },
    { "ping-between-fragments", 3, "", "018737fa213d7f9f4d5158d601898537fa213d47884e5f52808537fa213d4095535153" },
    { "close-1-byte-payload", 1, "close-payload-one-byte", "888137fa213d34" },
    { "close-code-999", 1, "invalid-close-code", "888237fa213d341d" },
    { "close-code-1004", 1, "invalid-close-code", "888237fa213d3416" },
    { "close-code-1005", 1, "invalid-close-code", "888237fa213d3417" },
    { "close-code-1006", 1, "invalid-close-code", "888237fa213d3414" },
    { "close-code-1015", 1, "invalid-close-code", "888237fa213d340d" },
    { "close-code-1016", 1, "invalid-close-code", "888237fa213d3402" },
    { "close-code-5000", 1, "invalid-close-code", "888237fa213d2472" },
    { "close-reason-124-bytes", 1, "control-frame-too-long",
        "88fe007e37fa213d3412534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f"
        "4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f"
        "4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f4588534f"
        "4588" },
    { "close-reason-invalid-utf8", 1, "close-reason-invalid-utf8",
        "889637fa213d3412ef87d64798f2b4349df3821781bd529e4849529e" },
    { "unmasked-client-frame", 1, "unmasked-frame-from-client", "810548656c6c6f" },
    { "data-after-close", 2, "", "888237fa213d3412818537fa213d7f9f4d5158" },
    { "close-empty", 1, "", "888037fa213d" },
    { "close-code-1012", 1, "", "888237fa213d340e" },
    { "close-code-4000", 1, "", "888537fa213d385a434452" },
};

struct Collector : FrameParserHandler {
    QStringList violations;
    QList<quint16> violationCodes;
    QList<QByteArray> messages;
    int frames = 0;
    void onFrame(const ParsedFrame &) override { ++frames; }
    void onMessage(quint8, QByteArrayView payload, int) override { messages << payload.toByteArray(); }
    void onViolation(const Violation &v, QByteArrayView) override
    {
        violations << Violation::ruleId(v.rule);
        violationCodes << v.closeCode;
    }
};

QByteArray wireBytes(const ProbePresets::Preset &preset)
{
    QByteArray bytes;
    for (const FrameSpec &spec : preset.frames)
        bytes += FrameWriter::encode(spec).bytes;
    return bytes;
}

} // namespace

class tst_ProbePresets : public QObject {
    Q_OBJECT

private slots:
    void bytes_data();
    void bytes();
    void everyPresetIsInTheTable();
    void parserAgrees_data();
    void parserAgrees();
    void expectationsAreComplete();
    void deflatePresetsAgreeWithTheParser();
    void byId();
};

void tst_ProbePresets::bytes_data()
{
    QTest::addColumn<int>("frameCount");
    QTest::addColumn<QByteArray>("wire");
    for (const Row &row : Rows)
        QTest::addRow("%s", row.id) << row.frames << QByteArray::fromHex(row.hex);
}

void tst_ProbePresets::bytes()
{
    QFETCH(int, frameCount);
    QFETCH(QByteArray, wire);
    const ProbePresets::Preset preset = ProbePresets::byId(QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY2(!preset.id.isEmpty(), QTest::currentDataTag());
    QCOMPARE(preset.frames.size(), frameCount);
    const QByteArray encoded = wireBytes(preset);
    QCOMPARE(encoded.toHex(), wire.toHex());
    // Deterministic: a second encoding is identical (no random masking key slipped in).
    QCOMPARE(wireBytes(preset), encoded);
    for (const FrameSpec &spec : preset.frames) {
        if (spec.mask)
            QCOMPARE(spec.maskingKey.value_or(0), 0x37fa213du);
    }
}

// The classic presets, byte for byte in the table; the permessage-deflate ones after them (their
// compressed bytes are checked by inflating them in deflatePresetsAgreeWithTheParser()).
void tst_ProbePresets::everyPresetIsInTheTable()
{
    QList<ProbePresets::Preset> presets = ProbePresets::all();
    const qsizetype classic = std::size(Rows);
    QVERIFY(presets.size() > classic);
    for (qsizetype i = classic; i < presets.size(); ++i)
        QVERIFY2(presets[i].deflate && presets[i].id.startsWith(QStringLiteral("deflate-")), qPrintable(presets[i].id));
    presets.resize(classic);
    QSet<QString> ids;
    for (qsizetype i = 0; i < presets.size(); ++i) {
        QCOMPARE(presets[i].id, QString::fromLatin1(Rows[i].id)); // stable order
        QVERIFY2(!ids.contains(presets[i].id), qPrintable(presets[i].id));
        ids.insert(presets[i].id);
    }
}

void tst_ProbePresets::parserAgrees_data()
{
    QTest::addColumn<QString>("firstViolation");
    for (const Row &row : Rows)
        QTest::addRow("%s", row.id) << QString::fromLatin1(row.firstViolation);
}

// Our own strict parser, in the server's role, must see in each preset the rule the preset claims to
// break, and answer with a code the expectation accepts; the valid presets must come out as the
// expected message with no violation.
void tst_ProbePresets::parserAgrees()
{
    QFETCH(QString, firstViolation);
    const ProbePresets::Preset preset = ProbePresets::byId(QString::fromLatin1(QTest::currentDataTag()));
    Collector collector;
    FrameParser parser(FrameParser::Role::Server, &collector);
    parser.feed(wireBytes(preset));
    QCOMPARE(collector.frames, preset.frames.size());
    QCOMPARE(collector.violations.value(0), firstViolation);
    if (preset.expected.kind == ProbePresets::Expectation::Kind::Echo) {
        QVERIFY(collector.violations.isEmpty());
        QCOMPARE(collector.messages, QList<QByteArray> { preset.expected.echo });
    } else if (!firstViolation.isEmpty()) {
        QVERIFY2(preset.expected.closeCodes.contains(collector.violationCodes.first()),
            qPrintable(QString::number(collector.violationCodes.first())));
    }
}

void tst_ProbePresets::expectationsAreComplete()
{
    for (const ProbePresets::Preset &p : ProbePresets::all()) {
        const QByteArray tag = p.id.toUtf8();
        QVERIFY2(!p.title.isEmpty() && !p.description.isEmpty() && !p.expected.text.isEmpty(), tag);
        // The title names what a correct server does.
        QVERIFY2(p.title.contains(QStringLiteral(" → ")), tag);
        QVERIFY2(!p.rfcSection.isEmpty() && p.rfcSection.front().isDigit(), tag);
        QVERIFY2(!p.frames.isEmpty(), tag);
        if (p.expected.kind == ProbePresets::Expectation::Kind::Echo) {
            QVERIFY2(!p.expected.echo.isEmpty(), tag);
            QVERIFY2(p.expected.closeCodes.isEmpty(), tag);
            QVERIFY2(!p.expected.dropAccepted, tag);
        } else {
            QVERIFY2(!p.expected.closeCodes.isEmpty(), tag);
            for (quint16 code : p.expected.closeCodes) // 1005 stands for "close frame without a code"
                QVERIFY2(code == CloseCodes::NoStatusReceived || CloseCodes::isValidOnWire(code), tag);
        }
    }
}

// Our own parser, as a server that accepted the preset's offer, inflates each compressed preset to
// the messages the echo expects, or finds the rule the preset breaks.
void tst_ProbePresets::deflatePresetsAgreeWithTheParser()
{
    int count = 0;
    for (const ProbePresets::Preset &p : ProbePresets::all()) {
        if (!p.deflate)
            continue;
        ++count;
        const QByteArray tag = p.id.toUtf8();
        QCOMPARE(p.rfcDocument, QStringLiteral("RFC 7692"));
        Collector collector;
        FrameParser parser(FrameParser::Role::Server, &collector);
        parser.setPerMessageDeflate(true, p.deflate->clientNoContextTakeover);
        parser.feed(wireBytes(p));
        QCOMPARE(collector.frames, p.frames.size());
        if (p.expected.kind == ProbePresets::Expectation::Kind::Echo) {
            QVERIFY2(collector.violations.isEmpty(), tag + ": " + collector.violations.join(u',').toUtf8());
            QCOMPARE(collector.messages.size(), p.expected.messages);
            QCOMPARE(collector.messages.join(), p.expected.echo);
            QVERIFY2(wireBytes(p).size() < p.expected.echo.size() || p.expected.echo.size() < 100, tag);
        } else {
            QVERIFY2(!collector.violations.isEmpty(), tag);
            QVERIFY2(p.expected.closeCodes.contains(collector.violationCodes.first()), tag);
        }
    }
    QCOMPARE(count, 9);
}

void tst_ProbePresets::byId()
{
    const ProbePresets::Preset p = ProbePresets::byId(QStringLiteral("close-code-1005"));
    QCOMPARE(p.id, QStringLiteral("close-code-1005"));
    QCOMPARE(p.frames.size(), 1);
    QCOMPARE(p.frames.first().payload, QByteArray::fromHex("03ed"));
    QCOMPARE(p.expected.closeCodes, QList<quint16> { 1002 });
    QVERIFY(ProbePresets::byId(QStringLiteral("no-such-probe")).id.isEmpty());
    QVERIFY(ProbePresets::byId(QString()).id.isEmpty());
    QVERIFY(ProbePresets::byId(QStringLiteral("data-after-close")).expected.closeCodes.contains(1000));
    QVERIFY(!ProbePresets::byId(QStringLiteral("data-after-close")).expected.dropAccepted);
}

QTEST_GUILESS_MAIN(tst_ProbePresets)
#include "tst_probepresets.moc"
