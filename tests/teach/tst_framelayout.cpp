#include "teach/framelayout.h"

#include <QMetaEnum>
#include <QtTest>

using FieldId = FrameLayout::FieldId;

namespace {

QString idName(FieldId id)
{
    return QString::fromLatin1(QMetaEnum::fromType<FieldId>().valueToKey(int(id)));
}

// One line per field: "Id bytes=offset+count bits=offset+count value=N 'value text'".
QStringList describe(const FrameLayout &layout)
{
    QStringList lines;
    for (const FrameLayout::Field &f : layout.fields()) {
        lines << QStringLiteral("%1 bytes=%2+%3 bits=%4+%5 value=%6 '%7'")
                     .arg(idName(f.id))
                     .arg(f.byteOffset)
                     .arg(f.byteCount)
                     .arg(f.bitOffset)
                     .arg(f.bitCount)
                     .arg(f.value)
                     .arg(f.valueText);
    }
    return lines;
}

QStringList byte0(const QString &fin, const QString &rsv1, const QString &rsv2, const QString &rsv3, int opcode,
    const QString &opcodeText)
{
    return {
        QStringLiteral("Fin bytes=0+1 bits=0+1 value=%1 '%2'").arg(fin.left(1), fin),
        QStringLiteral("Rsv1 bytes=0+1 bits=1+1 value=%1 '%2'").arg(rsv1.left(1), rsv1),
        QStringLiteral("Rsv2 bytes=0+1 bits=2+1 value=%1 '%2'").arg(rsv2.left(1), rsv2),
        QStringLiteral("Rsv3 bytes=0+1 bits=3+1 value=%1 '%2'").arg(rsv3.left(1), rsv3),
        QStringLiteral("Opcode bytes=0+1 bits=4+4 value=%1 '%2'").arg(opcode).arg(opcodeText),
    };
}

const QString kFinal = QStringLiteral("1 (final fragment)");
const QString kMore = QStringLiteral("0 (more fragments follow)");
const QString kClear = QStringLiteral("0 (clear)");
const QString kSet = QStringLiteral("1 (set)");
const QString kUnmasked = QStringLiteral("Mask bytes=1+1 bits=8+1 value=0 '0 (payload is not masked)'");
const QString kMasked = QStringLiteral("Mask bytes=1+1 bits=8+1 value=1 '1 (payload is masked)'");

} // namespace

class tst_FrameLayout : public QObject {
    Q_OBJECT

private slots:
    void fields_data();
    void fields();
    void fieldAtByte_data();
    void fieldAtByte();
    void fieldAtBit_data();
    void fieldAtBit();
    void opcodeText_data();
    void opcodeText();
    void warnings_data();
    void warnings();
    void namesAndMeanings();
    void fieldLookup();
};

void tst_FrameLayout::fields_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("payloadLength");
    QTest::addColumn<bool>("complete");
    QTest::addColumn<QStringList>("expected");

    // RFC 6455 §5.7: a single-frame unmasked text message "Hello".
    QTest::addRow("rfc 81 05 unmasked Hello")
        << QByteArray::fromHex("8105") << qint64(5) << true
        << (byte0(kFinal, kClear, kClear, kClear, 1, QStringLiteral("0x1 text"))
               << kUnmasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=5 '5 → payload is 5 bytes'")
               << QStringLiteral("Payload bytes=2+5 bits=16+40 value=5 '5 bytes'"));

    // RFC 6455 §5.7: the same message masked with key 37 fa 21 3d.
    QTest::addRow("rfc 81 85 37 fa 21 3d masked Hello")
        << QByteArray::fromHex("818537fa213d") << qint64(5) << true
        << (byte0(kFinal, kClear, kClear, kClear, 1, QStringLiteral("0x1 text"))
               << kMasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=5 '5 → payload is 5 bytes'")
               << QStringLiteral("MaskingKey bytes=2+4 bits=16+32 value=939139389 '0x37fa213d'")
               << QStringLiteral("Payload bytes=6+5 bits=48+40 value=5 '5 bytes, masked on the wire'"));

    // RFC 6455 §5.7: 256 bytes binary message in a single unmasked frame.
    QTest::addRow("rfc 82 7e 01 00 256 bytes")
        << QByteArray::fromHex("827e0100") << qint64(256) << true
        << (byte0(kFinal, kClear, kClear, kClear, 2, QStringLiteral("0x2 binary"))
               << kUnmasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=126 '126 → 16-bit extended length follows'")
               << QStringLiteral("ExtendedPayloadLength bytes=2+2 bits=16+16 value=256 '256 bytes'")
               << QStringLiteral("Payload bytes=4+256 bits=32+2048 value=256 '256 bytes'"));

    // RFC 6455 §5.7: 64 KiB binary message in a single unmasked frame.
    QTest::addRow("rfc 82 7f 00..01 00 00 64KiB")
        << QByteArray::fromHex("827f0000000000010000") << qint64(65536) << true
        << (byte0(kFinal, kClear, kClear, kClear, 2, QStringLiteral("0x2 binary"))
               << kUnmasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=127 '127 → 64-bit extended length follows'")
               << QStringLiteral("ExtendedPayloadLength bytes=2+8 bits=16+64 value=65536 '65536 bytes'")
               << QStringLiteral("Payload bytes=10+65536 bits=80+524288 value=65536 '65536 bytes'"));

    QTest::addRow("masked 64-bit, 14-byte header")
        << QByteArray::fromHex("82ff0000000000010000a1b2c3d4") << qint64(65536) << true
        << (byte0(kFinal, kClear, kClear, kClear, 2, QStringLiteral("0x2 binary"))
               << kMasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=127 '127 → 64-bit extended length follows'")
               << QStringLiteral("ExtendedPayloadLength bytes=2+8 bits=16+64 value=65536 '65536 bytes'")
               << QStringLiteral("MaskingKey bytes=10+4 bits=80+32 value=2712847316 '0xa1b2c3d4'")
               << QStringLiteral(
                      "Payload bytes=14+65536 bits=112+524288 value=65536 '65536 bytes, masked on the wire'"));

    QTest::addRow("masked 16-bit, key with leading zero")
        << QByteArray::fromHex("81fe00c8000000ff") << qint64(200) << true
        << (byte0(kFinal, kClear, kClear, kClear, 1, QStringLiteral("0x1 text"))
               << kMasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=126 '126 → 16-bit extended length follows'")
               << QStringLiteral("ExtendedPayloadLength bytes=2+2 bits=16+16 value=200 '200 bytes'")
               << QStringLiteral("MaskingKey bytes=4+4 bits=32+32 value=255 '0x000000ff'")
               << QStringLiteral("Payload bytes=8+200 bits=64+1600 value=200 '200 bytes, masked on the wire'"));

    // RFC 6455 §5.7: first fragment of a fragmented text message.
    QTest::addRow("rfc 01 03 first fragment")
        << QByteArray::fromHex("0103") << qint64(3) << true
        << (byte0(kMore, kClear, kClear, kClear, 1, QStringLiteral("0x1 text"))
               << kUnmasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=3 '3 → payload is 3 bytes'")
               << QStringLiteral("Payload bytes=2+3 bits=16+24 value=3 '3 bytes'"));

    QTest::addRow("every bit of byte 0 set, empty payload")
        << QByteArray::fromHex("ff00") << qint64(0) << true
        << (byte0(kFinal, kSet, kSet, kSet, 15, QStringLiteral("0xf reserved (control)"))
               << kUnmasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=0 '0 → payload is 0 bytes'")
               << QStringLiteral("Payload bytes=2+0 bits=16+0 value=0 '0 bytes'"));

    QTest::addRow("one byte payload, rsv2 only")
        << QByteArray::fromHex("a901") << qint64(1) << true
        << (byte0(kFinal, kClear, kSet, kClear, 9, QStringLiteral("0x9 ping"))
               << kUnmasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=1 '1 → payload is 1 byte'")
               << QStringLiteral("Payload bytes=2+1 bits=16+8 value=1 '1 byte'"));

    QTest::addRow("125 is the largest 7-bit length")
        << QByteArray::fromHex("827d") << qint64(125) << true
        << (byte0(kFinal, kClear, kClear, kClear, 2, QStringLiteral("0x2 binary"))
               << kUnmasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=125 '125 → payload is 125 bytes'")
               << QStringLiteral("Payload bytes=2+125 bits=16+1000 value=125 '125 bytes'"));

    QTest::addRow("non-minimal 16-bit length")
        << QByteArray::fromHex("817e0005") << qint64(5) << true
        << (byte0(kFinal, kClear, kClear, kClear, 1, QStringLiteral("0x1 text"))
               << kUnmasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=126 '126 → 16-bit extended length follows'")
               << QStringLiteral("ExtendedPayloadLength bytes=2+2 bits=16+16 value=5 '5 bytes (non-minimal encoding)'")
               << QStringLiteral("Payload bytes=4+5 bits=32+40 value=5 '5 bytes'"));

    QTest::addRow("64-bit length with the top bit set")
        << QByteArray::fromHex("827f8000000000000001") << qint64(0) << true
        << (byte0(kFinal, kClear, kClear, kClear, 2, QStringLiteral("0x2 binary"))
               << kUnmasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=127 '127 → 64-bit extended length follows'")
               << QStringLiteral("ExtendedPayloadLength bytes=2+8 bits=16+64 value=9223372036854775809 "
                                 "'9223372036854775809 (invalid: most significant bit set)'")
               << QStringLiteral(
                      "Payload bytes=10+0 bits=80+0 value=0 '0 bytes (header declares 9223372036854775809)'"));

    QTest::addRow("bare payload, no header")
        << QByteArray() << qint64(3) << true
        << QStringList { QStringLiteral("Payload bytes=0+3 bits=0+24 value=3 '3 bytes'") };

    QTest::addRow("truncated: one byte") << QByteArray::fromHex("88") << qint64(0) << false
                                         << byte0(kFinal, kClear, kClear, kClear, 8, QStringLiteral("0x8 close"));

    QTest::addRow("truncated inside the extended length")
        << QByteArray::fromHex("827e01") << qint64(0) << false
        << (byte0(kFinal, kClear, kClear, kClear, 2, QStringLiteral("0x2 binary"))
               << kUnmasked
               << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=126 '126 → 16-bit extended length follows'"));

    QTest::addRow("truncated inside the masking key")
        << QByteArray::fromHex("8a8537fa21") << qint64(0) << false
        << (byte0(kFinal, kClear, kClear, kClear, 10, QStringLiteral("0xa pong"))
               << kMasked << QStringLiteral("PayloadLength bytes=1+1 bits=9+7 value=5 '5 → payload is 5 bytes'"));
}

void tst_FrameLayout::fields()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, payloadLength);
    QFETCH(bool, complete);
    QFETCH(QStringList, expected);

    const FrameLayout layout(header, payloadLength);
    QCOMPARE(describe(layout), expected);
    QCOMPARE(layout.isComplete(), complete);
    QCOMPARE(layout.headerSize(), header.size());
    QCOMPARE(layout.totalSize(), header.size() + payloadLength);
    // Fields tile the frame in bit order without overlapping.
    qint64 nextBit = 0;
    for (const FrameLayout::Field &f : layout.fields()) {
        QCOMPARE(f.bitOffset, nextBit);
        QCOMPARE(f.name, f.id == FieldId::ExtendedPayloadLength ? f.name : FrameLayout::fieldName(f.id));
        QVERIFY2(!f.meaning.isEmpty(), qPrintable(f.name));
        nextBit = f.bitOffset + f.bitCount;
    }
    if (complete)
        QCOMPARE(nextBit, layout.totalSize() * 8);
}

void tst_FrameLayout::fieldAtByte_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("payloadLength");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QStringList>("fieldsThere");

    const QByteArray masked = QByteArray::fromHex("818537fa213d");
    const QStringList byte0 { QStringLiteral("Fin"), QStringLiteral("Rsv1"), QStringLiteral("Rsv2"),
        QStringLiteral("Rsv3"), QStringLiteral("Opcode") };
    const QStringList byte1 { QStringLiteral("Mask"), QStringLiteral("PayloadLength") };
    QTest::addRow("masked: byte 0") << masked << qint64(5) << qint64(0) << byte0;
    QTest::addRow("masked: byte 1") << masked << qint64(5) << qint64(1) << byte1;
    for (int i = 2; i < 6; ++i)
        QTest::addRow("masked: key byte %d", i)
            << masked << qint64(5) << qint64(i) << QStringList { QStringLiteral("MaskingKey") };
    QTest::addRow("masked: first payload byte")
        << masked << qint64(5) << qint64(6) << QStringList { QStringLiteral("Payload") };
    QTest::addRow("masked: last payload byte")
        << masked << qint64(5) << qint64(10) << QStringList { QStringLiteral("Payload") };
    QTest::addRow("masked: past the end") << masked << qint64(5) << qint64(11) << QStringList();
    QTest::addRow("masked: negative") << masked << qint64(5) << qint64(-1) << QStringList();

    const QByteArray len64 = QByteArray::fromHex("827f0000000000010000");
    QTest::addRow("64-bit: byte 2") << len64 << qint64(65536) << qint64(2)
                                    << QStringList { QStringLiteral("ExtendedPayloadLength") };
    QTest::addRow("64-bit: byte 9") << len64 << qint64(65536) << qint64(9)
                                    << QStringList { QStringLiteral("ExtendedPayloadLength") };
    QTest::addRow("64-bit: byte 10") << len64 << qint64(65536) << qint64(10)
                                     << QStringList { QStringLiteral("Payload") };
    QTest::addRow("64-bit: last byte") << len64 << qint64(65536) << qint64(65545)
                                       << QStringList { QStringLiteral("Payload") };
    QTest::addRow("empty payload: byte 2") << QByteArray::fromHex("8900") << qint64(0) << qint64(2) << QStringList();
    QTest::addRow("bare payload: byte 0")
        << QByteArray() << qint64(4) << qint64(0) << QStringList { QStringLiteral("Payload") };
}

void tst_FrameLayout::fieldAtByte()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, payloadLength);
    QFETCH(qint64, offset);
    QFETCH(QStringList, fieldsThere);

    const FrameLayout layout(header, payloadLength);
    QStringList found;
    for (const FrameLayout::Field *f : layout.fieldsAtByte(offset))
        found << idName(f->id);
    QCOMPARE(found, fieldsThere);
    const FrameLayout::Field *first = layout.fieldAtByte(offset);
    QCOMPARE(first ? idName(first->id) : QString(), fieldsThere.value(0));
}

void tst_FrameLayout::fieldAtBit_data()
{
    QTest::addColumn<qint64>("bit");
    QTest::addColumn<QString>("field");

    // 81 fe 00 c8 | key 01 02 03 04 | 200 bytes payload
    QTest::addRow("0") << qint64(0) << QStringLiteral("Fin");
    QTest::addRow("1") << qint64(1) << QStringLiteral("Rsv1");
    QTest::addRow("2") << qint64(2) << QStringLiteral("Rsv2");
    QTest::addRow("3") << qint64(3) << QStringLiteral("Rsv3");
    QTest::addRow("4") << qint64(4) << QStringLiteral("Opcode");
    QTest::addRow("7") << qint64(7) << QStringLiteral("Opcode");
    QTest::addRow("8") << qint64(8) << QStringLiteral("Mask");
    QTest::addRow("9") << qint64(9) << QStringLiteral("PayloadLength");
    QTest::addRow("15") << qint64(15) << QStringLiteral("PayloadLength");
    QTest::addRow("16") << qint64(16) << QStringLiteral("ExtendedPayloadLength");
    QTest::addRow("31") << qint64(31) << QStringLiteral("ExtendedPayloadLength");
    QTest::addRow("32") << qint64(32) << QStringLiteral("MaskingKey");
    QTest::addRow("63") << qint64(63) << QStringLiteral("MaskingKey");
    QTest::addRow("64") << qint64(64) << QStringLiteral("Payload");
    QTest::addRow("last") << qint64(64 + 1600 - 1) << QStringLiteral("Payload");
    QTest::addRow("past the end") << qint64(64 + 1600) << QString();
}

void tst_FrameLayout::fieldAtBit()
{
    QFETCH(qint64, bit);
    QFETCH(QString, field);
    const FrameLayout layout(QByteArray::fromHex("81fe00c801020304"), 200);
    const FrameLayout::Field *f = layout.fieldAtBit(bit);
    QCOMPARE(f ? idName(f->id) : QString(), field);
}

void tst_FrameLayout::opcodeText_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QString>("text");

    const char *expected[16] = { "0x0 continuation", "0x1 text", "0x2 binary", "0x3 reserved (non-control)",
        "0x4 reserved (non-control)", "0x5 reserved (non-control)", "0x6 reserved (non-control)",
        "0x7 reserved (non-control)", "0x8 close", "0x9 ping", "0xa pong", "0xb reserved (control)",
        "0xc reserved (control)", "0xd reserved (control)", "0xe reserved (control)", "0xf reserved (control)" };
    for (int op = 0; op < 16; ++op)
        QTest::addRow("%d", op) << op << QString::fromUtf8(expected[op]);
}

void tst_FrameLayout::opcodeText()
{
    QFETCH(int, opcode);
    QFETCH(QString, text);
    QByteArray header = QByteArray::fromHex("8000");
    header[0] = char(0x80 | opcode);
    const FrameLayout layout(header, 0);
    const FrameLayout::Field *f = layout.field(FieldId::Opcode);
    QVERIFY(f);
    QCOMPARE(f->valueText, text);
    QCOMPARE(f->value, quint64(opcode));
    QCOMPARE(f->warning.isEmpty(), !Opcode::isReserved(quint8(opcode)));
}

void tst_FrameLayout::warnings_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("payloadLength");
    QTest::addColumn<QStringList>("warned");

    QTest::addRow("clean") << QByteArray::fromHex("818537fa213d") << qint64(5) << QStringList();
    QTest::addRow("rsv1 and rsv3") << QByteArray::fromHex("d100") << qint64(0)
                                   << QStringList { QStringLiteral("Rsv1"), QStringLiteral("Rsv3") };
    QTest::addRow("reserved opcode") << QByteArray::fromHex("8300") << qint64(0)
                                     << QStringList { QStringLiteral("Opcode") };
    QTest::addRow("non-minimal 64-bit") << QByteArray::fromHex("827f000000000000ffff") << qint64(65535)
                                        << QStringList { QStringLiteral("ExtendedPayloadLength") };
    QTest::addRow("minimal 64-bit") << QByteArray::fromHex("827f0000000000010000") << qint64(65536) << QStringList();
    QTest::addRow("non-minimal 16-bit") << QByteArray::fromHex("827e007d") << qint64(125)
                                        << QStringList { QStringLiteral("ExtendedPayloadLength") };
    QTest::addRow("minimal 16-bit") << QByteArray::fromHex("827e007e") << qint64(126) << QStringList();
}

void tst_FrameLayout::warnings()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, payloadLength);
    QFETCH(QStringList, warned);
    const FrameLayout layout(header, payloadLength);
    QStringList found;
    for (const FrameLayout::Field &f : layout.fields()) {
        if (!f.warning.isEmpty())
            found << idName(f.id);
    }
    QCOMPARE(found, warned);
}

void tst_FrameLayout::namesAndMeanings()
{
    const QMetaEnum ids = QMetaEnum::fromType<FieldId>();
    QSet<QString> names;
    for (int i = 0; i < ids.keyCount(); ++i) {
        const auto id = FieldId(ids.value(i));
        const QString name = FrameLayout::fieldName(id);
        QCOMPARE(name.isEmpty(), id == FieldId::None);
        if (id != FieldId::None)
            names.insert(name);
    }
    QCOMPARE(names.size(), ids.keyCount() - 1);

    const FrameLayout layout(QByteArray::fromHex("82ff0000000000010000a1b2c3d4"), 65536);
    QCOMPARE(layout.fields().size(), ids.keyCount() - 1); // every field present once
    QSet<QString> meanings;
    for (const FrameLayout::Field &f : layout.fields()) {
        QVERIFY(f.meaning.endsWith(QLatin1Char('.')));
        meanings.insert(f.meaning);
    }
    QCOMPARE(meanings.size(), layout.fields().size() - 1); // RSV2 and RSV3 share theirs
    QCOMPARE(layout.field(FieldId::ExtendedPayloadLength)->name, QStringLiteral("Extended payload length (64-bit)"));
}

void tst_FrameLayout::fieldLookup()
{
    const FrameLayout unmasked(QByteArray::fromHex("8105"), 5);
    QVERIFY(!unmasked.field(FieldId::MaskingKey));
    QVERIFY(!unmasked.field(FieldId::ExtendedPayloadLength));
    QVERIFY(!unmasked.field(FieldId::None));
    QCOMPARE(unmasked.field(FieldId::Payload)->byteOffset, 2);
    QVERIFY(unmasked.hasHeader());
    QCOMPARE(unmasked.header().opcode, quint8(Opcode::Text));

    const FrameLayout empty;
    QVERIFY(empty.fields().isEmpty());
    QVERIFY(!empty.fieldAtByte(0));
    QCOMPARE(empty.totalSize(), 0);
}

QTEST_GUILESS_MAIN(tst_FrameLayout)
#include "tst_framelayout.moc"
